/** The records database's tables as Kysely sees them (migrations/ creates them; one schema for both engines). */
import type { ColumnType, Generated } from 'kysely';

/** int8 columns: PostgreSQL returns them as text (pg) or bigint (PGlite); the store turns them into numbers. */
type Int8 = ColumnType<string | number | bigint, number, number>;
/** a nullable int8 column */
type Int8OrNull = ColumnType<string | number | bigint | null, number | null, number | null>;

export interface MonthLockTable {
  period: string;
  at_ms: Int8;
  by: string;
  reason: string;
}

export interface AuditLogTable {
  seq: Int8;
  at_ms: Int8;
  action: string;
  period: string | null;
  by: string;
  reason: string;
  /** canonical JSON text (chain.ts), kept as text so the hashed bytes are the stored bytes */
  detail: string | null;
  prev_hash: string;
  hash: string;
}

/** One row (id 1): the last entry appended; its row lock serializes appends. */
export interface AuditHeadTable {
  id: Generated<number>;
  seq: Int8;
  hash: string;
}

export interface ComputedPeriodTable {
  kind: string;
  period: string;
  config_hash: string;
  fingerprint: string;
  at_ms: Int8;
  worker: string;
}

export interface ExportManifestTable {
  period: string;
  manifest_json: string;
  by: string;
  at_ms: Int8;
}

/** A period asked for, and when: pending while no computation of it is as recent (migration 003). */
export interface PeriodRequestTable {
  kind: string;
  period: string;
  at_ms: Int8;
  by: string;
  reason: string;
}

/** A key task's closure (migration 004): one per task until a person reopens it. */
export interface TaskClosureTable {
  task: string;
  /** the period it closed in */
  period: string;
  /** 'manual' (a person) or 'kpi' (its rule, found by a computation) */
  source: string;
  at_ms: Int8;
  /** when it counts as closed: a person's closure when made, a KPI closure at its period's end */
  effective_ms: Int8;
  by: string;
  evidence: string;
}

/** One points ledger entry (migration 004). */
export interface PointsEntryTable {
  /** computed: period|source|ref|scope_type|scope_id; manual: award-<audit seq> */
  id: string;
  period: string;
  scope_type: string;
  scope_id: string;
  points: number;
  /** 'target' | 'task' (computed, replaced by a recompute) | 'manual' (kept) */
  source: string;
  ref: string;
  reason: string;
  by: string;
  at_ms: Int8;
}

/** A portal user (migration 005): never deleted, only disabled. */
export interface PortalUserTable {
  username: string;
  display_name: string;
  /** 'energy_manager' | 'branch_secretary' | 'viewer' */
  role: string;
  /** a branches[].id; required for a secretary, null for an energy manager */
  branch: string | null;
  /** scrypt$N$r$p$salt$hash (portal/password.ts); never a password */
  password_hash: string;
  created_at_ms: Int8;
  /** when it was disabled, epoch ms; null while it may sign in */
  disabled_at_ms: Int8OrNull;
}

/** A signed-in browser (migration 005): ephemeral, not backed up. */
export interface PortalSessionTable {
  /** sha256 (hex) of the id in the cookie */
  id_hash: string;
  username: string;
  created_at_ms: Int8;
  expires_at_ms: Int8;
  csrf_secret: string;
}

export interface RecordsDb {
  month_lock: MonthLockTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  computed_period: ComputedPeriodTable;
  export_manifest: ExportManifestTable;
  period_request: PeriodRequestTable;
  task_closure: TaskClosureTable;
  points_entry: PointsEntryTable;
  portal_user: PortalUserTable;
  portal_session: PortalSessionTable;
}
