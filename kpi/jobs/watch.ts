/**
 * The scheduler's watch: Redis is the queue's backend, and a Redis that restarts without its data (no persistence, a
 * FLUSHALL, a failover to an empty replica) loses the job schedulers with it; no tick would fire again until the
 * scheduler process is restarted. The watch notices a missing scheduler and installs them again, then queues what
 * is missing (asked for and not computed: the lost jobs; ticks missed meanwhile) or changed (a new fingerprint),
 * all known from the records store.
 */
import type { Queue, Worker } from 'bullmq';
import type { Runtime } from './runtime.ts';
import type { JobLog, TickClock } from './worker.ts';
import { installSchedulers, planMissing, planRecompute, SCHEDULER_IDS } from './worker.ts';

export interface SchedulerWatch {
  /** one check now (the timer calls it every `jobs.schedulerCheckMs`); true when the schedulers were re-installed */
  check(): Promise<boolean>;
  stop(): void;
}

export function watchSchedulers(
  rt: Runtime,
  queue: Queue,
  log: JobLog,
  tickClock?: TickClock,
): SchedulerWatch {
  let running: Promise<boolean> | null = null;
  const once = async (): Promise<boolean> => {
    const missing: string[] = [];
    for (const id of SCHEDULER_IDS) if ((await queue.getJobScheduler(id)) === undefined) missing.push(id);
    if (missing.length === 0) return false;
    log('warn', 'job schedulers missing from Redis (it lost its data?): installing them again', { missing });
    await installSchedulers(rt, queue);
    const plan = await planRecompute(rt, queue);
    const lost = await planMissing(rt, queue, tickClock ? { tickClock } : {});
    log('info', 'job schedulers installed again', {
      recompute: plan.enqueued,
      requeued: lost.requeued,
      caughtUp: lost.caughtUp,
      locked: [...new Set([...plan.locked, ...lost.locked])],
      ...(Object.keys(lost.skipped).length ? { notCaughtUp: lost.skipped } : {}),
    });
    return true;
  };
  const check = () => {
    // one check at a time: a slow Redis must not stack them up
    running ??= once().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    check().catch((err: Error) => log('warn', 'scheduler check failed', { error: err.message }));
  }, rt.config.jobs.schedulerCheckMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}

/**
 * Redis going away shows as one JSON log line a minute per connection, not ioredis's multi-line stacks (which it
 * prints for an 'error' event nobody listens to); the clients keep reconnecting.
 */
export function redisErrorsToLog(rt: Runtime, queue: Queue, log: JobLog, worker?: Worker): void {
  const last = new Map<string, number>();
  const report = (source: string) => (err: Error) => {
    const now = Date.now();
    if (now - (last.get(source) ?? 0) < 60_000) return;
    last.set(source, now);
    log('warn', 'Redis unavailable', { source, url: rt.config.jobs.redis.url, error: err.message });
  };
  rt.connection.on('error', report('connection'));
  queue.on('error', report('queue'));
  worker?.on('error', report('worker'));
}
