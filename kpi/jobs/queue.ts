/** The KPI queue: one BullMQ queue; scheduler ticks and compute jobs with deterministic ids. */
import { type ConnectionOptions, Queue } from 'bullmq';
import { type JobKind, jobId } from './plan.ts';
import type { JobsConfig } from './schema.ts';

export const QUEUE_NAME = 'kpi';

export interface TickData {
  kind: JobKind;
}

export interface ComputeData {
  kind: JobKind | 'range';
  period: string;
  configHash: string;
  /** why: schedule, backfill, recompute (config change), reopen */
  reason: string;
  /** write the monthly export after computing (and lock the month) */
  export?: boolean;
  /** recompute a locked month (an audit entry was written when it was reopened) */
  reopen?: boolean;
}

export function kpiQueue(connection: ConnectionOptions, cfg: JobsConfig): Queue {
  return new Queue(QUEUE_NAME, { connection, prefix: cfg.prefix });
}

/** Adds a compute job unless one with the same kind, period and config version exists. */
export async function enqueueCompute(
  queue: Queue,
  data: ComputeData,
  cfg: JobsConfig,
  idSuffix = '',
): Promise<{ id: string; added: boolean }> {
  const id = jobId(data.kind === 'range' ? 'day' : data.kind, data.period, data.configHash) + idSuffix;
  const existing = await queue.getJob(id);
  if (existing) return { id, added: false };
  await queue.add('compute', data, {
    jobId: id,
    attempts: cfg.attempts,
    backoff: { type: 'exponential', delay: cfg.backoffMs },
    removeOnComplete: { age: 90 * 86_400, count: 100_000 },
    removeOnFail: { age: 365 * 86_400 },
  });
  return { id, added: true };
}
