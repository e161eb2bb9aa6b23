/**
 * `plantkpi audit [--period P] [--verify] [--data DIR] [--config FILE]`: the records store's audit log, one entry a
 * line, or (--verify) the whole hash chain checked. PostgreSQL when the config has `records.url`, else the embedded
 * store in DATA/records, which must exist (a mistyped --data must not read as an empty, intact log).
 * On a terminal the log is an aligned table with bilingual headings and each action's name beside its code; into a
 * pipe or a file it stays tab-separated with the English header, for scripts.
 */
import { existsSync } from 'node:fs';
import { CliError, EXIT, MissingInputError, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import { recordsTarget } from '../records/open.ts';
import type { AuditEntry } from '../records/port.ts';
import { openSharedRecords } from '../records/shared.ts';
import type { Io, Parsed } from './args.ts';
import { table } from './format.ts';

const DEFAULT_DATA = './data';
/** a month, day or hour label: 2026-10, 2026-10-05, 2026-10-05T08 */
const PERIOD = /^\d{4}-\d{2}(-\d{2}(T\d{2})?)?$/;

/** The actions' names, zh-CN with English (an action without one is shown by its code). */
export const ACTION_NAMES: Readonly<Record<string, string>> = {
  lock: '锁定 locked',
  reopen: '重开 reopened',
  recompute: '重算 recomputed',
  'recompute-refused': '拒绝重算 recompute refused',
  export: '导出 exported',
  'user-add': '新增用户 user added',
  'user-password': '设置密码 password set',
  'user-disable': '停用用户 user disabled',
};

const one = (s: string) => s.replaceAll(/[\t\r\n]+/g, ' ');

function cells(e: AuditEntry): string[] {
  return [
    String(e.seq),
    new Date(e.atMs).toISOString(),
    e.action,
    e.period ?? '-',
    one(e.by),
    one(e.reason),
    e.detail === null ? '-' : JSON.stringify(e.detail),
    e.hash.slice(0, 12),
  ];
}

/** One entry as a tab-separated line: seq, time (UTC), action, period, by, reason, detail, hash (first 12). */
export function formatEntry(e: AuditEntry): string {
  return cells(e).join('\t');
}

/** The log for people: aligned columns, bilingual headings, the action's name beside its code. */
export function auditTable(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) => {
    const c = cells(e);
    const name = ACTION_NAMES[e.action];
    c[2] = name === undefined ? e.action : `${e.action} ${name}`;
    return c;
  });
  const head = [
    '序号 seq',
    '时间 at (UTC)',
    '动作 action',
    '期间 period',
    '由 by',
    '原因 reason',
    '详情 detail',
    '哈希 hash',
  ];
  return `${table(head, rows, new Set([0]))}\n`;
}

export async function cmdAudit(o: Parsed, io: Io): Promise<number> {
  const period = o.values.period;
  if (period !== undefined && !PERIOD.test(period))
    throw new UsageError(
      `--period '${period}' 不是期间 is not a period label (2026-10, 2026-10-05, 2026-10-05T08)`,
    );
  const config = o.values.config === undefined ? {} : loadPlantConfig(o.values.config).config;
  const data = o.values.data ?? DEFAULT_DATA;
  const target = recordsTarget(config, data);
  if ('dir' in target && !existsSync(target.dir))
    throw new MissingInputError(
      target.dir,
      `--data ${data}: 没有记录库 no records store in ${target.dir} (nothing was locked or audited there): ` +
        '请给出作业使用的数据目录 give the data directory the jobs use, 或带 records.url 的 --config or --config with records.url',
    );
  // while a worker or scheduler holds the embedded store, it lets go for this (they take turns)
  const store = await openSharedRecords(target);
  try {
    if (o.values.verify !== undefined) {
      const r = await store.verify();
      if (!r.ok && r.firstBad)
        throw new CliError(
          `audit log broken at entry ${r.firstBad.seq}: ${r.firstBad.reason} (${r.checked} entries before it verified)`,
        );
      const last = (await store.list()).at(-1);
      io.out(`audit log verified: ${r.checked} entries${last ? `, last hash ${last.hash}` : ''}\n`);
      return EXIT.ok;
    }
    const entries = await store.list(period === undefined ? {} : { period });
    if (io.isTTY) {
      io.out(auditTable(entries));
      return EXIT.ok;
    }
    io.out('seq\tat\taction\tperiod\tby\treason\tdetail\thash\n');
    for (const e of entries) io.out(`${formatEntry(e)}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
