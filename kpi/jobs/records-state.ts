/**
 * A proposal, not wired in yet: the jobs' state (computed periods, month locks, the audit log) kept in the records
 * store instead of Redis, with JobState's methods (state.ts) so the worker, the scheduler and backfill can take
 * either. Redis then keeps queues only (issue 10). Differences: `audit()` stamps the entry with the store's clock,
 * not the caller's `atMs`; `recordComputed` names the worker given here; lock, reopen and their audit entry are one
 * transaction.
 */
import type { RecordsStore } from '../../records/port.ts';
import type { AuditEntry, ComputedEntry } from './state.ts';

export class RecordsJobState {
  constructor(
    private readonly records: RecordsStore,
    /** who computes, written with each computed period: `worker@host:pid` */
    private readonly worker: string,
  ) {}

  async recordComputed(e: ComputedEntry): Promise<void> {
    await this.records.record({ ...e, worker: this.worker });
  }

  /** by kind then period, as JobState.computed() */
  async computed(): Promise<ComputedEntry[]> {
    return (await this.records.computed()).map(({ kind, period, fingerprint, configHash, atMs }) => ({
      kind,
      period,
      fingerprint,
      configHash,
      atMs,
    }));
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

  async audit(e: AuditEntry): Promise<void> {
    await this.records.append({ action: e.action, period: e.period, by: e.by, reason: e.reason });
  }

  /** the log in JobState's shape; entries without a period (later human decisions) are left out */
  async auditLog(): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (const e of await this.records.list()) {
      if (e.period === null || !isJobAction(e.action)) continue;
      out.push({ atMs: e.atMs, action: e.action, period: e.period, by: e.by, reason: e.reason });
    }
    return out;
  }
}

const isJobAction = (a: string): a is AuditEntry['action'] =>
  a === 'lock' || a === 'reopen' || a === 'recompute-refused';
