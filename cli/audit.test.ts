/** `plantkpi audit` on the embedded records store: the log, a period's entries, --verify before and after a hand edit. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../kpi/present.ts';
import { openKysely, openRecords, recordsDir } from '../records/open.ts';
import { main } from './main.ts';

const T0 = Date.UTC(2026, 10, 1, 0, 30);
let data = '';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** as on a terminal */
async function runTty(...argv: string[]) {
  let out = '';
  const code = await main(argv, { out: (t) => (out += t), err: () => {}, isTTY: true });
  return { code, out };
}

beforeAll(async () => {
  data = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-audit-'));
  let t = T0;
  const store = await openRecords({ dir: recordsDir(data) }, { now: () => (t += 1000) });
  await store.lock('2026-09', 'scheduler@a', 'month closed');
  await store.lock('2026-10', 'scheduler@a', 'month closed');
  await store.reopen('2026-10', 'li.wei', 'meter E-7\tcorrected');
  await store.append({
    action: 'recompute-refused',
    period: '2026-10',
    by: 'backfill',
    reason: 'locked',
    detail: { job: 'j1' },
  });
  await store.close();
}, 120_000);
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe('plantkpi audit', { timeout: 120_000 }, () => {
  it('prints every entry, one tab-separated line each, in seq order', async () => {
    const r = await run('audit', '--data', data);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('seq\tat\taction\tperiod\tby\treason\tdetail\thash');
    expect(lines.slice(1).map((l) => l.split('\t').slice(0, 6))).toEqual([
      ['1', '2026-11-01T00:30:01.000Z', 'lock', '2026-09', 'scheduler@a', 'month closed'],
      ['2', '2026-11-01T00:30:02.000Z', 'lock', '2026-10', 'scheduler@a', 'month closed'],
      ['3', '2026-11-01T00:30:03.000Z', 'reopen', '2026-10', 'li.wei', 'meter E-7 corrected'],
      ['4', '2026-11-01T00:30:04.000Z', 'recompute-refused', '2026-10', 'backfill', 'locked'],
    ]);
    expect(lines[4]?.split('\t')[6]).toBe('{"job":"j1"}');
  });

  it('on a terminal: aligned columns, bilingual headings, each action named beside its code', async () => {
    const r = await runTty('audit', '--data', data);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    const cols = (l: string | undefined) => (l ?? '').trim().split(/ {2,}/);
    expect(cols(lines[0])).toEqual([
      '序号 seq',
      '时间 at (UTC)',
      '动作 action',
      '期间 period',
      '由 by',
      '原因 reason',
      '详情 detail',
      '哈希 hash',
    ]);
    expect(lines[1]).toMatch(/^-+( {2}-+){7}$/);
    expect(cols(lines[2]).slice(0, 6)).toEqual([
      '1',
      '2026-11-01T00:30:01.000Z',
      'lock 锁定 locked',
      '2026-09',
      'scheduler@a',
      'month closed',
    ]);
    // every column starts where its heading does (CJK headings count two columns)
    const at = (l: string, cell: string) => displayWidth(l.slice(0, l.indexOf(cell)));
    expect(at(lines[2]!, 'lock')).toBe(at(lines[0]!, '动作 action'));
    expect(at(lines[5]!, 'backfill')).toBe(at(lines[0]!, '由 by'));
    expect(lines[4]).toContain('reopen 重开 reopened');
    expect(lines[5]).toContain('recompute-refused 拒绝重算 recompute refused');
    expect(r.out).not.toContain('\t');
  });

  it('--period shows that period only; a malformed period is a usage error', async () => {
    const r = await run('audit', '--data', data, '--period', '2026-09');
    expect(r.out.trimEnd().split('\n').length).toBe(2);
    const bad = await run('audit', '--data', data, '--period', 'October');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--period 'October' 不是期间 is not a period label/);
  });

  it('a data directory without a records store is exit 2, not an empty log', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-audit-empty-'));
    mkdirSync(path.join(empty, 'series'));
    const r = await run('audit', '--data', empty, '--verify');
    rmSync(empty, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no records store in .*records/);
  });

  it('--verify passes an untouched log, then names the entry edited by hand (exit 1)', async () => {
    const ok = await run('audit', '--data', data, '--verify');
    expect(ok).toMatchObject({ code: 0, err: '' });
    expect(ok.out).toMatch(/^audit log verified: 4 entries, last hash [0-9a-f]{64}\n$/);

    const db = await openKysely({ dir: recordsDir(data) });
    await sql`update audit_log set reason = 'routine check' where seq = 3`.execute(db);
    await db.destroy();
    const bad = await run('audit', '--data', data, '--verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('');
    expect(bad.err).toBe(
      'plantkpi: audit log broken at entry 3: its content does not match its hash (edited) (2 entries before it verified)\n',
    );
  });
});
