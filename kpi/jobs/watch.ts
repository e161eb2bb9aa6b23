/**
 * The scheduler's watch: Redis is the queue's backend, and a Redis that restarts without its data (no persistence, a
 * FLUSHALL, a failover to an empty replica) loses the job schedulers with it; no tick would fire again until the
 * scheduler process is restarted. The watch notices a missing scheduler and installs them again, then plans the
 * recompute of what is missing or changed.
 */
import type { Queue, Worker } from 'bullmq';
import type { Runtime } from './runtime.ts';
import type { JobState } from './state.ts';
import type { JobLog } from './worker.ts';
import { installSchedulers, planRecompute, SCHEDULER_IDS } from './worker.ts';

export interface SchedulerWatch {
  /** one check now (the timer calls it every `jobs.schedulerCheckMs`); true when the schedulers were re-installed */
  check(): Promise<boolean>;
  stop(): void;
}

export function watchSchedulers(rt: Runtime, queue: Queue, state: JobState, log: JobLog): SchedulerWatch {
  let running: Promise<boolean> | null = null;
  const once = async (): Promise<boolean> => {
    const missing: string[] = [];
    for (const id of SCHEDULER_IDS) if ((await queue.getJobScheduler(id)) === undefined) missing.push(id);
    if (missing.length === 0) return false;
    log('warn', 'job schedulers missing from Redis (it lost its data?): installing them again', { missing });
    await installSchedulers(rt, queue);
    const plan = await planRecompute(rt, queue, state);
    log('info', 'job schedulers installed again', { recompute: plan.enqueued, locked: plan.locked });
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
