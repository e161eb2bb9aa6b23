/**
 * The KPI worker: scheduler ticks become compute jobs with deterministic ids; a compute job reads the period through
 * the store, computes (the same code as `plantkpi kpi`), writes the rows to the KPI sink (overwriting, never
 * doubling), remembers the period's fingerprint, and for a month close writes the export and locks the month.
 * What fails a job at once (UnrecoverableError, reason visible) is what says it cannot be helped by a retry: an error
 * whose `retryable` is false (config/errors.ts: bad data, a config error, a malformed period, InfluxDB refusing the
 * rows), a locked month, a job made for another config. Anything else is retried (a lock held, InfluxDB down).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import { isRetryable } from '../../config/errors.ts';
import { pointLine } from '../../store/influx/line-protocol.ts';
import { parsePeriod } from '../../transforms/periods.ts';
import { withSavings } from '../baseline/period.ts';
import { exportMonth } from '../export/month.ts';
import { runDays, runPeriod } from '../run.ts';
import type { Scorecard } from '../scorecard/build.ts';
import { hasScorecard } from '../scorecard/model.ts';
import { settleScorecard } from '../scorecard/settle.ts';
import { JOB_KINDS, type JobKind, missedPeriods, periodFingerprint, previousPeriod } from './plan.ts';
import { type ComputeData, enqueueCompute, kpiQueue, QUEUE_NAME, type TickData } from './queue.ts';
import type { Runtime } from './runtime.ts';
import type { JobState } from './state.ts';

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
  /** a period with baselines due (kpi/baseline/period.ts): savings rows written, baselines left out and why */
  savings?: { rows: number; notes: string[] };
  /** a month of a plant with a responsibility loop: ledger entries, tasks closed by KPI, closures disputed */
  scorecard?: { points: number; closed: string[]; disputed: string[] };
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

/**
 * Asks for a period to be computed: the request is noted in the records store first (it outlasts Redis), then the
 * job is queued (a job with the same id already there is left as it is).
 */
export async function requestCompute(
  rt: Runtime,
  queue: Queue,
  data: ComputeData,
  idSuffix = '',
): Promise<{ id: string; added: boolean }> {
  return (await requestComputes(rt, queue, [{ data, idSuffix }]))[0]!;
}

/** As requestCompute, for many periods: one visit to the records store, then the jobs queued in order. */
export async function requestComputes(
  rt: Runtime,
  queue: Queue,
  items: readonly { data: ComputeData; idSuffix?: string }[],
): Promise<{ id: string; added: boolean }[]> {
  await rt.state.request(
    items.map(({ data }) => ({ kind: data.kind, period: data.period, reason: data.reason })),
  );
  const out: { id: string; added: boolean }[] = [];
  for (const { data, idSuffix } of items)
    out.push(await enqueueCompute(queue, data, rt.config.jobs, idSuffix));
  return out;
}

export async function processJob(
  job: Job,
  rt: Runtime,
  queue: Queue,
  tickClock: TickClock = (ms) => ms,
): Promise<unknown> {
  const state = rt.state;
  if (job.name === 'tick') {
    const { kind } = job.data as TickData;
    const period = previousPeriod(kind, tickClock(tickTime(job)), rt.plant.timeZone);
    return requestCompute(rt, queue, {
      kind,
      period: period.label,
      configHash: rt.configHash,
      reason: 'schedule',
      export: kind === 'month',
    });
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
  // a locked month: a job queued before it was closed, for the config it was closed with, is answered by that close
  // (a copy of the closing job, queued again after Redis lost its jobs): done, nothing written; anything else is a
  // recompute of a closed month, refused and audited
  const verdict =
    month === null || data.reopen
      ? 'open'
      : await state.turn(async (s) => {
          const lock = (await s.records.locks()).find((l) => l.period === month);
          if (lock === undefined) return 'open';
          const closed = await s.records.get(data.kind, month);
          if (lock.atMs >= job.timestamp && closed?.configHash === data.configHash) return 'closed-since';
          await s.audit({
            atMs: Date.now(),
            action: 'recompute-refused',
            period: month,
            by: s.who,
            reason: data.reason,
          });
          return 'refused';
        });
  if (verdict === 'closed-since') return { period: data.period, kind: data.kind, closedSince: true };
  const refused = verdict === 'refused';
  if (refused) {
    throw new UnrecoverableError(
      `month ${month} is closed and locked: reopen it (plantkpi backfill --reopen) to recompute`,
    );
  }
  await job.updateProgress(5);
  // the period's KPIs with the savings against its baselines among them (the same rows `plantkpi kpi` and export give)
  const computed = await runPeriod(rt.store, rt.plant, period);
  const { result, notes } = await withSavings(rt.store, rt.plant, computed, period);
  await job.updateProgress(70);
  await rt.sink.write(result, data.kind);
  const summary: ComputeSummary = {
    period: period.label,
    kind: data.kind,
    rows: result.kpis.length,
    provisional: result.kpis.filter((r) => r.provisional).length,
  };
  const saved = result.kpis.length - computed.kpis.length;
  if (saved > 0 || notes.length > 0) summary.savings = { rows: saved, notes };
  // the month's scorecard, settled against the records: closures by KPI recorded, disputes audited, the ledger replaced
  let scorecard: Scorecard | undefined;
  if (month !== null && hasScorecard(rt.plant)) {
    const settled = await settleScorecard(rt.store, rt.plant, result, rt.state.records, rt.state.who);
    scorecard = settled.scorecard;
    // the boards' rows (InfluxDB `scorecard_rank`, `scorecard_points`, `task_status`, `target_track`, or a file)
    await rt.sink.writeScorecard(scorecard, 'month');
    summary.scorecard = {
      points: settled.scorecard.ledger.length,
      closed: settled.closed,
      disputed: settled.disputed,
    };
  }
  let manifestText: string | null = null;
  if (data.export && month !== null) {
    // the daily sheet's days, computed from the same readings as the month at its close
    const days = await runDays(rt.store, rt.plant, period);
    const manifest = await exportMonth(result, rt.plant, {
      dir: rt.config.jobs.exportDir,
      configHash: rt.configHash,
      days,
      ...(scorecard ? { scorecard } : {}),
    });
    summary.exported = `${rt.config.jobs.exportDir}/${month} (${manifest.files.length} files)`;
    // the manifest as written, byte for byte, kept with its `export` audit entry
    manifestText = readFileSync(path.join(rt.config.jobs.exportDir, month, 'manifest.json'), 'utf8');
  }
  // what the records store keeps of it, in one turn: the computed period (a recompute audited), the manifest, the lock
  await state.turn(async (s) => {
    await s.recordComputed(
      {
        kind: data.kind,
        period: period.label,
        fingerprint: periodFingerprint(rt.plant, period, rt.config),
        configHash: rt.configHash,
        atMs: Date.now(),
      },
      { reason: data.reason, ...(job.id !== undefined ? { jobId: job.id } : {}) },
    );
    if (manifestText === null || month === null) return;
    await s.records.saveManifest(month, manifestText, s.who);
    if (rt.config.jobs.lockMonthAfterExport) await s.lock(month, s.who, 'monthly export written');
  });
  await job.updateProgress(85);
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
  const run = async (job: Job) => {
    try {
      return await processJob(job, rt, queue, tickClock);
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
  return { worker, queue, state: rt.state };
}

/** The ids of the job schedulers installSchedulers makes, one per kind. */
export const SCHEDULER_IDS = ['kpi-hour', 'kpi-day', 'kpi-month'] as const;

const schedules = (rt: Runtime): [JobKind, string][] => [
  ['hour', rt.config.jobs.hourlyCron],
  ['day', rt.config.jobs.dailyCron],
  ['month', rt.config.jobs.monthlyCron],
];

/** Installs the hourly, daily and monthly schedulers (idempotent: a restarted scheduler creates no duplicates). */
export async function installSchedulers(rt: Runtime, queue: Queue): Promise<void> {
  const tz = rt.plant.timeZone;
  for (const [kind, pattern] of schedules(rt)) {
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
): Promise<{ enqueued: string[]; locked: string[] }> {
  const locks = new Set((await rt.records.locks()).map((l) => l.period));
  const todo: ComputeData[] = [];
  const locked: string[] = [];
  for (const e of await rt.state.computed()) {
    const period = parsePeriod(e.period, rt.plant.timeZone);
    if (periodFingerprint(rt.plant, period, rt.config) === e.fingerprint) continue;
    if (period.kind === 'month' && locks.has(period.label)) {
      locked.push(period.label);
      continue;
    }
    todo.push({
      kind: e.kind as ComputeData['kind'],
      period: e.period,
      configHash: rt.configHash,
      reason: 'recompute',
    });
  }
  const added = await requestComputes(
    rt,
    queue,
    todo.map((data) => ({ data })),
  );
  const enqueued = todo.filter((_, i) => added[i]!.added).map((d) => `${d.kind} ${d.period}`);
  return { enqueued, locked };
}

export interface MissingPlan {
  /** asked for earlier and not computed since (their jobs lost with Redis, or never run): queued again */
  requeued: string[];
  /** periods the schedulers' ticks would have computed since the last computed one: queued */
  caughtUp: string[];
  /** months asked for but locked since: not queued (reopen them) */
  locked: string[];
  /** per kind, older missed periods beyond jobs.catchUpDays, left for a backfill */
  skipped: Record<string, number>;
}

/**
 * What is missing, queued: every period asked for and not computed since (the records store remembers requests,
 * Redis only held their jobs), and every period of a kind after the last one computed or asked for that the
 * scheduler's ticks would have computed by `nowMs` (ticks that fired while Redis was empty or the scheduler away),
 * back `jobs.catchUpDays` at most. A kind never computed nor asked for (a new installation) is left to a backfill.
 * A job already queued is left as it is, so calling this again changes nothing.
 */
export async function planMissing(
  rt: Runtime,
  queue: Queue,
  { nowMs = Date.now(), tickClock = (ms: number) => ms }: { nowMs?: number; tickClock?: TickClock } = {},
): Promise<MissingPlan> {
  const plan: MissingPlan = { requeued: [], caughtUp: [], locked: [], skipped: {} };
  const tz = rt.plant.timeZone;
  // one visit to the records store for what it knows, one for the requests of the catch-up
  const pending = await rt.records.pending();
  const computed = await rt.state.computed();
  const lockedAt = new Map((await rt.records.locks()).map((l) => [l.period, l.atMs]));
  const locks = new Set(lockedAt.keys());
  for (const r of pending) {
    if (!(JOB_KINDS as readonly string[]).includes(r.kind)) continue; // a demo's range: not the scheduler's
    const kind = r.kind as JobKind;
    const reopen = r.reason === 'reopen';
    const locked = lockedAt.get(r.period);
    if (kind === 'month' && !reopen && locked !== undefined) {
      // closed after it was asked for: answered; asked for once closed: it needs a reopen
      if (locked < r.atMs) plan.locked.push(r.period);
      continue;
    }
    const data: ComputeData = {
      kind,
      period: r.period,
      configHash: rt.configHash,
      reason: r.reason,
      // a month asked for by its tick, a backfill or a reopen is a close (export, then lock), as it was queued
      ...(kind === 'month' && (r.reason === 'schedule' || r.reason === 'backfill' || reopen)
        ? { export: true }
        : {}),
      ...(reopen ? { reopen: true } : {}),
    };
    if ((await enqueueCompute(queue, data, rt.config.jobs)).added) plan.requeued.push(`${kind} ${r.period}`);
  }
  const latest = new Map<string, string>();
  for (const e of [...computed, ...pending])
    if (e.period > (latest.get(e.kind) ?? '')) latest.set(e.kind, e.period);
  const perDay = { hour: 24, day: 1, month: 1 / 28 } as const;
  const todo: ComputeData[] = [];
  for (const [kind, pattern] of schedules(rt)) {
    const last = latest.get(kind);
    if (last === undefined) continue;
    // the scheduler's last tick of this kind by now: its period is the last one due (the cron's offset after a
    // period's end gives late readings their time, and a catch-up keeps it)
    const fired = CronExpressionParser.parse(pattern, { currentDate: new Date(nowMs), tz })
      .prev()
      .getTime();
    const max = Math.ceil(rt.config.jobs.catchUpDays * perDay[kind]);
    const missed = missedPeriods(kind, last, tickClock(fired), tz, max);
    if (missed.skipped > 0) plan.skipped[kind] = missed.skipped;
    for (const p of missed.periods) {
      if (kind === 'month' && locks.has(p.label)) {
        plan.locked.push(p.label);
        continue;
      }
      todo.push({
        kind,
        period: p.label,
        configHash: rt.configHash,
        reason: 'schedule',
        ...(kind === 'month' ? { export: true } : {}),
      });
    }
  }
  const added = await requestComputes(
    rt,
    queue,
    todo.map((data) => ({ data })),
  );
  plan.caughtUp = todo.filter((_, i) => added[i]!.added).map((d) => `${d.kind} ${d.period}`);
  return plan;
}
