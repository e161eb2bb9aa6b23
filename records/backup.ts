/**
 * Backup and restore of the records store, the same for PostgreSQL and the embedded PGlite (backup-format.ts has the
 * file). A backup reads every table in one read-only snapshot (repeatable read; the embedded folder is held under
 * its lock by the open, so no other process writes it meanwhile). A restore replaces every table in one
 * transaction, with the tables locked, and commits only when the audit chain it loaded verifies exactly as the
 * source's did when it was read: seq, times and hashes are copied, never recomputed, and no entry is added. The
 * portal's sessions are not in a backup (NOT_BACKED_UP): a restore empties them, so everyone signs in again.
 */
import { type Kysely, sql } from 'kysely';
import { RefusedError } from '../config/errors.ts';
import {
  BACKUP_COLUMNS,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BACKUP_ORDER,
  BACKUP_TABLES,
  BackupFileError,
  type BackupRow,
  backupTableColumns,
  type ColumnKind,
  NOT_BACKED_UP,
  type RecordsBackup,
  type TableName,
} from './backup-format.ts';
import { describeTarget, openMigrated, type RecordsTarget } from './open.ts';
import type { VerifyResult } from './port.ts';
import { verifyIn } from './store.ts';
import type { RecordsDb } from './tables.ts';

/** The table-generic loops' view of the database (BACKUP_COLUMNS, checked against tables.ts, is the typed truth). */
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** rows per INSERT: audit_log's 9 columns stay far below PostgreSQL's 65,535 parameters */
const INSERT_ROWS = 500;

export type TableCounts = { [T in TableName]: number };

export const engineOf = (target: RecordsTarget): 'postgresql' | 'embedded' =>
  'url' in target ? 'postgresql' : 'embedded';

/** Opens the target (migrating it, as every open does) and reads the backup from one snapshot. */
export async function backupRecords(
  target: RecordsTarget,
  options: { nowMs: number },
): Promise<RecordsBackup> {
  const db = await openMigrated(target);
  try {
    return await readBackup(db, engineOf(target), options.nowMs);
  } finally {
    await db.destroy();
  }
}

/** Every table, one read-only repeatable-read snapshot, with the migrations run and the chain's verification. */
export async function readBackup(
  db: Kysely<RecordsDb>,
  engine: 'postgresql' | 'embedded',
  createdAtMs: number,
): Promise<RecordsBackup> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        trx,
      );
      const rows = {} as RecordsBackup['rows'];
      for (const table of BACKUP_TABLES) rows[table] = await selectTable(trx, table);
      return {
        header: {
          format: BACKUP_FORMAT,
          formatVersion: BACKUP_FORMAT_VERSION,
          migrations: migrations.rows.map((r) => r.name),
          createdAtMs,
          engine,
          tables: backupTableColumns(),
          audit: await verifyIn(trx),
        },
        rows,
      };
    });
}

async function selectTable(db: Kysely<RecordsDb>, table: TableName): Promise<BackupRow[]> {
  let q = (db as unknown as AnyDb).selectFrom(table).selectAll();
  for (const key of BACKUP_ORDER[table]) q = q.orderBy(key);
  const columns: Readonly<Record<string, ColumnKind>> = BACKUP_COLUMNS[table];
  return (await q.execute()).map((r) => {
    const row: BackupRow = {};
    for (const [c, kind] of Object.entries(columns)) {
      const v = r[c];
      if (kind === 'text' || kind === 'text?') row[c] = v as string | null;
      else if (kind === 'float8') row[c] = Number(v);
      else if (kind === 'int8?' && v === null) row[c] = null;
      else {
        // int8 comes back as text (pg) or bigint (PGlite): epoch ms and seq are well inside 2^53
        const n = Number(v);
        if (!Number.isSafeInteger(n))
          throw new Error(`records ${table}.${c} holds ${String(v)}, not an integer`);
        row[c] = n;
      }
    }
    return row;
  });
}

export interface RestoreResult {
  /** the target held nothing (no rows, its chain at entry 0) */
  wasEmpty: boolean;
  /** what the target held before */
  replaced: TableCounts;
  restored: TableCounts;
  /** the loaded chain's verification: the source's, as the header recorded it */
  audit: VerifyResult;
}

/**
 * Restores a parsed backup into the target: migrated first (so it is at this build's version), then in one
 * transaction, its tables locked against every other writer: refuses (RefusedError) a target with contents unless
 * `force`, empties every table, inserts every row, and commits only if the chain verifies as it did at the source
 * (else a BackupFileError, nothing changed). `name` is the file, for messages.
 */
export async function restoreRecords(
  target: RecordsTarget,
  backup: RecordsBackup,
  options: { force: boolean; name: string },
): Promise<RestoreResult> {
  const db = await openMigrated(target);
  try {
    return await db.transaction().execute(async (trx) => {
      const any = trx as unknown as AnyDb;
      const all = [...BACKUP_TABLES, ...NOT_BACKED_UP];
      await sql`lock table ${sql.join(all.map((t) => sql.table(t)))} in access exclusive mode`.execute(trx);
      const replaced = await countRows(trx);
      const head = await trx.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirst();
      const empty =
        BACKUP_TABLES.every((t) => t === 'audit_head' || replaced[t] === 0) && Number(head?.seq) === 0;
      if (!empty && !options.force)
        throw new RefusedError(
          `the records store ${describeTarget(target)} is not empty (${describeCounts(replaced)}): a restore replaces all of it; add --force to replace it (in one transaction), or restore into an empty store`,
        );
      // the sessions go first (they name users) and stay empty: everyone signs in again after a restore
      for (const table of [...NOT_BACKED_UP, ...[...BACKUP_TABLES].reverse()])
        await any.deleteFrom(table).execute();
      for (const table of BACKUP_TABLES) {
        const rows = backup.rows[table];
        for (let i = 0; i < rows.length; i += INSERT_ROWS)
          await any
            .insertInto(table)
            .values(rows.slice(i, i + INSERT_ROWS))
            .execute();
      }
      const audit = await verifyIn(trx);
      const expected = backup.header.audit;
      if (JSON.stringify(normalize(audit)) !== JSON.stringify(normalize(expected)))
        throw new BackupFileError(
          `${options.name}: its audit log does not verify as the source's did when it was backed up (then: ${describeVerify(expected)}; loaded: ${describeVerify(audit)}): the file was edited after the backup; nothing was restored`,
        );
      return { wasEmpty: empty, replaced, restored: countsOf(backup), audit };
    });
  } finally {
    await db.destroy();
  }
}

async function countRows(db: Kysely<RecordsDb>): Promise<TableCounts> {
  const counts = {} as TableCounts;
  for (const table of BACKUP_TABLES) {
    const r = await (db as unknown as AnyDb)
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(r.n);
  }
  return counts;
}

export function countsOf(backup: RecordsBackup): TableCounts {
  return Object.fromEntries(BACKUP_TABLES.map((t) => [t, backup.rows[t].length])) as TableCounts;
}

/** "2 locks, 14 audit entries, 30 computed periods, 1 export manifest" */
export function describeCounts(c: TableCounts): string {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  return [
    n(c.month_lock, 'lock'),
    n(c.audit_log, 'audit entry', 'audit entries'),
    n(c.computed_period, 'computed period'),
    n(c.export_manifest, 'export manifest'),
    // the responsibility loop's, when there are any (a plant without one keeps its old line)
    ...(c.task_closure > 0 ? [n(c.task_closure, 'task closure')] : []),
    ...(c.points_entry > 0 ? [n(c.points_entry, 'points entry', 'points entries')] : []),
    ...(c.portal_user > 0 ? [n(c.portal_user, 'portal user')] : []),
  ].join(', ');
}

export function describeVerify(v: VerifyResult): string {
  return v.ok
    ? `${v.checked} entries verified`
    : `broken at entry ${v.firstBad?.seq}: ${v.firstBad?.reason} (${v.checked} entries before it verified)`;
}

/** the fields that matter, in one order (a header read from JSON may list them otherwise) */
const normalize = (v: VerifyResult) => ({
  ok: v.ok,
  checked: v.checked,
  firstBad: v.firstBad === undefined ? null : { seq: v.firstBad.seq, reason: v.firstBad.reason },
});
