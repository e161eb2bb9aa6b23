/**
 * Targets tracked over the year on a small plant with a meter and a product counter read daily from 2025-10 to
 * 2026-10: year to date from one engine run over the range (sums, never a mean of months), progress against an
 * annual target, year-on-year and month-on-month, through computeScorecard and `plantkpi scorecard`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlantConfig } from '../config/load.ts';
import { compilePlant } from '../kpi/plant.ts';
import type { PeriodResult } from '../kpi/rows.ts';
import { runPeriod } from '../kpi/run.ts';
import { computeScorecard } from '../kpi/scorecard/compute.ts';
import { openStore } from '../store/open.ts';
import type { Reading, SeriesStore } from '../store/port.ts';
import { cli, tempDir } from './helpers.ts';

const SH = 'Asia/Shanghai';
const YAML = `site: { id: S, timeZone: ${SH} }
carriers: [{ id: electricity, unit: kWh, emissionScope: 2 }]
products: [{ id: p, unit: t }]
signals:
  - { id: E, kind: counter, unit: kWh, carrier: electricity, sampleIntervalS: 86400 }
  - { id: P, kind: counter, unit: t, product: p, sampleIntervalS: 86400 }
organisation:
  committee: { id: C }
  branches: [{ id: B }]
  areas: [{ id: A, branch: B, meters: [{ signal: E }], products: [{ signal: P }] }]
targets:
  - { kpi: intensity.energy, scope: { type: area, id: A }, period: "2026", max: 40 }
  - { kpi: energy.total, scope: { type: area, id: A }, period: "2026", max: 10 }
  - { kpi: energy.total, scope: { type: area, id: A }, every: month, max: 1 }
`;
/** kWh and t per day: October 2025, September 2026, October 2026 (nothing used or made in between) */
const PER_DAY: Record<string, [number, number]> = {
  '2025-10': [2000, 40],
  '2026-09': [1000, 50],
  '2026-10': [1500, 10],
};

const tmp = tempDir('plantkpi-track-');
const config = parsePlantConfig(YAML);
const plant = compilePlant(config);
let store: SeriesStore;

beforeAll(async () => {
  store = await openStore(config, tmp.dir);
  const readings: Reading[] = [];
  let e = 0;
  let p = 0;
  for (
    let d = DateTime.fromISO('2025-10-01', { zone: SH });
    d <= DateTime.fromISO('2026-11-01', { zone: SH });
  ) {
    readings.push(
      { signal: 'E', timeMs: d.toMillis(), value: e },
      { signal: 'P', timeMs: d.toMillis(), value: p },
    );
    const [de, dp] = PER_DAY[d.toFormat('yyyy-MM')] ?? [0, 0];
    e += de;
    p += dp;
    d = d.plus({ days: 1 });
  }
  await store.write(readings);
});
afterAll(async () => {
  await store.close();
  tmp.cleanup();
});

const value = (r: PeriodResult, kpi: string) =>
  r.kpis.find((k) => k.kpi === kpi && k.scope_type === 'area' && k.scope_id === 'A')?.value ?? null;

describe('targets tracked over the year', () => {
  it("year-to-date intensity is the year's summed energy over its summed output, not the mean of its months", async () => {
    const { scorecard } = await computeScorecard(store, plant, plant.scorecard, '2026-10', {
      closures: [],
      awards: [],
    });
    const row = scorecard.targets.find((t) => t.kpi === 'intensity.energy')!;
    const months = await Promise.all(
      ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'].map((m) =>
        runPeriod(store, plant, `2026-${m}`),
      ),
    );
    const tceKg = months.reduce((s, r) => s + value(r, 'energy.total')! * 1000, 0);
    const output = months.reduce((s, r) => s + value(r, 'output.p')!, 0);
    expect(output).toBeCloseTo(30 * 50 + 31 * 10, 9);
    const sep = value(months[8]!, 'intensity.energy')!;
    const oct = value(months[9]!, 'intensity.energy')!;
    expect(row.ytd_actual).toBeCloseTo(tceKg / output, 9);
    expect(Math.abs(row.ytd_actual! - (sep + oct) / 2)).toBeGreaterThan(1);
    expect(row.actual).toBeCloseTo(oct, 9);
    expect(row.target_period).toBe('2026');
    // an intensity is not pro-rated: progress is the year-to-date intensity against the target
    expect(row.progress_pct).toBeCloseTo((row.ytd_actual! / 40) * 100, 9);
  });

  it('progress of an annual tce target is pro-rated by the elapsed share of the year (304 of 365 days)', async () => {
    const { scorecard } = await computeScorecard(store, plant, plant.scorecard, '2026-10', {
      closures: [],
      awards: [],
    });
    const [annual, monthly] = ['2026', '2026-10'].map(
      (p) => scorecard.targets.find((t) => t.kpi === 'energy.total' && t.target_period === p)!,
    );
    const ytd = annual!.ytd_actual!;
    expect(annual!.to_date_actual).toBeCloseTo(ytd, 12);
    expect(annual!.progress_pct).toBeCloseTo((ytd / (10 * (304 / 365))) * 100, 9);
    // 76,500 kWh at 0.1229 kgce/kWh: about 9.4 tce, above the 8.33 tce due by the end of October
    expect(annual!.status).toBe('off_track');
    // the month's own target: the month against the whole target
    expect(monthly!.progress_pct).toBeCloseTo(monthly!.actual! * 100, 9);
    expect(monthly!.status).toBe(monthly!.actual! <= 1 ? 'met' : 'missed');
  });

  it('year on year against October 2025, month on month against September 2026', async () => {
    const { scorecard } = await computeScorecard(store, plant, plant.scorecard, '2026-10', {
      closures: [],
      awards: [],
    });
    const row = scorecard.targets.find((t) => t.kpi === 'energy.total' && t.target_period === '2026-10')!;
    const [y, m] = await Promise.all([
      runPeriod(store, plant, '2025-10'),
      runPeriod(store, plant, '2026-09'),
    ]);
    expect(row.prev_year).toBeCloseTo(value(y, 'energy.total')!, 12);
    expect(row.prev_period).toBeCloseTo(value(m, 'energy.total')!, 12);
    // the same carrier's factor in both years' Octobers: the change is the change in kWh
    expect(row.yoy_pct).toBeCloseTo(((1500 - 2000) / 2000) * 100, 6);
    expect(row.mom_pct).toBeCloseTo(((1500 * 31 - 1000 * 30) / (1000 * 30)) * 100, 6);
    // a year earlier, there was no year before it to compare with
    const early = await computeScorecard(store, plant, plant.scorecard, '2025-10', {
      closures: [],
      awards: [],
    });
    const first = early.scorecard.targets.find((t) => t.target_period === '2025-10')!;
    expect([first.prev_year, first.yoy_pct]).toEqual([null, null]);
  });

  it('`plantkpi scorecard` shows them: JSON key targets, table section 目标跟踪, CSV records target', async () => {
    const file = path.join(tmp.dir, 'plant.yaml');
    writeFileSync(file, YAML);
    const run = (format: string) =>
      cli('scorecard', '--config', file, '--period', '2026-10', '--data', tmp.dir, '--format', format);
    const json = JSON.parse((await run('json')).out);
    expect(json.targets.map((t: { target_period: string }) => t.target_period)).toEqual([
      '2026',
      '2026',
      '2026-10',
    ]);
    expect(Object.keys(json.targets[0])).toEqual(
      expect.arrayContaining([
        'ytd_actual',
        'progress_pct',
        'prev_year',
        'yoy_pct',
        'prev_period',
        'mom_pct',
      ]),
    );
    const table = await run('table');
    expect(table.code).toBe(0);
    expect(table.out).toContain('目标跟踪 Target tracking');
    expect(table.out).toMatch(/2026 ≤ 40\.00 kgce\/t/);
    const csv = (await run('csv')).out.split('\r\n');
    expect(csv.filter((l) => l.startsWith('target,'))).toHaveLength(3);
    expect(csv[0]).toContain('累计 ytd_actual');
  });
});
