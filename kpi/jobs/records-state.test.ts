/** RecordsJobState answers as JobState does, on the embedded records store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords } from '../../records/open.ts';
import { type PGliteTemplate, pgliteTemplate } from '../../records/pglite-template.ts';
import type { RecordsStore } from '../../records/port.ts';
import { RecordsJobState } from './records-state.ts';

const T0 = Date.UTC(2026, 10, 1);
let pglite: PGliteTemplate;
let records: RecordsStore;
beforeAll(async () => {
  pglite = await pgliteTemplate();
  records = await openRecords({ dir: pglite.freshDir() }, { now: () => T0 });
}, 120_000);
afterAll(async () => {
  await records?.close();
  pglite?.cleanup();
});

describe('RecordsJobState', { timeout: 60_000 }, () => {
  it('keeps computed periods, locks and the audit log with JobState’s shapes', async () => {
    const state = new RecordsJobState(records, 'worker@a:1');
    await state.recordComputed({
      kind: 'month',
      period: '2026-10',
      fingerprint: 'f',
      configHash: 'c',
      atMs: 5,
    });
    await state.recordComputed({
      kind: 'day',
      period: '2026-10-31',
      fingerprint: 'g',
      configHash: 'c',
      atMs: 6,
    });
    expect(await state.computed()).toEqual([
      { kind: 'day', period: '2026-10-31', fingerprint: 'g', configHash: 'c', atMs: 6 },
      { kind: 'month', period: '2026-10', fingerprint: 'f', configHash: 'c', atMs: 5 },
    ]);
    expect((await records.get('month', '2026-10'))?.worker).toBe('worker@a:1');
    await state.lock('2026-10', 'worker', 'monthly export written');
    expect(await state.isLocked('2026-10')).toBe(true);
    await state.audit({
      atMs: 1,
      action: 'recompute-refused',
      period: '2026-10',
      by: 'backfill',
      reason: 'locked',
    });
    await state.reopen('2026-10', 'li.wei', 'meter corrected');
    await records.append({ action: 'decision', by: 'wang', reason: 'pledge confirmed' });
    expect(await state.isLocked('2026-10')).toBe(false);
    expect((await state.auditLog()).map((a) => [a.action, a.period, a.by, a.atMs])).toEqual([
      ['lock', '2026-10', 'worker', T0],
      ['recompute-refused', '2026-10', 'backfill', T0],
      ['reopen', '2026-10', 'li.wei', T0],
    ]);
    expect(await records.verify()).toEqual({ ok: true, checked: 4 });
  });
});
