/**
 * The golden scorecard: the reference plant's October through the scorecard code and through `plantkpi scorecard`,
 * with the reference rule, the ranking group "areas" and key task K-1 of test/fixtures/reference-plant/README.md
 * ("Scorecard") as config/examples/reference-plant.yaml declares them, compared with expected-scorecard.json
 * (margins within 1e-6 relative; ranks, points and statuses exact).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../config/csv.ts';
import { loadPlantConfig } from '../config/load.ts';
import { importCsvFile } from '../ingest/csv/import.ts';
import { compilePlant } from '../kpi/plant.ts';
import type { Scorecard } from '../kpi/scorecard/build.ts';
import { computeScorecard } from '../kpi/scorecard/compute.ts';
import { SCORECARD_CSV_HEADER } from '../kpi/scorecard/present.ts';
import { openStore } from '../store/open.ts';
import type { SeriesStore } from '../store/port.ts';
import { cli, REFERENCE, REFERENCE_CONFIG, tempDir } from './helpers.ts';

const expected = JSON.parse(readFileSync(path.join(REFERENCE, 'expected-scorecard.json'), 'utf8'));
const tmp = tempDir('plantkpi-refsc-');
const { config } = loadPlantConfig(REFERENCE_CONFIG);
const plant = compilePlant(config);
let store: SeriesStore;

const model = plant.scorecard;

beforeAll(async () => {
  store = await openStore(config, tmp.dir);
  const report = await importCsvFile(path.join(REFERENCE, 'readings.csv'), store, {
    defaultTimeZone: config.site.timeZone,
    knownSignals: new Set(config.signals.map((s) => s.id)),
  });
  expect(report.pointsWritten).toBe(5960);
});
afterAll(async () => {
  await store.close();
  tmp.cleanup();
});

function expectReference(scorecard: Scorecard): void {
  const key = (r: { scope_type: string; scope_id: string }) => `${r.scope_type}|${r.scope_id}`;
  expect(scorecard.ranking).toHaveLength(expected.ranking.length);
  for (const e of expected.ranking) {
    const got = scorecard.ranking.find((r) => key(r) === key(e))!;
    expect(got).toMatchObject({ period: e.period, kpi: e.kpi, rank: e.rank });
    expect(Math.abs(got.margin_pct! - e.margin_pct) / Math.abs(e.margin_pct)).toBeLessThan(1e-6);
  }
  expect(scorecard.points.map((r) => [key(r), r.period, r.points]).sort()).toEqual(
    expected.points.map((r: Scorecard['points'][0]) => [key(r), r.period, r.points]).sort(),
  );
  expect(
    scorecard.tasks.map(({ id, owner_type, owner_id, status, closed_period }) => ({
      id,
      owner_type,
      owner_id,
      status,
      closed_period,
    })),
  ).toEqual(expected.tasks);
}

describe('reference scorecard', () => {
  it('reproduces expected-scorecard.json for 2026-10', async () => {
    const { scorecard } = await computeScorecard(store, plant, model, '2026-10', {
      closures: [],
      awards: [],
    });
    expectReference(scorecard);
  });

  it("`plantkpi scorecard --format json` gives the same; --branch keeps the branch's own rows", async () => {
    const run = (...extra: string[]) =>
      cli(
        'scorecard',
        '--config',
        REFERENCE_CONFIG,
        '--period',
        '2026-10',
        '--data',
        tmp.dir,
        '--format',
        'json',
        ...extra,
      );
    const r = await run();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expectReference(JSON.parse(r.out) as Scorecard);
    const branch = JSON.parse((await run('--branch', 'B-ELY')).out) as Scorecard;
    expect(branch.points.map((p) => [p.scope_id, p.points])).toEqual([
      ['A-ELY-1', 10],
      ['B-ELY', 10],
    ]);
    expect(branch.ranking.map((x) => [x.scope_id, x.rank])).toEqual([['A-ELY-1', 1]]);
    expect(branch.tasks).toEqual([]);
  });

  it('`--format csv` is one table for Excel: BOM, CRLF, every row as wide as the header, a task with its kind, title and due', async () => {
    const r = await cli(
      'scorecard',
      '--config',
      REFERENCE_CONFIG,
      '--period',
      '2026-10',
      '--data',
      tmp.dir,
      '--format',
      'csv',
    );
    expect(r.code).toBe(0);
    expect(r.out.startsWith('\uFEFF')).toBe(true);
    const rows = csvRecords(r.out).map((x) => x.fields as string[]);
    expect(
      r.out
        .split('\n')
        .slice(0, -1)
        .every((l) => l.endsWith('\r')),
    ).toBe(true);
    expect(rows[0]).toEqual(SCORECARD_CSV_HEADER);
    for (const row of rows) expect(row).toHaveLength(SCORECARD_CSV_HEADER.length);
    const col = (name: string) => SCORECARD_CSV_HEADER.indexOf(name);
    const task = rows.find((row) => row[0] === 'task')!;
    expect([task[1], task[col('状态 status')], task[col('销号期间 closed_period')]]).toEqual([
      'K-1',
      '已销号 closed',
      '2026-10',
    ]);
    expect(task[col('类型 kind')]).toBe('任务 task');
    expect(task[col('截止 due')]).toBe(plant.scorecard.tasks[0]!.due);
    const ranks = rows
      .filter((row) => row[0] === 'ranking')
      .map((row) => [row[3], Number(row[col('余量% margin_pct')]), row[col('名次 rank')]]);
    expect(ranks).toEqual(
      expected.ranking.map((e: { scope_id: string; margin_pct: number; rank: number }) => [
        e.scope_id,
        Number(e.margin_pct.toFixed(6)),
        String(e.rank),
      ]),
    );
  });

  it('every points row is the sum of its ledger entries (a branch: its areas and its own)', async () => {
    const { scorecard } = await computeScorecard(store, plant, model, '2026-10', {
      closures: [],
      awards: [],
    });
    for (const p of scorecard.points) {
      const own = scorecard.ledger.filter((e) => e.scope_type === p.scope_type && e.scope_id === p.scope_id);
      const areas =
        p.scope_type === 'branch'
          ? scorecard.ledger.filter(
              (e) =>
                e.scope_type === 'area' &&
                plant.areas.find((a) => a.id === e.scope_id)?.parent === p.scope_id,
            )
          : [];
      expect(p.points).toBe([...own, ...areas].reduce((s, e) => s + e.points, 0));
      for (const e of own) expect(e.reason.length).toBeGreaterThan(0);
    }
  });

  it('as of September K-1 is open; the ranking of a month without targets lists every area unranked', async () => {
    const { scorecard } = await computeScorecard(store, plant, model, '2026-09', {
      closures: [],
      awards: [],
    });
    expect(scorecard.tasks[0]).toMatchObject({ id: 'K-1', status: 'open', closed_period: null });
    expect(scorecard.ranking.map((r) => [r.scope_id, r.rank])).toEqual([
      ['A-BLR', null],
      ['A-ELY-1', null],
    ]);
    expect(scorecard.points.every((p) => p.points === 0)).toBe(true);
  });
});
