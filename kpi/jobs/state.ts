/**
 * What the jobs remember, kept in the records store (records/), never in Redis: computed periods with their
 * fingerprints, the periods asked for, locked months and the audit log. Redis keeps the queues only, so a Redis that
 * loses its data loses queued jobs (the scheduler asks for them again from here) and nothing else.
 */
import type { Redis } from 'ioredis';
import type { Json, RecordsStore } from '../../records/port.ts';
import { inOneTurn } from '../../records/shared.ts';

export interface ComputedEntry {
  kind: string;
  period: string;
  fingerprint: string;
  configHash: string;
  atMs: number;
}

/** An audit entry as the jobs write and read it (the records store adds seq, hashes and its clock's time). */
export interface AuditEntry {
  atMs: number;
  action: 'lock' | 'reopen' | 'recompute-refused' | 'recompute' | 'export';
  period: string;
  by: string;
  reason: string;
}

export class JobState {
  constructor(
    readonly records: RecordsStore,
    /** who this process is, written with what it computes and asks for: `worker@host:pid` */
    readonly who: string,
  ) {}

  /** Runs `fn` with the records store held throughout (one turn of the embedded store for several calls). */
  turn<T>(fn: (state: JobState) => Promise<T>): Promise<T> {
    return inOneTurn(this.records, (s) => fn(new JobState(s, this.who)));
  }

  /**
   * Records a computed period. Computing a period that was computed before is a recompute: it leaves an audit entry
   * with the fingerprints and config versions before and after, and why.
   */
  async recordComputed(
    e: ComputedEntry,
    why: { reason: string; jobId?: string } = { reason: '' },
  ): Promise<void> {
    const before = await this.records.get(e.kind, e.period);
    await this.records.record({ ...e, worker: this.who });
    if (before === undefined) return;
    const detail: { [key: string]: Json } = {
      kind: e.kind,
      fingerprint: e.fingerprint,
      configHash: e.configHash,
      previousFingerprint: before.fingerprint,
      previousConfigHash: before.configHash,
      previousAtMs: before.atMs,
      previousWorker: before.worker,
    };
    if (why.jobId !== undefined) detail.jobId = why.jobId;
    await this.records.append({
      action: 'recompute',
      period: e.period,
      by: this.who,
      reason: why.reason || 'computed again',
      detail,
    });
  }

  /** by kind then period */
  async computed(): Promise<ComputedEntry[]> {
    return (await this.records.computed()).map(({ kind, period, fingerprint, configHash, atMs }) => ({
      kind,
      period,
      fingerprint,
      configHash,
      atMs,
    }));
  }

  /** Notes that periods were asked for (a tick, a backfill, a recompute) before their jobs are queued. */
  request(requests: readonly { kind: string; period: string; reason: string }[]): Promise<void> {
    return this.records.request(requests.map((r) => ({ ...r, by: this.who })));
  }

  isLocked(period: string): Promise<boolean> {
    return this.records.isLocked(period);
  }

  async lock(period: string, by: string, reason: string): Promise<void> {
    await this.records.lock(period, by, reason);
  }

  /** Opens a locked month for recomputation; always leaves an audit entry. */
  async reopen(period: string, by: string, reason: string): Promise<void> {
    await this.records.reopen(period, by, reason);
  }

  /** Appends an entry (the store's clock stamps it; `atMs` is not used). */
  async audit(e: AuditEntry): Promise<void> {
    await this.records.append({ action: e.action, period: e.period, by: e.by, reason: e.reason });
  }

  /** the jobs' entries of the log (entries without a period, later human decisions, are left out) */
  async auditLog(): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (const e of await this.records.list()) {
      if (e.period === null || !isJobAction(e.action)) continue;
      out.push({ atMs: e.atMs, action: e.action, period: e.period, by: e.by, reason: e.reason });
    }
    return out;
  }
}

const JOB_ACTIONS = ['lock', 'reopen', 'recompute-refused', 'recompute', 'export'] as const;
const isJobAction = (a: string): a is AuditEntry['action'] => (JOB_ACTIONS as readonly string[]).includes(a);

/** What earlier versions kept in Redis under `<prefix>:state:*`. */
interface RedisAudit {
  atMs: number;
  action: string;
  period: string;
  by: string;
  reason: string;
}

/**
 * Moves what versions before the records store kept in Redis (`<prefix>:state:audit`, `:locks`, `:computed`) into
 * the records store, then deletes those keys. Safe to run again after a crash half-way: an audit entry already
 * moved (its `detail.redisIndex`) is not moved twice, a lock already there is kept, a computed period already
 * recorded later is not overwritten. Returns what was moved.
 */
export async function migrateRedisState(
  redis: Redis,
  prefix: string,
  records: RecordsStore,
  by: string,
): Promise<{ audit: number; locks: number; computed: number }> {
  const key = (name: string) => `${prefix}:state:${name}`;
  const [auditRaw, locksRaw, computedRaw] = await Promise.all([
    redis.lrange(key('audit'), 0, -1),
    redis.hgetall(key('locks')),
    redis.hgetall(key('computed')),
  ]);
  const moved = { audit: 0, locks: 0, computed: 0 };
  if (auditRaw.length === 0 && Object.keys(locksRaw).length === 0 && Object.keys(computedRaw).length === 0)
    return moved;
  const done = new Set<number>();
  for (const e of await records.list())
    if (e.detail?.migratedFrom === 'redis' && typeof e.detail.redisIndex === 'number')
      done.add(e.detail.redisIndex);
  for (const [i, text] of auditRaw.entries()) {
    if (done.has(i)) continue;
    const e = JSON.parse(text) as RedisAudit;
    await records.append({
      action: e.action,
      period: e.period,
      by: e.by,
      reason: e.reason,
      detail: { migratedFrom: 'redis', redisIndex: i, atMs: e.atMs },
    });
    moved.audit++;
  }
  for (const [period, text] of Object.entries(locksRaw)) {
    const l = JSON.parse(text) as { atMs: number; by: string; reason: string };
    const reason = `lock carried over from Redis (locked ${new Date(l.atMs).toISOString()} by ${l.by}: ${l.reason})`;
    if (await records.lock(period, by, reason)) moved.locks++;
  }
  for (const text of Object.values(computedRaw)) {
    const c = JSON.parse(text) as ComputedEntry;
    const have = await records.get(c.kind, c.period);
    if (have !== undefined && have.atMs >= c.atMs) continue;
    await records.record({ ...c, worker: 'unknown (carried over from Redis)' });
    moved.computed++;
  }
  await redis.del(key('audit'), key('locks'), key('computed'));
  return moved;
}
