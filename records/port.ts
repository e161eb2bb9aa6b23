/**
 * The records store: what must outlast Redis (month locks, the audit log, the computed-period index, export
 * manifests, the portal's users and sessions). One port, one contract suite (contract.ts), PostgreSQL and the
 * embedded PGlite behind it (store.ts).
 */
import type { UsersStore } from './port-users.ts';

/** A month (or other period label) closed against recomputation until it is reopened. */
export interface MonthLock {
  /** the period label, e.g. 2026-10 */
  period: string;
  /** when it was locked, epoch ms */
  atMs: number;
  by: string;
  reason: string;
}

/**
 * What an audit entry records. The jobs write `lock`, `reopen`, `recompute-refused`, `recompute` and `export`; later
 * human decisions add their own names (any string of letters, digits and `-`).
 */
export type AuditAction = 'lock' | 'reopen' | 'recompute-refused' | 'recompute' | 'export' | (string & {});

/** A JSON value, as kept in an entry's `detail`. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What a caller appends; the store adds seq, time and the hashes. */
export interface AuditInput {
  action: AuditAction;
  /** the period it concerns, if any */
  period?: string | undefined;
  /** who decided: a user, or a process such as `scheduler@host` */
  by: string;
  /** why, in the decider's words */
  reason: string;
  /** anything else worth keeping (a fingerprint, the job id), plain JSON */
  detail?: { [key: string]: Json } | undefined;
}

/** One row of the append-only audit log, chained to the one before it by `prevHash`. */
export interface AuditEntry {
  /** 1, 2, 3, ... without gaps */
  seq: number;
  /** when it was appended, epoch ms (the store's clock) */
  atMs: number;
  action: AuditAction;
  period: string | null;
  by: string;
  reason: string;
  detail: { [key: string]: Json } | null;
  /** the hash of entry seq - 1; 64 zeros for the first entry */
  prevHash: string;
  /** sha256 (hex) of the canonical encoding of this entry's fields and prevHash (chain.ts) */
  hash: string;
}

/** The outcome of walking the chain. */
export interface VerifyResult {
  ok: boolean;
  /** entries checked (all of them when ok) */
  checked: number;
  /** the first entry that does not fit, and why (edited, a gap, reordered, entries missing at the end) */
  firstBad?: { seq: number; reason: string };
}

/** One computed period: what it was computed from, when and by whom. */
export interface ComputedPeriod {
  /** hour | day | month */
  kind: string;
  period: string;
  /** hash of the compiled config it was computed with */
  configHash: string;
  /** fingerprint of its inputs; a change calls for a recompute */
  fingerprint: string;
  /** when it was computed, epoch ms */
  atMs: number;
  /** which worker computed it, e.g. `worker@host:pid` */
  worker: string;
}

/** A period asked for (a scheduler tick, a backfill, a recompute) and not computed since. */
export interface PeriodRequest {
  kind: string;
  period: string;
  /** when it was last asked for, epoch ms (the store's clock) */
  atMs: number;
  by: string;
  reason: string;
}

/** The manifest of a period's export, kept byte for byte as written. */
export interface ExportManifest {
  period: string;
  /** the manifest as JSON text */
  manifestJson: string;
  by: string;
  /** when it was saved, epoch ms */
  atMs: number;
}

/** A key task's closure (销号): by a person, or by its KPI rule (kept until a person reopens it). */
export interface TaskClosure {
  task: string;
  /** the period it closed in */
  period: string;
  source: 'manual' | 'kpi';
  /** when it was recorded, epoch ms (the store's clock) */
  atMs: number;
  /** when it counts as closed: a person's closure when made, a KPI closure at the end of its period */
  effectiveMs: number;
  by: string;
  /** the person's words, or the KPI values that proved it */
  evidence: string;
}

/** One entry of the points ledger (积分). */
export interface PointsRecord {
  /** computed: `period|source|ref|scope_type|scope_id`; a manual award: `award-<its audit seq>` */
  id: string;
  period: string;
  scope_type: string;
  scope_id: string;
  points: number;
  /** 'target' and 'task' entries are computed (a recompute replaces them); 'manual' awards are kept */
  source: 'target' | 'task' | 'manual';
  ref: string;
  reason: string;
  by: string;
  atMs: number;
}

/** The portal's users and sessions are part of it (port-users.ts): kept beside the audit log they write to. */
export interface RecordsStore extends UsersStore {
  /**
   * Locks a period; with its `lock` audit entry in the same transaction. A period already locked keeps its first
   * lock and no entry is written: returns false then.
   */
  lock(period: string, by: string, reason: string): Promise<boolean>;
  /**
   * Opens a locked period for recomputation. Always writes a `reopen` audit entry (in the same transaction as the
   * lock's removal), even when it was not locked: a decision was taken. Returns whether a lock was removed.
   */
  reopen(period: string, by: string, reason: string): Promise<boolean>;
  isLocked(period: string): Promise<boolean>;
  /** every lock, by period */
  locks(): Promise<MonthLock[]>;

  /** Appends an entry to the audit log; concurrent appends (any process) are chained one after the other. */
  append(input: AuditInput): Promise<AuditEntry>;
  /** the audit log by seq, or only the entries of one period */
  list(filter?: { period?: string | undefined }): Promise<AuditEntry[]>;
  /** walks the whole chain: every hash recomputed, every link and the head checked */
  verify(): Promise<VerifyResult>;

  /** Records (or replaces) a computed period. */
  record(entry: ComputedPeriod): Promise<void>;
  /** every computed period, by kind then period */
  computed(): Promise<ComputedPeriod[]>;
  get(kind: string, period: string): Promise<ComputedPeriod | undefined>;

  /**
   * Notes that periods were asked for (each replacing an earlier request of it), in one transaction; the store's
   * clock stamps them.
   */
  request(requests: readonly { kind: string; period: string; by: string; reason: string }[]): Promise<void>;
  /**
   * The requests not computed since they were made (no computed period of that kind and label whose `atMs` is at
   * or after the request's), by kind then period: what a queue that lost its jobs must be given again.
   */
  pending(): Promise<PeriodRequest[]>;

  /** Saves (or replaces) a period's export manifest, with an `export` audit entry in the same transaction. */
  saveManifest(period: string, manifestJson: string, by: string): Promise<ExportManifest>;
  manifest(period: string): Promise<ExportManifest | undefined>;

  /**
   * Closes a key task, with a `task-close` audit entry in the same transaction. A task already closed keeps its
   * closure (nothing is written): returns the closure that stands, and whether this call made it.
   */
  closeTask(c: Omit<TaskClosure, 'atMs'>): Promise<{ closure: TaskClosure; made: boolean }>;
  /** Removes a task's closure; always writes a `task-reopen` audit entry (a decision was taken). */
  reopenTask(task: string, by: string, reason: string): Promise<boolean>;
  /** every standing closure, by task */
  closures(): Promise<TaskClosure[]>;
  /** A manual award (or deduction), with its `points-award` audit entry in the same transaction. */
  award(a: {
    period: string;
    scope_type: string;
    scope_id: string;
    points: number;
    by: string;
    reason: string;
  }): Promise<PointsRecord>;
  /**
   * Replaces a period's computed entries ('target', 'task') by these, in one transaction; manual awards stay. The
   * entries' `atMs` is the store's clock.
   */
  replaceLedger(period: string, entries: readonly Omit<PointsRecord, 'id' | 'atMs'>[]): Promise<void>;
  /** the ledger (of one period), by period then id */
  ledger(filter?: { period?: string | undefined }): Promise<PointsRecord[]>;

  close(): Promise<void>;
}
