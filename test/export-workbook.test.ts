/**
 * The monthly export of the reference plant as a plant files it, read back: the site's and each branch's workbook
 * (sheets and their order, no sheet without rows, number formats per unit, widths fitted to the content, a frozen
 * header, landscape fit-to-width pages, a branch's file holding only its own scopes and meters, a summary equal to
 * the KPI rows) and the CSV (values rounded per unit, names beside codes, bilingual statuses).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlantConfig } from '../config/load.ts';
import { CSV_HEADER } from '../kpi/export/csv.ts';
import {
  DAILY_SHEET,
  FACTORS_SHEET,
  KPI_HEADERS,
  QUALITY_SHEET,
  SUMMARY_SHEET,
  TARGETS_SHEET,
} from '../kpi/export/workbook.ts';
import { compilePlant } from '../kpi/plant.ts';
import { displayWidth, formatValue, roundValue, unitStyle } from '../kpi/present.ts';
import type { KpiRow, TargetRow } from '../kpi/rows.ts';
import { cli, REFERENCE, REFERENCE_CONFIG, tempDir } from './helpers.ts';

const tmp = tempDir('plantkpi-export-');
const data = path.join(tmp.dir, 'data');
const out = path.join(tmp.dir, 'out');
const monthDir = path.join(out, '2026-10');
const plant = compilePlant(loadPlantConfig(REFERENCE_CONFIG).config);
let month: { kpis: KpiRow[]; targets: TargetRow[] };

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
}, 60_000);
afterAll(() => tmp.cleanup());

describe('the monthly workbook', () => {
  it('has a summary first, then daily values and factors, then the existing sheets; a branch has only sheets with rows', async () => {
    expect((await book(SITE)).worksheets.map((w) => w.name)).toEqual([
      SUMMARY_SHEET,
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
    // B-ELY: an area with the caster, no team; B-PWR: an area and a team, no equipment; neither has a site sheet
    const base = [SUMMARY_SHEET, DAILY_SHEET, FACTORS_SHEET, '党支部 Branches', '责任区 Areas'];
    expect((await book(ELY)).worksheets.map((w) => w.name)).toEqual([
      ...base,
      '设备 Equipment',
      TARGETS_SHEET,
      QUALITY_SHEET,
    ]);
    expect((await book(PWR)).worksheets.map((w) => w.name)).toEqual([
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
