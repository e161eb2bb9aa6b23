/** What the jobs remember in Redis: computed periods with their fingerprints, locked months, and the audit log. */
import type { Redis } from 'ioredis';

export interface ComputedEntry {
  kind: string;
  period: string;
  fingerprint: string;
  configHash: string;
  atMs: number;
}

export interface AuditEntry {
  atMs: number;
  action: 'lock' | 'reopen' | 'recompute-refused';
  period: string;
  by: string;
  reason: string;
}

export class JobState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(name: string): string {
    return `${this.prefix}:state:${name}`;
  }

  async recordComputed(e: ComputedEntry): Promise<void> {
    await this.redis.hset(this.key('computed'), `${e.kind}|${e.period}`, JSON.stringify(e));
  }

  async computed(): Promise<ComputedEntry[]> {
    const all = await this.redis.hgetall(this.key('computed'));
    return Object.values(all)
      .map((v) => JSON.parse(v) as ComputedEntry)
      .sort((a, b) => (a.kind + a.period < b.kind + b.period ? -1 : 1));
  }

  async isLocked(period: string): Promise<boolean> {
    return (await this.redis.hexists(this.key('locks'), period)) === 1;
  }

  async lock(period: string, by: string, reason: string): Promise<void> {
    await this.redis.hset(this.key('locks'), period, JSON.stringify({ atMs: Date.now(), by, reason }));
    await this.audit({ atMs: Date.now(), action: 'lock', period, by, reason });
  }

  /** Opens a locked month for recomputation; always leaves an audit entry. */
  async reopen(period: string, by: string, reason: string): Promise<void> {
    await this.redis.hdel(this.key('locks'), period);
    await this.audit({ atMs: Date.now(), action: 'reopen', period, by, reason });
  }

  async audit(e: AuditEntry): Promise<void> {
    await this.redis.rpush(this.key('audit'), JSON.stringify(e));
  }

  async auditLog(): Promise<AuditEntry[]> {
    return (await this.redis.lrange(this.key('audit'), 0, -1)).map((v) => JSON.parse(v) as AuditEntry);
  }
}
