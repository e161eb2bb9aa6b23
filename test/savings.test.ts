/**
 * Savings end to end over the embedded store (issue 13): kpi/baseline/testdata/boiler.yaml with daily readings of
 * 2025 (the baseline year) and 2026-01..03. The assault team T-BLR starts on 2026-01-16; its ratio baseline is 78 Nm3/t
 * (the boiler burnt exactly 78 Nm3 per t of steam every month of 2025). 2026-02 makes 11,000 t at 76 Nm3/t, 2026-03
 * 12,174.27 t at 74 Nm3/t: 22,000 and 48,697.08 Nm3 saved, 70,697.08 Nm3 since the team's first whole month. The
 * heating area's gas was 2,000 + 150·HDD18 a month in 2025; 2026's three months save 3,600, 0 and 4,450 Nm3.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlantConfig, parsePlantConfig } from '../config/load.ts';
import { dueBaselines, withSavings } from '../kpi/baseline/period.ts';
import { computeSavings, type SavingsResult, savingsSources } from '../kpi/baseline/stage.ts';
import { SCOPE_SHEETS } from '../kpi/export/workbook.ts';
import { openRuntime } from '../kpi/jobs/runtime.ts';
import { requestCompute, startWorker } from '../kpi/jobs/worker.ts';
import { compilePlant, DataError } from '../kpi/plant.ts';
import type { PeriodResult } from '../kpi/rows.ts';
import { runPeriod } from '../kpi/run.ts';
import { computeScorecard } from '../kpi/scorecard/compute.ts';
import { FileKpiSink } from '../kpi/sink.ts';
import { openStore } from '../store/open.ts';
import type { Reading, SeriesStore } from '../store/port.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { cli, ROOT, tempDir } from './helpers.ts';
import { waitFor } from './services/ports.ts';
import { startRedis } from './services/redis.ts';

const CONFIG = path.join(ROOT, 'kpi', 'baseline', 'testdata', 'boiler.yaml');
const { config } = loadPlantConfig(CONFIG);
const plant = compilePlant(config);
const tmp = tempDir('plantkpi-savings-');
let store: SeriesStore;

interface Month {
  year: number;
  /** 1..12 */
  month: number;
  steamT: number;
  boilerNm3: number;
  tempC: number;
  heatingNm3: number;
}

const TEMPS_2025 = [-8, -4, 3, 10, 17, 22, 26, 25, 19, 11, 2, -5];
const days = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const hdd = (y: number, m: number, t: number) => days(y, m) * Math.max(0, 18 - t);

const MONTHS: Month[] = [
  ...TEMPS_2025.map((t, i) => {
    const steamT = 9000 + 300 * i;
    return {
      year: 2025,
      month: i + 1,
      steamT,
      boilerNm3: 78 * steamT,
      tempC: t,
      heatingNm3: 2000 + 150 * hdd(2025, i + 1, t),
    };
  }),
  { year: 2026, month: 1, steamT: 10_000, boilerNm3: 770_000, tempC: -6, heatingNm3: 110_000 },
  { year: 2026, month: 2, steamT: 11_000, boilerNm3: 76 * 11_000, tempC: -2, heatingNm3: 86_000 },
  { year: 2026, month: 3, steamT: 12_174.27, boilerNm3: 74 * 12_174.27, tempC: 5, heatingNm3: 58_000 },
];

/** Local midnight (Asia/Shanghai, UTC+8) of a day. */
const midnight = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - 8 * 3_600_000;

function readings(): Reading[] {
  const out: Reading[] = [];
  const cum = { 'G-BLR': 0, 'G-HTG': 0, 'P-STM': 0 };
  for (const mo of MONTHS) {
    const n = days(mo.year, mo.month);
    const total = { 'G-BLR': mo.boilerNm3, 'G-HTG': mo.heatingNm3, 'P-STM': mo.steamT };
    for (let d = 1; d <= n; d++) {
      const timeMs = midnight(mo.year, mo.month, d);
      for (const s of ['G-BLR', 'G-HTG', 'P-STM'] as const)
        out.push({ signal: s, timeMs, value: cum[s] + (total[s] * (d - 1)) / n });
      out.push({ signal: 'T-AMB', timeMs, value: mo.tempC });
    }
    for (const s of ['G-BLR', 'G-HTG', 'P-STM'] as const) cum[s] += total[s];
  }
  const end = midnight(2026, 4, 1);
  for (const s of ['G-BLR', 'G-HTG', 'P-STM'] as const) out.push({ signal: s, timeMs: end, value: cum[s] });
  out.push({ signal: 'T-AMB', timeMs: end, value: 8 });
  return out;
}

beforeAll(async () => {
  store = await openStore(config, tmp.dir);
  await store.write(readings());
});
afterAll(async () => {
  await store.close();
  tmp.cleanup();
});

const value = (r: SavingsResult, type: string, id: string, kpi: string) =>
  r.rows.find((x) => x.scope_type === type && x.scope_id === id && x.kpi === kpi);

describe('savings against a baseline year', () => {
  it("a team's month against its ratio baseline: carrier unit, tce and tCO2 by the engine's factors, cumulative since its start", async () => {
    const r = await computeSavings(savingsSources(store, plant), plant, '2026-03');
    const team = r.baselines.find((b) => b.id === 'BL-BLR')!;
    expect(team.slopes[0]).toBeCloseTo(78, 9);
    expect(team.stats.n).toBe(12);
    expect(Math.abs(team.stats.r2 - 1)).toBeLessThan(1e-9);
    expect(team.pass).toBe(true);
    expect(team.cumulativeFrom).toBe('2026-02');

    const saved = value(r, 'team', 'T-BLR', 'savings.energy')!;
    expect(saved).toMatchObject({ unit: 'Nm3', period: '2026-03', provisional: false });
    expect(saved.value).toBeCloseTo(48_697.08, 4);
    expect(value(r, 'team', 'T-BLR', 'baseline.adjusted')!.value).toBeCloseTo(949_593.06, 4);
    expect(value(r, 'team', 'T-BLR', 'savings.cumulative.energy')!.value).toBeCloseTo(22_000 + 48_697.08, 4);
    expect(value(r, 'team', 'T-BLR', 'baseline.pass')!.value).toBe(1);

    // tce and tCO2 as the engine converts the team's gas that month
    const month = await runPeriod(store, plant, '2026-03');
    const own = (kpi: string) =>
      month.kpis.find((k) => k.scope_type === 'team' && k.scope_id === 'T-BLR' && k.kpi === kpi)!.value;
    const tcePerNm3 = own('energy.total') / own('energy.natural_gas');
    const co2PerNm3 = own('emissions.co2') / own('energy.natural_gas');
    expect(value(r, 'team', 'T-BLR', 'savings.tce')).toMatchObject({ unit: 'tce' });
    expect(value(r, 'team', 'T-BLR', 'savings.tce')!.value).toBeCloseTo(48_697.08 * tcePerNm3, 6);
    expect(value(r, 'team', 'T-BLR', 'savings.co2')).toMatchObject({ unit: 'tCO2' });
    expect(value(r, 'team', 'T-BLR', 'savings.co2')!.value).toBeCloseTo(48_697.08 * co2PerNm3, 6);
    expect(tcePerNm3).toBeGreaterThan(0);
  });

  it('a regression on heating degree-days from a temperature gauge', async () => {
    const r = await computeSavings(savingsSources(store, plant), plant, '2026-03');
    const area = r.baselines.find((b) => b.id === 'BL-HTG')!;
    expect(area.drivers).toEqual(['HDD18(T-AMB)']);
    expect(area.intercept).toBeCloseTo(2000, 4);
    expect(area.slopes[0]).toBeCloseTo(150, 8);
    expect(area.stats.p).toBe(2);
    // March 2026: HDD = 31 × (18 − 5) = 403; 2,000 + 150 × 403 = 62,450 against 58,000 burnt
    expect(value(r, 'area', 'A-HTG', 'savings.energy')!.value).toBeCloseTo(4450, 4);
    // since the baseline's end: January 113,600 − 110,000, February 86,000 − 86,000, March 4,450
    expect(value(r, 'area', 'A-HTG', 'savings.cumulative.energy')!.value).toBeCloseTo(8050, 4);
  });

  it('a month the team only partly covers has no savings of its own and none cumulative yet; it says so', async () => {
    const r = await computeSavings(savingsSources(store, plant), plant, '2026-01');
    expect(value(r, 'team', 'T-BLR', 'savings.energy')).toBeUndefined();
    expect(value(r, 'team', 'T-BLR', 'savings.cumulative.energy')).toBeUndefined();
    expect(value(r, 'team', 'T-BLR', 'baseline.r2')).toBeDefined();
    expect(r.baselines.find((b) => b.id === 'BL-BLR')!.notes.join('\n')).toMatch(
      /outside the team's activity/,
    );
  });

  it('a baseline period without data is an error that names the baseline', async () => {
    const empty = compilePlant({
      ...config,
      baselines: config.baselines.map((b) => ({ ...b, period: '2024' })),
    });
    const run = computeSavings(savingsSources(store, empty), empty, '2026-03');
    await expect(run).rejects.toBeInstanceOf(DataError);
    await expect(run).rejects.toThrow(
      /基准期无数据 baseline 'BL-BLR' \(team T-BLR, energy.natural_gas, 2024\)/,
    );
  });

  it('`plantkpi savings` prints the same as JSON, and a table with the G14 check', async () => {
    const json = await cli(
      'savings',
      '--config',
      CONFIG,
      '--period',
      '2026-03',
      '--data',
      tmp.dir,
      '--format',
      'json',
    );
    expect(json.err).toBe('');
    expect(json.code).toBe(0);
    const r = JSON.parse(json.out) as SavingsResult;
    expect(value(r, 'team', 'T-BLR', 'savings.energy')!.value).toBeCloseTo(48_697.08, 4);
    const table = await cli('savings', '--config', CONFIG, '--period', '2026-03', '--data', tmp.dir);
    expect(table.code).toBe(0);
    expect(table.out).toContain('节能量 Energy savings');
    expect(table.out).toContain('48,697');
    expect(table.out).toContain('符合 within ASHRAE Guideline 14');
  });
});

/**
 * Savings where people read them (kpi/baseline/period.ts): the month's export carries the team's savings on its
 * team sheet and in its CSV, and the monthly job writes them to the KPI sink with the month's other rows.
 */
describe('savings as rows of the month', () => {
  const mar = (r: Pick<PeriodResult, 'kpis'>, kpi: string) =>
    r.kpis.find((k) => k.scope_type === 'team' && k.scope_id === 'T-BLR' && k.kpi === kpi);

  it('a day carries only day baselines, a month every baseline; an hour and a range none', () => {
    const tz = plant.timeZone;
    expect(dueBaselines(plant, parsePeriod('2026-03', tz)).map((b) => b.id)).toEqual(['BL-BLR', 'BL-HTG']);
    expect(dueBaselines(plant, parsePeriod('2026', tz))).toHaveLength(2);
    expect(dueBaselines(plant, parsePeriod('2026-03-05', tz))).toEqual([]);
    expect(dueBaselines(plant, parsePeriod('2026-03-05T08', tz))).toEqual([]);
    expect(dueBaselines(plant, parsePeriod('2026-03-01..2026-03-09', tz))).toEqual([]);
    const daily = { baselines: plant.baselines.map((b) => ({ ...b, granularity: 'day' as const })) };
    expect(dueBaselines(daily, parsePeriod('2026-03-05', tz))).toHaveLength(2);
  });

  it("a target on a savings KPI is judged on the month's savings (at least 40,000 Nm3: met, margin 21.74 %)", async () => {
    const withTarget = compilePlant(
      parsePlantConfig(
        `${readFileSync(CONFIG, 'utf8')}\ntargets:\n` +
          '  - { kpi: savings.energy, scope: { type: team, id: T-BLR }, every: month, min: 40000 }\n' +
          '  - { kpi: savings.tce, scope: { type: team, id: T-BLR }, every: month, min: 1000 }\n' +
          '  - { kpi: energy.total, scope: { type: team, id: T-BLR }, every: month, max: 2000 }\n',
      ),
    );
    const period = parsePeriod('2026-03', withTarget.timeZone);
    const engine = await runPeriod(store, withTarget, period);
    expect(engine.targets.filter((t) => t.kpi.startsWith('savings.')).map((t) => t.status)).toEqual([
      'no_data',
      'no_data',
    ]);
    const { result } = await withSavings(store, withTarget, engine, period);
    const [energy, tce, total] = result.targets;
    expect(energy).toMatchObject({ kpi: 'savings.energy', status: 'met', target_min: 40000 });
    expect(energy!.actual).toBeCloseTo(48_697.08, 4);
    expect(energy!.margin_pct).toBeCloseTo(((48_697.08 - 40_000) / 40_000) * 100, 6);
    expect(tce).toMatchObject({ kpi: 'savings.tce', status: 'missed' });
    // a target the engine judged stays as it was
    expect(total).toEqual(engine.targets[2]);
  });

  it("a team's task proved by its savings closes in the scorecard; a target on them is tracked to date", async () => {
    const withTask = compilePlant(
      parsePlantConfig(
        `${readFileSync(CONFIG, 'utf8')}\ntargets:\n` +
          '  - { kpi: savings.energy, scope: { type: team, id: T-BLR }, every: month, min: 30000 }\n' +
          'tasks:\n' +
          '  - { id: K-S, title: 月节气三万方 Save 30000 Nm3 a month, owner: { type: team, id: T-BLR }, from: "2026-02-01",\n' +
          '      due: "2026-06-30", points: 5, close: { kpi: savings.energy, every: month, min: 30000 } }\n',
      ),
    );
    const records = { closures: [], awards: [] };
    const { scorecard } = await computeScorecard(store, withTask, withTask.scorecard, '2026-03', records);
    const task = scorecard.tasks.find((t) => t.id === 'K-S')!;
    // February saved 22,000 Nm3 (short), March 48,697.08: closed in March
    expect(task).toMatchObject({ status: 'closed', closed_period: '2026-03' });
    const row = scorecard.targets.find((t) => t.kpi === 'savings.energy')!;
    expect(row.actual).toBeCloseTo(48_697.08, 4);
    expect(row.status).toBe('met');
  });

  it("`plantkpi export`: the team's savings on the team sheet and in the CSV, as `plantkpi kpi` gives them", async () => {
    const out = path.join(tmp.dir, 'exports');
    const r = await cli('export', '--config', CONFIG, '--period', '2026-03', '--data', tmp.dir, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const base = path.join(out, '2026-03', 'plantkpi-SITE-2026-03');
    const csv = readFileSync(`${base}.csv`, 'utf8')
      .split('\r\n')
      .map((l) => l.split(','));
    const row = (kpi: string) => csv.find((c) => c[1] === kpi && c[5] === 'T-BLR');
    expect(row('savings.energy')!.slice(7, 10)).toEqual(['2026-03', '48697', 'Nm3']);
    expect(row('savings.cumulative.energy')![8]).toBe('70697');
    expect(row('baseline.pass')![8]).toBe('1');
    expect(csv.find((c) => c[1] === 'savings.energy' && c[5] === 'A-HTG')![8]).toBe('4450');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(`${base}.xlsx`);
    const teams = SCOPE_SHEETS.find((s) => s.kinds.includes('team'))!.name;
    const cells: unknown[][] = [];
    wb.getWorksheet(teams)!.eachRow((r) => {
      cells.push((r.values as unknown[]).slice(1));
    });
    const saved = cells.find((c) => c[1] === 'T-BLR' && c[3] === 'savings.energy')!;
    expect(saved[4]).toBe('节能量 Energy savings');
    expect(saved[5]).toBeCloseTo(48_697.08, 0);
    expect(cells.some((c) => c[1] === 'T-BLR' && c[3] === 'savings.cumulative.tce')).toBe(true);

    const kpi = await cli(
      'kpi',
      '--config',
      CONFIG,
      '--period',
      '2026-03',
      '--data',
      tmp.dir,
      '--format',
      'json',
    );
    expect(kpi.code).toBe(0);
    const printed = JSON.parse(kpi.out) as Pick<PeriodResult, 'kpis'>;
    expect(mar(printed, 'savings.energy')!.value).toBeCloseTo(48_697.08, 4);
  });

  it('the monthly job writes the month with its savings rows to the KPI sink; a day with month baselines has none', async () => {
    const redis = await startRedis();
    const data = path.join(tmp.dir, 'jobs');
    const cfg = parsePlantConfig(
      `${readFileSync(CONFIG, 'utf8')}
records: { dir: "${path.join(tmp.dir, 'records')}" }
jobs:
  redis: { url: "${redis.url}" }
  prefix: savings
  hourlyCron: "0 0 1 1 *"
  dailyCron: "0 0 1 1 *"
  monthlyCron: "0 0 1 1 *"
  exportDir: "${path.join(tmp.dir, 'job-exports')}"
`,
      CONFIG,
    );
    const writer = await openStore(cfg, data);
    await writer.write(readings());
    await writer.close();
    const rt = await openRuntime(cfg, data);
    const { worker, queue } = startWorker(rt, () => {});
    try {
      for (const [kind, period] of [
        ['month', '2026-03'],
        ['day', '2026-03-05'],
      ] as const)
        await requestCompute(rt, queue, { kind, period, configHash: rt.configHash, reason: 'backfill' });
      const sink = new FileKpiSink(data);
      await waitFor(
        'the month and the day written',
        async () => sink.read('month', '2026-03') !== null && sink.read('day', '2026-03-05') !== null,
        60_000,
      );
      const month = sink.read('month', '2026-03')!;
      expect(mar(month, 'savings.energy')!.value).toBeCloseTo(48_697.08, 4);
      expect(mar(month, 'savings.cumulative.energy')!.value).toBeCloseTo(70_697.08, 4);
      expect(mar(month, 'baseline.pass')).toMatchObject({ value: 1, unit: 'flag' });
      // the month's own rows are there too, and the savings sit among them in the rows' order
      expect(mar(month, 'energy.natural_gas')).toBeDefined();
      const day = sink.read('day', '2026-03-05')!;
      expect(day.kpis.filter((k) => /^(savings|baseline)\./.test(k.kpi))).toEqual([]);
    } finally {
      await worker.close();
      await queue.close();
      await rt.close();
      await redis.destroy();
    }
  }, 120_000);
});
