/** The backup file on its own (no database): what it writes, and every way a file is refused before a restore. */
import { describe, expect, it } from 'vitest';
import { BackupFileError, encodeBackup, parseBackup, type RecordsBackup } from './backup-format.ts';
import { editBackup, editBackupLine } from './backup-testing.ts';
import { GENESIS } from './chain.ts';

const KNOWN = [
  '001_initial',
  '002_audit_period_index',
  '003_period_request',
  '004_responsibility',
  '005_portal_users',
];
const T0 = Date.UTC(2026, 10, 1);

const backup: RecordsBackup = {
  header: {
    format: 'plantkpi-records-backup',
    formatVersion: 1,
    migrations: KNOWN,
    createdAtMs: T0 + 60_000,
    engine: 'postgresql',
    tables: {
      month_lock: ['period', 'at_ms', 'by', 'reason'],
      audit_log: ['seq', 'at_ms', 'action', 'period', 'by', 'reason', 'detail', 'prev_hash', 'hash'],
      audit_head: ['id', 'seq', 'hash'],
      computed_period: ['kind', 'period', 'config_hash', 'fingerprint', 'at_ms', 'worker'],
      export_manifest: ['period', 'manifest_json', 'by', 'at_ms'],
      period_request: ['kind', 'period', 'at_ms', 'by', 'reason'],
      task_closure: ['task', 'period', 'source', 'at_ms', 'effective_ms', 'by', 'evidence'],
      points_entry: [
        'id',
        'period',
        'scope_type',
        'scope_id',
        'points',
        'source',
        'ref',
        'reason',
        'by',
        'at_ms',
      ],
      portal_user: [
        'username',
        'display_name',
        'role',
        'branch',
        'password_hash',
        'created_at_ms',
        'disabled_at_ms',
      ],
    },
    audit: { ok: true, checked: 1 },
  },
  rows: {
    month_lock: [{ period: '2026-10', at_ms: T0, by: 'scheduler', reason: '月结 closed' }],
    audit_log: [
      {
        seq: 1,
        at_ms: T0,
        action: 'lock',
        period: '2026-10',
        by: 'scheduler',
        reason: '月结 closed',
        detail: null,
        prev_hash: GENESIS,
        hash: 'a'.repeat(64),
      },
    ],
    audit_head: [{ id: 1, seq: 1, hash: 'a'.repeat(64) }],
    computed_period: [
      {
        kind: 'month',
        period: '2026-09',
        config_hash: 'c',
        fingerprint: 'f',
        at_ms: T0 - 5,
        worker: 'w@h:1',
      },
    ],
    export_manifest: [{ period: '2026-09', manifest_json: '{"files":[]}', by: 'worker', at_ms: T0 - 4 }],
    period_request: [
      { kind: 'day', period: '2026-10-02', at_ms: T0 - 3, by: 'backfill@h:1', reason: 'backfill' },
    ],
    task_closure: [
      {
        task: 'K-1',
        period: '2026-10',
        source: 'kpi',
        at_ms: T0 - 2,
        effective_ms: T0 - 90_000,
        by: 'worker',
        evidence: 'intensity.energy ≤ 16: 2026-10 15.7',
      },
    ],
    points_entry: [
      {
        id: 'award-7',
        period: '2026-10',
        scope_type: 'branch',
        scope_id: 'B-PWR',
        points: 2.5,
        source: 'manual',
        ref: 'award-7',
        reason: '抢修 repair',
        by: '王',
        at_ms: T0 - 1,
      },
    ],
    portal_user: [
      {
        username: 'wang.sj',
        display_name: '王书记',
        role: 'branch_secretary',
        branch: 'B-PWR',
        password_hash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==',
        created_at_ms: T0 - 1,
        disabled_at_ms: null,
      },
      {
        username: 'zhao',
        display_name: '赵 Zhao',
        role: 'viewer',
        branch: null,
        password_hash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==',
        created_at_ms: T0 - 1,
        disabled_at_ms: T0,
      },
    ],
  },
};
const text = encodeBackup(backup);
const bytes = (t: string) => Buffer.from(t, 'utf8');
const parse = (t: string | Buffer) => parseBackup(typeof t === 'string' ? bytes(t) : t, 'b.jsonl', KNOWN);
const refused = (t: string | Buffer): string => {
  try {
    parse(t);
  } catch (err) {
    expect(err).toBeInstanceOf(BackupFileError);
    expect((err as BackupFileError).exitCode).toBe(4);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('records backup file', () => {
  it('is a header, one line per row (tables in migration order, columns in order), and a sealed end line', () => {
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(12);
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'plantkpi-records-backup', migrations: KNOWN });
    expect(lines.slice(1, -1).map((l) => JSON.parse(l).table)).toEqual([
      'month_lock',
      'audit_log',
      'audit_head',
      'computed_period',
      'export_manifest',
      'period_request',
      'task_closure',
      'points_entry',
      'portal_user',
      'portal_user',
    ]);
    expect(lines[1]).toBe(
      `{"table":"month_lock","row":{"period":"2026-10","at_ms":${T0},"by":"scheduler","reason":"月结 closed"}}`,
    );
    expect(JSON.parse(lines[11]!)).toEqual({
      end: 'plantkpi-records-backup',
      rows: {
        month_lock: 1,
        audit_log: 1,
        audit_head: 1,
        computed_period: 1,
        export_manifest: 1,
        period_request: 1,
        task_closure: 1,
        points_entry: 1,
        portal_user: 2,
      },
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(parse(text)).toEqual(backup);
  });

  it('refuses what is not a records backup', () => {
    for (const t of ['', 'signal,time,value\nE1,2026-10-01T00:00:00+08:00,1\n', '{"format":"other"}\n', '\n'])
      expect(refused(t)).toMatch(/^b\.jsonl is not a plantkpi records backup/);
  });

  it('refuses every file cut short, wherever it is cut', () => {
    const b = bytes(text);
    for (let n = 0; n < b.length; n++) refused(b.subarray(0, n));
    expect(refused(b.subarray(0, b.length - 1))).toMatch(/^b\.jsonl is truncated/);
    expect(refused(b.subarray(0, b.indexOf('\n{"table":"computed_period"')))).toMatch(
      /^b\.jsonl is truncated/,
    );
  });

  it('refuses every file with one byte changed, wherever it is', () => {
    const b = bytes(text);
    for (let i = 0; i < b.length; i++) {
      const c = Buffer.from(b);
      c[i] = (c[i] as number) ^ 0x01;
      refused(c);
    }
    expect(refused(text.replace('"by":"worker"', '"by":"wurker"'))).toMatch(
      /^b\.jsonl is damaged: its content's sha256 is [0-9a-f]{64}, its end line says [0-9a-f]{64}/,
    );
  });

  it('refuses a backup from a newer plantkpi: a migration or a format version it does not know', () => {
    const newer = editBackupLine(
      text,
      (l) => l.format !== undefined,
      (h) => {
        h.migrations = [...KNOWN, '006_manifest_signatures'];
      },
    );
    expect(refused(newer)).toBe(
      'b.jsonl was taken at records migration 006_manifest_signatures, newer than this plantkpi knows (006_manifest_signatures unknown; its latest is 005_portal_users): restore it with the plantkpi that took it, or a newer one',
    );
    const v2 = text.replace('"formatVersion":1', '"formatVersion":2');
    expect(refused(v2)).toMatch(
      /^b\.jsonl is a records backup of format version 2, newer than this plantkpi/,
    );
  });

  it('a backup from an older plantkpi (fewer migrations, the same columns) is read', () => {
    const older = editBackupLine(
      text,
      (l) => l.format !== undefined,
      (h) => {
        h.migrations = ['001_initial'];
      },
    );
    expect(parse(older).header.migrations).toEqual(['001_initial']);
  });

  it('a backup from before a table was added (002: no period_request) is read, that table empty; a row of it refused', () => {
    const later = ['period_request', 'task_closure', 'points_entry', 'portal_user'];
    const edited = editBackup(text, (lines) =>
      lines
        .filter((l) => !later.some((t) => l.startsWith(`{"table":"${t}"`)))
        .map((l) => {
          const v = JSON.parse(l) as Record<string, Record<string, unknown>>;
          if (v.format === undefined) return l;
          (v as Record<string, unknown>).migrations = KNOWN.slice(0, 2);
          for (const t of later) delete v.tables![t];
          return JSON.stringify(v);
        }),
    );
    // and its end line (outside the sha256) counts none of them
    const lines = edited.trimEnd().split('\n');
    const end = JSON.parse(lines.pop()!) as { rows: Record<string, number> };
    for (const t of later) delete end.rows[t];
    const older = `${[...lines, JSON.stringify(end)].join('\n')}\n`;
    const b = parse(older);
    expect(b.header.migrations).toEqual(KNOWN.slice(0, 2));
    expect(b.rows.period_request).toEqual([]);
    expect(b.rows.points_entry).toEqual([]);
    expect(b.rows.portal_user).toEqual([]);
    expect(b.rows.computed_period).toEqual(backup.rows.computed_period);
    // its header has no period_request: a line of it does not belong
    const stray = editBackup(older, (lines) => [
      ...lines,
      '{"table":"period_request","row":{"kind":"day","period":"2026-10-02","at_ms":1,"by":"b","reason":"r"}}',
    ]);
    expect(refused(stray)).toMatch(/unknown table 'period_request'/);
  });

  it('refuses rows that do not fit the tables, even in a file sealed again', () => {
    const atMsText = editBackupLine(
      text,
      (l) => l.table === 'month_lock',
      (l) => {
        (l.row as Record<string, unknown>).at_ms = '2026-11-01';
      },
    );
    expect(refused(atMsText)).toBe(
      'b.jsonl:2: column at_ms must be int8, got "2026-11-01"; nothing was restored',
    );
    const extra = editBackupLine(
      text,
      (l) => l.table === 'computed_period',
      (l) => {
        (l.row as Record<string, unknown>).note = 'x';
      },
    );
    expect(refused(extra)).toMatch(/^b\.jsonl:5: unknown column\(s\) note/);
    const unknownTable = editBackupLine(
      text,
      (l) => l.table === 'computed_period',
      (l) => {
        l.table = 'users';
      },
    );
    expect(refused(unknownTable)).toMatch(/^b\.jsonl:5: unknown table 'users'/);
    // the portal's sessions are never in a backup (NOT_BACKED_UP): a line of them does not belong
    const session = editBackup(text, (lines) => [
      ...lines,
      '{"table":"portal_session","row":{"id_hash":"ab","username":"zhao","created_at_ms":1,"expires_at_ms":2,"csrf_secret":"s"}}',
    ]);
    expect(refused(session)).toMatch(/^b\.jsonl:12: unknown table 'portal_session'/);
    const disabledText = editBackupLine(
      text,
      (l) => l.table === 'portal_user' && (l.row as { username: string }).username === 'zhao',
      (l) => {
        (l.row as Record<string, unknown>).disabled_at_ms = 'yes';
      },
    );
    expect(refused(disabledText)).toBe(
      'b.jsonl:11: column disabled_at_ms must be int8 or null, got "yes"; nothing was restored',
    );
    const dropped = editBackup(text, (lines) =>
      lines.filter((l) => !l.startsWith('{"table":"export_manifest"')),
    );
    expect(refused(dropped)).toMatch(/its end line counts 1 rows of export_manifest, the file holds 0/);
    const columns = editBackupLine(
      text,
      (l) => l.format !== undefined,
      (h) => {
        (h.tables as Record<string, string[]>).month_lock = ['period', 'at_ms', 'by'];
      },
    );
    expect(refused(columns)).toMatch(/its tables and columns .* are not this plantkpi's/);
  });
});
