/**
 * The monthly export of the reference plant as a plant files it, read back: the site's and each branch's workbook
 * (sheets and their order, no sheet without rows, number formats per unit, widths fitted to the content, a frozen
 * header, landscape fit-to-width pages, a branch's file holding only its own scopes and meters, a summary equal to
 * the KPI rows) and the CSV (values rounded per unit, names beside codes, bilingual statuses).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlantConfig } from '../config/load.ts';
import { CSV_HEADER } from '../kpi/export/csv.ts';
import { exportMonth } from '../kpi/export/month.ts';
import {
  LEDGER_SHEET,
  POINTS_SHEET,
  RANKING_SHEET,
  SCORECARD_SHEETS,
  TASKS_SHEET,
  TRACKING_SHEET,
} from '../kpi/export/scorecard-sheets.ts';
import {
  DAILY_SHEET,
  FACTORS_SHEET,
  KPI_HEADERS,
  QUALITY_SHEET,
  SUMMARY_SHEET,
  TARGETS_SHEET,
} from '../kpi/export/workbook.ts';
import { configHash } from '../kpi/jobs/plan.ts';
import { compilePlant } from '../kpi/plant.ts';
import { displayWidth, formatValue, roundValue, unitStyle } from '../kpi/present.ts';
import type { KpiRow, TargetRow } from '../kpi/rows.ts';
import { runDays, runPeriod } from '../kpi/run.ts';
import type { Scorecard } from '../kpi/scorecard/build.ts';
import { computeScorecard } from '../kpi/scorecard/compute.ts';
import { openStore } from '../store/open.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { cli, REFERENCE, REFERENCE_CONFIG, tempDir } from './helpers.ts';

const tmp = tempDir('plantkpi-export-');
const data = path.join(tmp.dir, 'data');
const out = path.join(tmp.dir, 'out');
const monthDir = path.join(out, '2026-10');
const plant = compilePlant(loadPlantConfig(REFERENCE_CONFIG).config);
let month: { kpis: KpiRow[]; targets: TargetRow[] };
/** the month's scorecard and its CSV per file, as `plantkpi scorecard` gives them */
let scorecard: Scorecard;
let scorecardCsvs: Record<string, string>;

async function book(rel: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path.join(monthDir, rel));
  return wb;
}
const SITE = 'plantkpi-SITE-2026-10.xlsx';
const ELY = 'branches/B-ELY/plantkpi-B-ELY-2026-10.xlsx';
const PWR = 'branches/B-PWR/plantkpi-B-PWR-2026-10.xlsx';

/** The text Excel shows for a cell: numbers through their format (the formats the export uses). */
function shown(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (typeof v !== 'number') return v === null || v === undefined ? '' : String(v);
  const fmt = cell.numFmt ?? '';
  const prefix = /^"([^"]*)"/.exec(fmt)?.[1] ?? '';
  const body = fmt.replace(/^"[^"]*"/, '').split(';')[0]!;
  const decimals = /\.(0+)/.exec(body)?.[1]?.length ?? 0;
  if (body.endsWith('%'))
    return `${prefix}${v > 0 && fmt.startsWith('+') ? '+' : ''}${(v * 100).toFixed(decimals)}%`;
  if (body.startsWith('#,##0'))
    return (
      prefix + v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
    );
  return String(v);
}

function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  ws.eachRow((row, n) => {
    if (n > 1) rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

function header(ws: ExcelJS.Worksheet): string[] {
  return (ws.getRow(1).values as string[]).slice(1);
}

beforeAll(async () => {
  const imp = await cli(
    'import',
    path.join(REFERENCE, 'readings.csv'),
    '--config',
    REFERENCE_CONFIG,
    '--data',
    data,
  );
  expect(imp.code).toBe(0);
  const r = await cli(
    'export',
    '--config',
    REFERENCE_CONFIG,
    '--period',
    '2026-10',
    '--data',
    data,
    '--out',
    out,
  );
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const k = await cli(
    'kpi',
    '--config',
    REFERENCE_CONFIG,
    '--period',
    '2026-10',
    '--data',
    data,
    '--format',
    'json',
  );
  month = JSON.parse(k.out);
  const sc = (...extra: string[]) =>
    cli('scorecard', '--config', REFERENCE_CONFIG, '--period', '2026-10', '--data', data, ...extra);
  scorecard = JSON.parse((await sc('--format', 'json')).out);
  scorecardCsvs = {
    [SITE]: (await sc('--format', 'csv')).out,
    [ELY]: (await sc('--format', 'csv', '--branch', 'B-ELY')).out,
    [PWR]: (await sc('--format', 'csv', '--branch', 'B-PWR')).out,
  };
}, 60_000);
afterAll(() => tmp.cleanup());

describe('the monthly workbook', () => {
  it("has a summary first, then the scorecard's sheets, daily values and factors, then the existing sheets; a branch has only sheets with rows", async () => {
    expect((await book(SITE)).worksheets.map((w) => w.name)).toEqual([
      SUMMARY_SHEET,
      ...SCORECARD_SHEETS,
      DAILY_SHEET,
      FACTORS_SHEET,
      '厂区 Site',
      '党支部 Branches',
      '责任区 Areas',
      '突击队 Teams',
      '设备 Equipment',
      TARGETS_SHEET,
      QUALITY_SHEET,
    ]);
    // B-ELY: an area with the caster, no team (so no task); B-PWR: an area and a team (K-1), no equipment; neither
    // has a site sheet
    const base = [DAILY_SHEET, FACTORS_SHEET, '党支部 Branches', '责任区 Areas'];
    const scored = [RANKING_SHEET, POINTS_SHEET, LEDGER_SHEET];
    expect((await book(ELY)).worksheets.map((w) => w.name)).toEqual([
      SUMMARY_SHEET,
      ...scored,
      TRACKING_SHEET,
      ...base,
      '设备 Equipment',
      TARGETS_SHEET,
      QUALITY_SHEET,
    ]);
    expect((await book(PWR)).worksheets.map((w) => w.name)).toEqual([
      SUMMARY_SHEET,
      ...scored,
      TASKS_SHEET,
      TRACKING_SHEET,
      ...base,
      '突击队 Teams',
      TARGETS_SHEET,
      QUALITY_SHEET,
    ]);
    for (const f of [SITE, ELY, PWR])
      for (const ws of (await book(f)).worksheets) expect(ws.rowCount, `${f} ${ws.name}`).toBeGreaterThan(1);
  });

  it('formats every value by its unit: kWh and Nm3 whole, tce and tCO2 to three decimals, intensities, ratios as percent', async () => {
    const wb = await book(SITE);
    for (const name of ['厂区 Site', '党支部 Branches', '责任区 Areas', '突击队 Teams', '设备 Equipment']) {
      const ws = wb.getWorksheet(name)!;
      expect(header(ws)).toEqual(KPI_HEADERS);
      ws.eachRow((row, n) => {
        if (n === 1) return;
        // a ratio's unit reads '%', as its value does
        const unit = row.getCell(7).value === '%' ? '1' : (row.getCell(7).value as string);
        const value = row.getCell(6);
        expect(value.numFmt, `${name} row ${n} ${unit}`).toBe(unitStyle(unit).excelFormat);
        expect(shown(value).replace('%', ' %')).toBe(formatValue(value.value as number, unit));
      });
    }
    const fmt = (unit: string) => unitStyle(unit).excelFormat;
    expect([fmt('kWh'), fmt('Nm3'), fmt('tce'), fmt('tCO2'), fmt('kgce/t'), fmt('tCO2/t'), fmt('1')]).toEqual(
      ['#,##0', '#,##0', '#,##0.000', '#,##0.000', '#,##0.00', '#,##0.000', '0.0%'],
    );
    // the daily sheet: every value cell has its column's unit format
    const daily = wb.getWorksheet(DAILY_SHEET)!;
    const heads = header(daily);
    daily.eachRow((row, n) => {
      if (n === 1) return;
      heads.forEach((h, i) => {
        const unit = /\(([^()]+)\)$/.exec(h)?.[1];
        const cell = row.getCell(i + 1);
        if (unit !== undefined && typeof cell.value === 'number') expect(cell.numFmt).toBe(fmt(unit));
      });
    });
    // site, committee, two branches and two areas every day; the team from 16 October, when it was formed
    expect(rowsOf(daily).length).toBe(31 * 6 + 16);
    const q = wb.getWorksheet(QUALITY_SHEET)!;
    expect(q.getRow(2).getCell(3).numFmt).toBe('0.0%');
  });

  it('fits each column to its widest text (CJK counted double), no longer 18 wide for all', async () => {
    for (const f of [SITE, ELY, PWR]) {
      for (const ws of (await book(f)).worksheets) {
        const widths = ws.columns.map((c) => c.width ?? 0);
        expect(new Set(widths).size, `${f} ${ws.name}: ${widths}`).toBeGreaterThan(1);
        ws.columns.forEach((col, i) => {
          const at = `${f} ${ws.name} column ${i + 1}`;
          const wraps = ws.getRow(2).getCell(i + 1).alignment?.wrapText === true;
          // the header wraps between words: every word fits; every value fits unless its column wraps (notes)
          const head = String(ws.getRow(1).getCell(i + 1).value);
          const words = Math.max(...head.split(/[\n ]/).map(displayWidth));
          const lines = Math.max(...head.split('\n').map(displayWidth));
          let body = 0;
          col.eachCell!((cell, n) => {
            if (n > 1) body = Math.max(body, ...shown(cell).split('\n').map(displayWidth));
          });
          expect(words, at).toBeLessThanOrEqual(col.width!);
          if (!wraps) expect(body, at).toBeLessThanOrEqual(col.width!);
          // fitted, not padded: at most the widest text plus a little room (a number's indent, a bold header)
          expect(col.width!, at).toBeLessThanOrEqual(Math.max(body, lines * 1.15, 11) + 3.5);
        });
      }
    }
  });

  it('freezes a bold header, repeats it on every page, prints landscape one page wide', async () => {
    for (const f of [SITE, ELY, PWR]) {
      for (const ws of (await book(f)).worksheets) {
        expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
        expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
        expect(ws.pageSetup).toMatchObject({
          orientation: 'landscape',
          fitToPage: true,
          fitToWidth: 1,
          fitToHeight: 0,
          printTitlesRow: '1:1',
        });
      }
    }
  });

  it("a branch's workbook holds only its own scopes, meters and factors", async () => {
    const others: Record<string, string[]> = {
      [ELY]: ['SITE', 'C', 'B-PWR', 'A-BLR', 'T-BLR', 'G-BLR', 'P-STM'],
      [PWR]: ['SITE', 'C', 'B-ELY', 'A-ELY-1', 'PK-1', 'E-ELY', 'P-MG', 'PK-1.state', 'PK-1.produced'],
    };
    for (const [f, foreign] of Object.entries(others)) {
      const wb = await book(f);
      for (const ws of wb.worksheets) {
        if (ws.name === FACTORS_SHEET) continue;
        const codes = new Set(rowsOf(ws).flatMap((r) => r.filter((c) => typeof c === 'string')));
        for (const id of foreign) expect(codes.has(id), `${f} ${ws.name} shows ${id}`).toBe(false);
      }
      const signals = rowsOf(wb.getWorksheet(QUALITY_SHEET)!).map((r) => r[0]);
      expect(signals.sort()).toEqual(
        f === ELY
          ? ['E-AUX', 'E-ELY', 'P-MG', 'PK-1.good', 'PK-1.produced', 'PK-1.state']
          : ['E-AUX', 'G-BLR', 'P-STM'],
      );
    }
    // the boiler branch burns gas and uses the shared substation's electricity: both carriers' factors, with sources
    const factors = rowsOf((await book(PWR)).getWorksheet(FACTORS_SHEET)!);
    expect(factors.map((r) => `${r[0]}/${r[2]}`)).toEqual([
      'electricity/折标系数 to tce',
      'electricity/排放因子 CO2',
      'natural_gas/折标系数 to tce',
      'natural_gas/排放因子 CO2',
    ]);
    for (const r of factors) expect(String(r[7]).length).toBeGreaterThan(5);
  });

  it("the summary's numbers are the KPI rows: energy, CO2, intensity against target, margin and status", async () => {
    const value = (kpi: string, type: string, id: string) =>
      month.kpis.find((r) => r.kpi === kpi && r.scope_type === type && r.scope_id === id)?.value;
    const site = rowsOf((await book(SITE)).getWorksheet(SUMMARY_SHEET)!);
    // the site and its branches, then every scope with a target
    expect(site.map((r) => r[1])).toEqual(['SITE', 'B-ELY', 'B-PWR', 'A-ELY-1', 'A-BLR']);
    for (const r of site.slice(0, 3)) {
      const type = r[1] === 'SITE' ? 'site' : 'branch';
      expect(r[2]).toBe(plant.branches.find((b) => b.id === r[1])?.name ?? plant.site.name);
      expect(r[3]).toBe(value('energy.total', type, r[1] as string));
      expect(r[4]).toBe(value('emissions.co2', type, r[1] as string));
      expect(r[6] ?? undefined).toBe(value('intensity.energy', type, r[1] as string));
    }
    // a branch's summary: the branch, then its areas against their targets
    const pwr = rowsOf((await book(PWR)).getWorksheet(SUMMARY_SHEET)!);
    expect(pwr.map((r) => r[1])).toEqual(['B-PWR', 'A-BLR', 'T-BLR']);
    const blr = pwr[1]!;
    const target = month.targets.find((t) => t.scope_id === 'A-BLR')!;
    expect(blr[6]).toBe(target.actual);
    expect(blr[8]).toBe(16);
    expect(blr[9]).toBeCloseTo(target.margin_pct! / 100, 12);
    expect(blr[9]).toBeCloseTo((16 - target.actual!) / 16, 12);
    expect(blr[10]).toBe('未达标 missed');
    const ely = rowsOf((await book(ELY)).getWorksheet(SUMMARY_SHEET)!)[1]!;
    expect([ely[1], ely[10]]).toEqual(['A-ELY-1', '达标 met']);
    expect(ely[9] as number).toBeGreaterThan(0);
  });
});

describe('the monthly CSV', () => {
  const csv = () => readFileSync(path.join(monthDir, 'plantkpi-SITE-2026-10.csv'), 'utf8');
  const table = () =>
    csv()
      .slice(1)
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));

  it('is UTF-8 with a BOM and CRLF, with names beside codes and bilingual statuses and provisional marks', () => {
    const text = csv();
    expect(text.startsWith(`\uFEFF${CSV_HEADER.join(',')}\r\n`)).toBe(true);
    expect(text).toContain(
      'kpi,intensity.energy,单位产品综合能耗 Energy intensity,area,党员责任区 Responsibility area,A-ELY-1,电解一区党员责任区 Electrolysis area 1,2026-10,259.11,kgce/t,,,,确定 final',
    );
    const targets = table().filter((r) => r[0] === 'target');
    expect(targets.map((r) => `${r[5]} ${r[12]}`)).toEqual(['A-ELY-1 达标 met', 'A-BLR 未达标 missed']);
  });

  it('rounds every value to its unit (kpi/present.ts), so no float tails', () => {
    const rows = table().filter((r) => r[0] === 'kpi');
    expect(rows.length).toBe(month.kpis.length);
    for (const r of rows) {
      const k = month.kpis.find((x) => x.kpi === r[1] && x.scope_type === r[3] && x.scope_id === r[5])!;
      expect(Number(r[8]), `${r[1]} ${r[5]}`).toBe(roundValue(k.value, k.unit));
      const decimals = r[8]!.split('.')[1]?.length ?? 0;
      expect(decimals).toBeLessThanOrEqual(unitStyle(k.unit).percent ? 4 : unitStyle(k.unit).decimals);
    }
  });
});

describe("the scorecard's sheets (issue 12)", () => {
  const expected = JSON.parse(readFileSync(path.join(REFERENCE, 'expected-scorecard.json'), 'utf8'));
  const sheet = async (f: string, name: string) => rowsOf((await book(f)).getWorksheet(name)!);

  it('rank the areas by margin as expected-scorecard.json does, margins as signed percentages', async () => {
    const wb = await book(SITE);
    const ws = wb.getWorksheet(RANKING_SHEET)!;
    const rows = rowsOf(ws);
    expect(rows.map((r) => [r[0], r[1], r[2], r[4], r[5], r[6]])).toEqual(
      expected.ranking.map((e: { scope_id: string; rank: number; kpi: string }) => [
        'areas',
        '责任区评比 Area ranking',
        e.rank,
        e.scope_id,
        plant.areas.find((a) => a.id === e.scope_id)!.name,
        e.kpi,
      ]),
    );
    rows.forEach((r, i) => {
      const want = expected.ranking[i].margin_pct / 100;
      expect(Math.abs((r[8] as number) - want) / Math.abs(want)).toBeLessThan(1e-6);
      expect(ws.getRow(i + 2).getCell(9).numFmt).toBe('+0.0%;-0.0%;0.0%');
    });
    // A-ELY-1 inside its target by 0.34 %, A-BLR outside by 1.70 %
    expect(rows.map((_, i) => shown(ws.getRow(i + 2).getCell(9)))).toEqual(['+0.3%', '-1.7%']);
  });

  it('give each scope its points and every ledger entry with its source, ref and reason', async () => {
    const points = await sheet(SITE, POINTS_SHEET);
    expect(points.map((r) => [r[1], r[3], r[4]]).sort()).toEqual(
      expected.points
        .map((p: { scope_id: string; period: string; points: number }) => [p.scope_id, p.period, p.points])
        .sort(),
    );
    const ledger = await sheet(SITE, LEDGER_SHEET);
    expect(ledger.map((r) => [r[1], r[4], r[6], r[7]])).toEqual(
      scorecard.ledger.map((e) => [e.scope_id, e.points, e.ref, e.reason]),
    );
    expect(ledger.map((r) => r[5])).toEqual(['目标 target', '目标 target', '任务 task']);
    const k1 = ledger.find((r) => r[6] === 'K-1')!;
    expect([k1[1], k1[4]]).toEqual(['T-BLR', 5]);
  });

  it('list the key task with its kind, owner, due day, bilingual status, closing period, evidence and on time', async () => {
    const tasks = await sheet(SITE, TASKS_SHEET);
    const k1 = scorecard.tasks.find((t) => t.id === 'K-1')!;
    expect(tasks).toEqual([
      [
        'K-1',
        '锅炉吨汽综合能耗不高于16 kgce/t Boiler steam at most 16 kgce/t',
        '任务 task',
        '党员突击队 Assault team',
        'T-BLR',
        plant.teams.find((t) => t.id === 'T-BLR')!.name,
        '2026-12-31',
        '已销号 closed',
        '2026-10',
        k1.evidence,
        '按期 on time',
      ],
    ]);
    expect(k1.evidence).toMatch(/^intensity\.energy ≤ 16: 2026-10 15\.71 kgce\/t/);
  });

  it('track each target: bound, actual and year to date in the KPI unit, progress as a percentage, status', async () => {
    const ws = (await book(SITE)).getWorksheet(TRACKING_SHEET)!;
    const rows = rowsOf(ws);
    expect(rows.length).toBe(scorecard.targets.length);
    expect(rows.length).toBeGreaterThan(0);
    scorecard.targets.forEach((t, i) => {
      const row = ws.getRow(i + 2);
      const r = rows[i]!;
      expect([r[1], r[3], r[5], r[9], r[13]]).toEqual([
        t.scope_id,
        t.kpi,
        t.target_period,
        t.unit,
        { met: '达标 met', missed: '未达标 missed' }[t.status as 'met' | 'missed'],
      ]);
      expect(r[7]).toBe(t.actual);
      expect(r[8]).toBe(t.ytd_actual);
      expect(r[10]).toBeCloseTo(t.progress_pct! / 100, 12);
      for (const c of [8, 9]) expect(row.getCell(c).numFmt).toBe(unitStyle(t.unit!).excelFormat);
      expect(shown(row.getCell(7))).toBe(`≤ ${formatValue(t.target_max!, t.unit!)}`);
      expect(row.getCell(11).numFmt).toBe('0.0%');
    });
    expect(rows.map((r, i) => `${r[1]} ${shown(ws.getRow(i + 2).getCell(8))}`)).toEqual([
      'A-ELY-1 259.11',
      'A-BLR 16.27',
    ]);
  });

  it("a branch's sheets hold only its own rows, ranks staying the whole group's", async () => {
    const own: Record<string, string[]> = {
      [ELY]: ['B-ELY', 'A-ELY-1'],
      [PWR]: ['B-PWR', 'A-BLR', 'T-BLR'],
    };
    for (const [f, ids] of Object.entries(own)) {
      const wb = await book(f);
      for (const name of SCORECARD_SHEETS) {
        const ws = wb.getWorksheet(name);
        if (!ws) continue;
        const scopes = rowsOf(ws).map((r) =>
          name === RANKING_SHEET ? r[4] : name === TASKS_SHEET ? r[4] : r[1],
        );
        for (const id of scopes) expect(ids, `${f} ${name}`).toContain(id);
      }
    }
    expect((await sheet(PWR, RANKING_SHEET)).map((r) => [r[4], r[2]])).toEqual([['A-BLR', 2]]);
    expect((await sheet(PWR, POINTS_SHEET)).map((r) => [r[1], r[4]])).toEqual([
      ['A-BLR', -2],
      ['T-BLR', 5],
      ['B-PWR', -2],
    ]);
    expect((await sheet(ELY, POINTS_SHEET)).map((r) => [r[1], r[4]])).toEqual([
      ['A-ELY-1', 10],
      ['B-ELY', 10],
    ]);
    expect((await sheet(PWR, TASKS_SHEET)).map((r) => r[0])).toEqual(['K-1']);
    expect((await book(ELY)).getWorksheet(TASKS_SHEET)).toBeUndefined();
  });

  it('each set has its scorecard CSV, the bytes of `plantkpi scorecard --format csv`, hashed in the manifest', () => {
    const manifest = JSON.parse(readFileSync(path.join(monthDir, 'manifest.json'), 'utf8'));
    for (const [f, text] of Object.entries(scorecardCsvs)) {
      const rel = f.replace(/\.xlsx$/, '-scorecard.csv');
      const bytes = readFileSync(path.join(monthDir, rel));
      expect(bytes.toString('utf8'), rel).toBe(text);
      expect(text.startsWith('\uFEFF')).toBe(true);
      const entry = manifest.files.find((x: { path: string }) => x.path === rel);
      expect(entry?.sha256, rel).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});

describe('an export without a scorecard', () => {
  it("is the same set as before issue 12 (no scorecard sheets or CSV); with one, the KPI CSV and Arrow bytes don't change", async () => {
    const { config } = loadPlantConfig(REFERENCE_CONFIG);
    const store = await openStore(config, data);
    try {
      const p = parsePeriod('2026-10', plant.timeZone);
      const result = await runPeriod(store, plant, p);
      const days = await runDays(store, plant, p);
      const records = { closures: [], awards: [] };
      const sc = (await computeScorecard(store, plant, plant.scorecard, p, records, result)).scorecard;
      const base = { configHash: configHash(config), days };
      const without = await exportMonth(result, plant, { ...base, dir: path.join(tmp.dir, 'without') });
      const withSc = await exportMonth(result, plant, {
        ...base,
        dir: path.join(tmp.dir, 'with'),
        scorecard: sc,
      });
      const sets = [
        'plantkpi-SITE-2026-10',
        'branches/B-ELY/plantkpi-B-ELY-2026-10',
        'branches/B-PWR/plantkpi-B-PWR-2026-10',
      ];
      expect(without.files.map((f) => f.path)).toEqual(
        sets.flatMap((s) => ['xlsx', 'csv', 'arrow'].map((x) => `${s}.${x}`)),
      );
      expect(withSc.files.map((f) => f.path)).toEqual(
        sets.flatMap((s) => [...['xlsx', 'csv', 'arrow'].map((x) => `${s}.${x}`), `${s}-scorecard.csv`]),
      );
      const hashed = (m: typeof without) =>
        m.files.filter((f) => f.sha256 !== null && !f.path.endsWith('-scorecard.csv'));
      expect(hashed(withSc)).toEqual(hashed(without));
      expect(hashed(without)).toHaveLength(6);
      // and the CLI's export (with the scorecard) wrote the very same KPI bytes
      const cliManifest = JSON.parse(readFileSync(path.join(monthDir, 'manifest.json'), 'utf8'));
      expect(hashed(cliManifest)).toEqual(hashed(without));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(tmp.dir, 'without', '2026-10', `${sets[0]}.xlsx`));
      const names = wb.worksheets.map((w) => w.name);
      expect(names[0]).toBe(SUMMARY_SHEET);
      expect(names[1]).toBe(DAILY_SHEET);
      for (const n of SCORECARD_SHEETS) expect(names).not.toContain(n);
    } finally {
      await store.close();
    }
  }, 60_000);
});
