/**
 * The month's scorecard settled against the records (what the monthly job does): a task its KPI closes is recorded
 * closed and audited; a recompute whose KPIs no longer prove a recorded closure is reported in the audit, not
 * applied; the period's computed ledger entries are replaced, manual awards kept; a person's closure is audited.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlantConfig } from '../config/load.ts';
import { importCsvFile } from '../ingest/csv/import.ts';
import { compilePlant, type Plant } from '../kpi/plant.ts';
import type { PeriodResult } from '../kpi/rows.ts';
import { runPeriod } from '../kpi/run.ts';
import { settleScorecard } from '../kpi/scorecard/settle.ts';
import { openRecords } from '../records/open.ts';
import type { RecordsStore } from '../records/port.ts';
import { openStore } from '../store/open.ts';
import type { SeriesStore } from '../store/port.ts';
import { REFERENCE, REFERENCE_CONFIG, tempDir } from './helpers.ts';

const tmp = tempDir('plantkpi-settle-');
const { config } = loadPlantConfig(REFERENCE_CONFIG);
const plant = compilePlant(config);
let store: SeriesStore;
let records: RecordsStore;
let october: PeriodResult;

beforeAll(async () => {
  store = await openStore(config, path.join(tmp.dir, 'data'));
  await importCsvFile(path.join(REFERENCE, 'readings.csv'), store, {
    defaultTimeZone: config.site.timeZone,
    knownSignals: new Set(config.signals.map((s) => s.id)),
  });
  records = await openRecords({ dir: path.join(tmp.dir, 'records') });
  october = await runPeriod(store, plant, '2026-10');
}, 60_000);
afterAll(async () => {
  await records?.close();
  await store?.close();
  tmp.cleanup();
});

/** The same plant with K-1's threshold moved: its KPIs no longer prove it. */
function stricter(max: number): Plant {
  const tasks = plant.scorecard.tasks.map((t) => (t.id === 'K-1' ? { ...t, rule: { ...t.rule!, max } } : t));
  return { ...plant, scorecard: { ...plant.scorecard, tasks } };
}

describe('settling a month against the records', () => {
  it('closes K-1 by its KPI once, audited, and replaces the ledger of the period', async () => {
    const award = await records.award({
      period: '2026-10',
      scope_type: 'branch',
      scope_id: 'B-PWR',
      points: 3,
      by: '李主任',
      reason: '抢修保供 emergency repair',
    });
    const first = await settleScorecard(store, plant, october, records, 'worker@test');
    expect(first.closed).toEqual(['K-1']);
    expect(first.disputed).toEqual([]);
    const closure = (await records.closures())[0]!;
    expect(closure).toMatchObject({
      task: 'K-1',
      period: '2026-10',
      source: 'kpi',
      effectiveMs: october.endMs,
    });
    expect(closure.evidence).toMatch(/2026-10 15\.71 kgce\/t/);
    // the branch has its area's −2 and the manual 3
    expect(first.scorecard.points.find((p) => p.scope_id === 'B-PWR')!.points).toBe(1);
    const again = await settleScorecard(store, plant, october, records, 'worker@test');
    expect(again.closed).toEqual([]);
    const ledger = await records.ledger({ period: '2026-10' });
    expect(ledger.map((e) => [e.scope_id, e.points, e.source]).sort()).toEqual(
      [
        ['A-BLR', -2, 'target'],
        ['A-ELY-1', 10, 'target'],
        ['T-BLR', 5, 'task'],
        ['B-PWR', 3, 'manual'],
      ].sort(),
    );
    expect(ledger.find((e) => e.source === 'manual')!.id).toBe(award.id);
    const actions = (await records.list()).map((e) => e.action);
    expect(actions).toEqual(['points-award', 'task-close']);
    expect(await records.verify()).toMatchObject({ ok: true });
  });

  it('a recompute that would undo the closure is reported in the audit, not applied', async () => {
    const r = await settleScorecard(store, stricter(15), october, records, 'worker@test');
    expect(r.disputed).toEqual(['K-1']);
    expect(r.scorecard.tasks[0]).toMatchObject({ id: 'K-1', status: 'closed', closed_period: '2026-10' });
    expect((await records.closures()).map((c) => c.task)).toEqual(['K-1']);
    const last = (await records.list()).at(-1)!;
    expect(last).toMatchObject({ action: 'task-closure-disputed', period: '2026-10' });
    expect(last.detail).toMatchObject({ task: 'K-1', recordedPeriod: '2026-10', recomputedStatus: 'open' });
  });

  it('after a person reopens it, the recomputed KPIs decide again; a manual closure stands as made', async () => {
    expect(await records.reopenTask('K-1', '王书记', '数据更正 meter corrected')).toBe(true);
    const r = await settleScorecard(store, stricter(15), october, records, 'worker@test');
    expect(r.scorecard.tasks[0]).toMatchObject({ status: 'open', closed_period: null });
    expect(r.scorecard.points.find((p) => p.scope_id === 'T-BLR')!.points).toBe(0);
    const made = await records.closeTask({
      task: 'K-1',
      period: '2026-10',
      source: 'manual',
      effectiveMs: october.endMs - 1,
      by: '王书记',
      evidence: '现场核查 checked on site',
    });
    expect(made.made).toBe(true);
    const after = await settleScorecard(store, stricter(15), october, records, 'worker@test');
    expect(after.disputed).toEqual([]);
    expect(after.scorecard.tasks[0]).toMatchObject({ status: 'closed', closed_period: '2026-10' });
    expect(after.scorecard.tasks[0]!.evidence).toBe('王书记: 现场核查 checked on site');
    const actions = (await records.list()).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['task-reopen', 'task-close']);
  });
});
