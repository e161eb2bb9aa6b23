/**
 * The records backup file, pure (no database, no files): one format for both engines, so a backup taken from
 * PostgreSQL restores into the embedded store and back. JSON lines, UTF-8:
 *
 *   {"format":"plantkpi-records-backup","formatVersion":1,"migrations":[...],"createdAtMs":...,"engine":...,
 *    "tables":{"month_lock":["period","at_ms","by","reason"],...},"audit":{"ok":true,"checked":12}}
 *   {"table":"month_lock","row":{"period":"2026-10","at_ms":1793491200000,"by":"scheduler","reason":"closed"}}
 *   ... every row of every table, tables in the order the migrations created them, rows by primary key ...
 *   {"end":"plantkpi-records-backup","rows":{"month_lock":1,...},"sha256":"<hex of every byte before this line>"}
 *
 * The header names the migrations the source had run and how its audit chain verified when it was read; the end
 * line closes the file, so a file cut short has none, and its sha256 finds a byte changed anywhere before it. It
 * detects damage, not intent: whoever edits the file can recompute it (the restore then checks the audit chain).
 */
import { createHash } from 'node:crypto';
import { EXIT, PlantkpiError } from '../config/errors.ts';
import type { VerifyResult } from './port.ts';
import type { RecordsDb } from './tables.ts';

export const BACKUP_FORMAT = 'plantkpi-records-backup';
/** the layout of the lines above; a reader refuses a higher one */
export const BACKUP_FORMAT_VERSION = 1;

/**
 * How a column's value is written: text, a nullable text, a bigint (as a JSON number: epoch ms, seq), a nullable
 * bigint, an integer, a double.
 */
export type ColumnKind = 'text' | 'text?' | 'int8' | 'int8?' | 'int4' | 'float8';

/**
 * The tables a backup leaves out, deliberately: the portal's sessions are ephemeral (a restore empties them, and
 * everyone signs in again). A new table is either in BACKUP_COLUMNS or here.
 */
export const NOT_BACKED_UP = ['portal_session'] as const;

export type TableName = Exclude<keyof RecordsDb, (typeof NOT_BACKED_UP)[number]>;

/**
 * Every column of every table (tables.ts; the compiler holds the two together), in the order the migrations created
 * the tables. A migration that adds a table or a column changes this too.
 */
export const BACKUP_COLUMNS = {
  month_lock: { period: 'text', at_ms: 'int8', by: 'text', reason: 'text' },
  audit_log: {
    seq: 'int8',
    at_ms: 'int8',
    action: 'text',
    period: 'text?',
    by: 'text',
    reason: 'text',
    detail: 'text?',
    prev_hash: 'text',
    hash: 'text',
  },
  audit_head: { id: 'int4', seq: 'int8', hash: 'text' },
  computed_period: {
    kind: 'text',
    period: 'text',
    config_hash: 'text',
    fingerprint: 'text',
    at_ms: 'int8',
    worker: 'text',
  },
  export_manifest: { period: 'text', manifest_json: 'text', by: 'text', at_ms: 'int8' },
  period_request: { kind: 'text', period: 'text', at_ms: 'int8', by: 'text', reason: 'text' },
  task_closure: {
    task: 'text',
    period: 'text',
    source: 'text',
    at_ms: 'int8',
    effective_ms: 'int8',
    by: 'text',
    evidence: 'text',
  },
  points_entry: {
    id: 'text',
    period: 'text',
    scope_type: 'text',
    scope_id: 'text',
    points: 'float8',
    source: 'text',
    ref: 'text',
    reason: 'text',
    by: 'text',
    at_ms: 'int8',
  },
  portal_user: {
    username: 'text',
    display_name: 'text',
    role: 'text',
    branch: 'text?',
    password_hash: 'text',
    created_at_ms: 'int8',
    disabled_at_ms: 'int8?',
  },
} as const satisfies { [T in TableName]: { [C in keyof RecordsDb[T]]-?: ColumnKind } };

export const BACKUP_TABLES = Object.keys(BACKUP_COLUMNS) as TableName[];

/** Each table's primary key: the order its rows are written in. */
export const BACKUP_ORDER: { [T in TableName]: readonly (keyof RecordsDb[T] & string)[] } = {
  month_lock: ['period'],
  audit_log: ['seq'],
  audit_head: ['id'],
  computed_period: ['kind', 'period'],
  export_manifest: ['period'],
  period_request: ['kind', 'period'],
  task_closure: ['task'],
  points_entry: ['id'],
  portal_user: ['username'],
};

/** A row as written: column name to value (int8, int4 and float8 as numbers). */
export type BackupRow = Record<string, string | number | null>;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  /** the migrations the source had run, in order (the last is its schema version) */
  migrations: string[];
  /** when the backup was read, epoch ms */
  createdAtMs: number;
  /** where it was read from */
  engine: 'postgresql' | 'embedded';
  /** each table's columns, in order */
  tables: Record<string, string[]>;
  /** the source's audit chain as it verified in the snapshot the rows were read from */
  audit: VerifyResult;
}

export interface RecordsBackup {
  header: BackupHeader;
  rows: { [T in TableName]: BackupRow[] };
}

/** A backup file refused whole (not a backup, cut short, damaged, from a newer plantkpi): nothing was restored. */
export class BackupFileError extends PlantkpiError {
  readonly exitCode = EXIT.input;
  readonly retryable = false;
  override name = 'BackupFileError';
}

/** This build's tables and columns, as the header lists them. */
export function backupTableColumns(): Record<string, string[]> {
  return Object.fromEntries(BACKUP_TABLES.map((t) => [t, Object.keys(BACKUP_COLUMNS[t])]));
}

/** The file's text: header, rows, end line with the counts and the sha256 of everything before it. */
export function encodeBackup(backup: RecordsBackup): string {
  const h = backup.header;
  const header = {
    format: BACKUP_FORMAT,
    formatVersion: h.formatVersion,
    migrations: h.migrations,
    createdAtMs: h.createdAtMs,
    engine: h.engine,
    tables: h.tables,
    audit: h.audit,
  };
  const lines = [JSON.stringify(header)];
  const counts: Record<string, number> = {};
  for (const table of BACKUP_TABLES) {
    const columns = Object.keys(BACKUP_COLUMNS[table]);
    for (const r of backup.rows[table]) {
      // the columns in their order, whatever the order of the object handed in
      const row = Object.fromEntries(columns.map((c) => [c, r[c] ?? null]));
      lines.push(JSON.stringify({ table, row }));
    }
    counts[table] = backup.rows[table].length;
  }
  const body = `${lines.join('\n')}\n`;
  const sha256 = createHash('sha256').update(body, 'utf8').digest('hex');
  return `${body}${JSON.stringify({ end: BACKUP_FORMAT, rows: counts, sha256 })}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads a backup file's bytes and checks all of it before anything is restored: the header, the end line and its
 * sha256 and counts, each row against this build's columns, the migrations against `knownMigrations` (this build's,
 * in order). `name` is the file as the user gave it, for messages. Throws a BackupFileError naming the problem.
 */
export function parseBackup(
  bytes: Uint8Array,
  name: string,
  knownMigrations: readonly string[],
): RecordsBackup {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const firstNl = buf.indexOf(0x0a);
  const first = parseLine(buf.subarray(0, firstNl < 0 ? buf.length : firstNl).toString('utf8'));
  if (!isObject(first) || first.format !== BACKUP_FORMAT)
    throw new BackupFileError(
      `${name} is not a plantkpi records backup (its first line is not a ${BACKUP_FORMAT} header); give a file written by 'plantkpi records backup'`,
    );
  if (typeof first.formatVersion !== 'number' || first.formatVersion > BACKUP_FORMAT_VERSION)
    throw new BackupFileError(
      `${name} is a records backup of format version ${String(first.formatVersion)}, newer than this plantkpi reads (${BACKUP_FORMAT_VERSION}): restore it with the plantkpi that wrote it, or a newer one`,
    );

  // the end line: the last line, ended by a newline; a file cut anywhere has none
  const endAt =
    buf.length > 0 && buf[buf.length - 1] === 0x0a ? buf.lastIndexOf(0x0a, buf.length - 2) + 1 : -1;
  const end = endAt > 0 ? parseLine(buf.subarray(endAt, buf.length - 1).toString('utf8')) : undefined;
  if (!isObject(end) || end.end !== BACKUP_FORMAT || typeof end.sha256 !== 'string' || !isObject(end.rows))
    throw new BackupFileError(
      `${name} is truncated: it does not end with the backup's end line (${buf.length} bytes; an interrupted backup or copy?); nothing was restored, use a complete copy`,
    );
  const sha256 = createHash('sha256').update(buf.subarray(0, endAt)).digest('hex');
  if (sha256 !== end.sha256)
    throw new BackupFileError(
      `${name} is damaged: its content's sha256 is ${sha256}, its end line says ${end.sha256}; nothing was restored, use another copy`,
    );

  const header = checkHeader(first, name, knownMigrations);
  // the tables the backup's plantkpi had (checkHeader: ours, or the first of ours)
  const present = new Set(Object.keys(first.tables as Record<string, unknown>));
  const rows = Object.fromEntries(BACKUP_TABLES.map((t) => [t, [] as BackupRow[]])) as RecordsBackup['rows'];
  const lines = buf.subarray(firstNl + 1, endAt - 1).toString('utf8');
  let lineNo = 1;
  for (const text of lines === '' ? [] : lines.split('\n')) {
    lineNo++;
    const bad = (why: string) => new BackupFileError(`${name}:${lineNo}: ${why}; nothing was restored`);
    const line = parseLine(text);
    if (!isObject(line) || typeof line.table !== 'string' || !isObject(line.row))
      throw bad('not a {"table", "row"} line');
    if (!Object.hasOwn(BACKUP_COLUMNS, line.table) || !present.has(line.table))
      throw bad(`unknown table '${line.table}'`);
    const table = line.table as TableName;
    rows[table].push(checkRow(line.row, BACKUP_COLUMNS[table], bad));
  }
  for (const t of BACKUP_TABLES) {
    // a table the backup's plantkpi did not have yet: no count, no rows
    if ((present.has(t) ? end.rows[t] : (end.rows[t] ?? 0)) !== rows[t].length)
      throw new BackupFileError(
        `${name}: its end line counts ${String(end.rows[t])} rows of ${t}, the file holds ${rows[t].length}; nothing was restored`,
      );
  }
  if (rows.audit_head.length !== 1 || rows.audit_head[0]?.id !== 1)
    throw new BackupFileError(`${name}: audit_head must hold its one row (id 1); nothing was restored`);
  return { header, rows };
}

function checkHeader(h: Record<string, unknown>, name: string, known: readonly string[]): BackupHeader {
  const migrations = h.migrations;
  if (
    !Array.isArray(migrations) ||
    migrations.length === 0 ||
    !migrations.every((m) => typeof m === 'string')
  )
    throw new BackupFileError(`${name}: its header names no migrations; nothing was restored`);
  const unknown = migrations.filter((m) => !known.includes(m));
  if (unknown.length > 0)
    throw new BackupFileError(
      `${name} was taken at records migration ${migrations.at(-1)}, newer than this plantkpi knows (${unknown.join(', ')} unknown; its latest is ${known.at(-1)}): restore it with the plantkpi that took it, or a newer one`,
    );
  if (migrations.some((m, i) => known[i] !== m))
    throw new BackupFileError(
      `${name}: its migrations (${migrations.join(', ')}) are not this plantkpi's in order (${known.join(', ')}); nothing was restored`,
    );
  // the columns must be this build's: a migration that changes a table needs its conversion here first. A backup
  // from an older plantkpi may lack the tables later migrations added (they come last): they are restored empty
  const ours = backupTableColumns();
  const theirs = isObject(h.tables) ? Object.keys(h.tables) : [];
  const mine = Object.fromEntries(Object.entries(ours).slice(0, theirs.length));
  if (!isObject(h.tables) || theirs.length === 0 || JSON.stringify(h.tables) !== JSON.stringify(mine))
    throw new BackupFileError(
      `${name}: its tables and columns ${JSON.stringify(h.tables)} are not this plantkpi's ${JSON.stringify(ours)}; nothing was restored`,
    );
  const audit = h.audit;
  if (!isObject(audit) || typeof audit.ok !== 'boolean' || typeof audit.checked !== 'number')
    throw new BackupFileError(`${name}: its header has no audit result; nothing was restored`);
  if (typeof h.createdAtMs !== 'number' || (h.engine !== 'postgresql' && h.engine !== 'embedded'))
    throw new BackupFileError(`${name}: its header has no createdAtMs or engine; nothing was restored`);
  return {
    format: BACKUP_FORMAT,
    formatVersion: h.formatVersion as number,
    migrations: migrations as string[],
    createdAtMs: h.createdAtMs,
    engine: h.engine,
    tables: ours,
    audit: audit as unknown as VerifyResult,
  };
}

function checkRow(
  row: Record<string, unknown>,
  columns: Readonly<Record<string, ColumnKind>>,
  bad: (why: string) => BackupFileError,
): BackupRow {
  const names = Object.keys(columns);
  const extra = Object.keys(row).filter((k) => !Object.hasOwn(columns, k));
  if (extra.length > 0) throw bad(`unknown column(s) ${extra.join(', ')}`);
  const out: BackupRow = {};
  for (const c of names) {
    const v = row[c];
    const kind = columns[c];
    const ok =
      kind === 'text'
        ? typeof v === 'string'
        : kind === 'text?'
          ? v === null || typeof v === 'string'
          : kind === 'float8'
            ? typeof v === 'number' && Number.isFinite(v)
            : kind === 'int8?'
              ? v === null || Number.isSafeInteger(v)
              : Number.isSafeInteger(v);
    if (!ok)
      throw bad(
        `column ${c} must be ${kind === 'text?' ? 'text or null' : kind === 'int8?' ? 'int8 or null' : kind}, got ${JSON.stringify(v)}`,
      );
    out[c] = v as string | number | null;
  }
  return out;
}
