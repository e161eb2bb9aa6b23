/**
 * The KPI worker: scheduler ticks become compute jobs with deterministic ids; a compute job reads the period through
 * the store, computes (the same code as `plantkpi kpi`), writes the rows to the KPI sink (overwriting, never
 * doubling), remembers the period's fingerprint, and for a month close writes the export and locks the month.
 * What fails a job at once (UnrecoverableError, reason visible) is what says it cannot be helped by a retry: an error
 * whose `retryable` is false (config/errors.ts: bad data, a config error, a malformed period, InfluxDB refusing the
 * rows), a locked month, a job made for another config. Anything else is retried (a lock held, InfluxDB down).
 */
import os from 'node:os';
import { type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import { isRetryable } from '../../config/errors.ts';
import { pointLine } from '../../store/influx/line-protocol.ts';
import { parsePeriod } from '../../transforms/periods.ts';
import { exportMonth } from '../export/month.ts';
import { runPeriod } from '../run.ts';
import { type JobKind, periodFingerprint, previousPeriod } from './plan.ts';
import { type ComputeData, enqueueCompute, kpiQueue, QUEUE_NAME, type TickData } from './queue.ts';
import type { Runtime } from './runtime.ts';
import { JobState } from './state.ts';

export type JobLog = (
  level: 'info' | 'warn' | 'error',
  msg: string,
  fields?: Record<string, unknown>,
) => void;

export interface ComputeSummary {
  period: string;
  kind: string;
  rows: number;
  provisional: number;
  exported?: string;
}

/** The fire time of a scheduler tick (BullMQ keeps it in opts.prevMillis). */
export function tickTime(job: Job): number {
  return (job.opts as { prevMillis?: number }).prevMillis ?? job.timestamp + (job.delay ?? 0);
}

/**
 * Maps a tick's fire time to the instant whose previous period it computes. The identity in production; a replay of
 * a past month through the real schedulers (a test on fixed data) maps every tick into the month after it.
 */
export type TickClock = (fireMs: number) => number;

export async function processJob(
  job: Job,
  rt: Runtime,
  queue: Queue,
  state: JobState,
  tickClock: TickClock = (ms) => ms,
): Promise<unknown> {
  if (job.name === 'tick') {
    const { kind } = job.data as TickData;
    const period = previousPeriod(kind, tickClock(tickTime(job)), rt.plant.timeZone);
    return enqueueCompute(
      queue,
      { kind, period: period.label, configHash: rt.configHash, reason: 'schedule', export: kind === 'month' },
      rt.config.jobs,
    );
  }
  if (job.name !== 'compute') throw new UnrecoverableError(`unknown job '${job.name}'`);
  const data = job.data as ComputeData;
  if (data.configHash !== rt.configHash) {
    throw new UnrecoverableError(
      `job made for config ${data.configHash}, this worker runs config ${rt.configHash}: run every worker on the same config`,
    );
  }
  const period = parsePeriod(data.period, rt.plant.timeZone); // a PeriodError is not retryable
  const month = period.kind === 'month' ? period.label : null;
  if (month !== null && !data.reopen && (await state.isLocked(month))) {
    await state.audit({
      atMs: Date.now(),
      action: 'recompute-refused',
      period: month,
      by: 'worker',
      reason: data.reason,
    });
    throw new UnrecoverableError(
      `month ${month} is closed and locked: reopen it (plantkpi backfill --reopen) to recompute`,
    );
  }
  await job.updateProgress(5);
  const result = await runPeriod(rt.store, rt.plant, period);
  await job.updateProgress(70);
  await rt.sink.write(result, data.kind);
  await state.recordComputed({
    kind: data.kind,
    period: period.label,
    fingerprint: periodFingerprint(rt.plant, period, rt.config),
    configHash: rt.configHash,
    atMs: Date.now(),
  });
  await job.updateProgress(85);
  const summary: ComputeSummary = {
    period: period.label,
    kind: data.kind,
    rows: result.kpis.length,
    provisional: result.kpis.filter((r) => r.provisional).length,
  };
  if (data.export && month !== null) {
    const manifest = await exportMonth(result, rt.plant, {
      dir: rt.config.jobs.exportDir,
      configHash: rt.configHash,
    });
    summary.exported = `${rt.config.jobs.exportDir}/${month} (${manifest.files.length} files)`;
    if (rt.config.jobs.lockMonthAfterExport) await state.lock(month, 'worker', 'monthly export written');
  }
  await job.updateProgress(100);
  return summary;
}

/**
 * What a failed job is to BullMQ: the error itself when a retry can help (it is retried with the queue's backoff), an
 * UnrecoverableError with the same message when it cannot (the error's own `retryable` says which). An
 * UnrecoverableError thrown by processJob passes as it is.
 */
export function jobError(err: unknown): unknown {
  if (isRetryable(err)) return err;
  const e = new UnrecoverableError((err as Error).message);
  e.cause = err;
  return e;
}

export function startWorker(
  rt: Runtime,
  log: JobLog,
  concurrency = 1,
  tickClock?: TickClock,
): { worker: Worker; queue: Queue; state: JobState } {
  const queue = kpiQueue(rt.connection, rt.config.jobs);
  const state = new JobState(rt.connection, rt.config.jobs.prefix);
  const run = async (job: Job) => {
    try {
      return await processJob(job, rt, queue, state, tickClock);
    } catch (err) {
      throw jobError(err);
    }
  };
  const worker = new Worker(QUEUE_NAME, run, {
    connection: rt.connection,
    prefix: rt.config.jobs.prefix,
    concurrency,
    name: `${os.hostname()}:${process.pid}`,
    lockDuration: rt.config.jobs.lockDurationMs,
    stalledInterval: Math.max(500, Math.round(rt.config.jobs.lockDurationMs / 2)),
    maxStalledCount: 5,
  });
  const outcome = (job: Job | undefined, status: 'completed' | 'failed', error?: string) => {
    if (rt.events === null || job === undefined) return;
    const data = job.data as Partial<ComputeData & TickData>;
    const line = pointLine({
      measurement: 'job',
      tags: { site: rt.config.site.id, name: job.name, kind: data.kind ?? '', status },
      fields: {
        period: data.period ?? '',
        duration_ms: (job.finishedOn ?? Date.now()) - (job.processedOn ?? job.timestamp),
        attempts: job.attemptsMade,
        ...(error ? { error: error.slice(0, 500) } : {}),
      },
      timeMs: job.finishedOn ?? Date.now(),
    });
    rt.events
      .writeLines([line])
      .catch((err: Error) => log('warn', 'job outcome not written', { error: err.message }));
  };
  worker.on('completed', (job, value) => {
    log('info', 'job done', { id: job.id, name: job.name, result: value });
    outcome(job, 'completed');
  });
  worker.on('failed', (job, err) => {
    log('error', 'job failed', {
      id: job?.id,
      name: job?.name,
      attempt: job?.attemptsMade,
      error: err.message,
    });
    outcome(job, 'failed', err.message);
  });
  return { worker, queue, state };
}

/** The ids of the job schedulers installSchedulers makes, one per kind. */
export const SCHEDULER_IDS = ['kpi-hour', 'kpi-day', 'kpi-month'] as const;

/** Installs the hourly, daily and monthly schedulers (idempotent: a restarted scheduler creates no duplicates). */
export async function installSchedulers(rt: Runtime, queue: Queue): Promise<void> {
  const j = rt.config.jobs;
  const tz = rt.plant.timeZone;
  const crons: [JobKind, string][] = [
    ['hour', j.hourlyCron],
    ['day', j.dailyCron],
    ['month', j.monthlyCron],
  ];
  for (const [kind, pattern] of crons) {
    await queue.upsertJobScheduler(
      `kpi-${kind}`,
      { pattern, tz },
      { name: 'tick', data: { kind } satisfies TickData },
    );
  }
}

/**
 * Periods computed under an older config whose fingerprint the current config changes: enqueued for recompute
 * (exactly those; a locked month is reported, not recomputed).
 */
export async function planRecompute(
  rt: Runtime,
  queue: Queue,
  state: JobState,
): Promise<{ enqueued: string[]; locked: string[] }> {
  const enqueued: string[] = [];
  const locked: string[] = [];
  for (const e of await state.computed()) {
    const period = parsePeriod(e.period, rt.plant.timeZone);
    if (periodFingerprint(rt.plant, period, rt.config) === e.fingerprint) continue;
    if (period.kind === 'month' && (await state.isLocked(period.label))) {
      locked.push(period.label);
      continue;
    }
    const kind = e.kind as ComputeData['kind'];
    const r = await enqueueCompute(
      queue,
      { kind, period: e.period, configHash: rt.configHash, reason: 'recompute' },
      rt.config.jobs,
    );
    if (r.added) enqueued.push(`${e.kind} ${e.period}`);
  }
  return { enqueued, locked };
}
