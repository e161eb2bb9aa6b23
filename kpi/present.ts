/**
 * How numbers, statuses and names reach people: one set of conventions for the CLI's tables, the workbook, the CSV,
 * the boards (and the scorecard and portal after them). Pure functions, no I/O.
 *
 * Precision per unit (decimals shown; the CSV rounds to the same, ratios to 4 decimals as a fraction):
 *   kWh, Wh, J, kJ, Nm3, m3, L, kg, g, pcs, gCO2, s, min  0      (whole units)
 *   kgce, kgCO2, MJ, h                                   1
 *   t, GJ, d                                             2
 *   tce, tCO2, MWh, GWh, TJ, kt, kNm3, 10^4Nm3, km3      3
 *   intensities A/B: 2 when A is kg, kWh or a smaller unit (kgce/t), 3 when A is t-sized (tCO2/t, tce/t: to the kg)
 *   ratios (unit '1'): percent with 1 decimal (86.2 %); '%' values: 1 decimal
 *   a coefficient of determination (unit 'R2', baseline.r2): 4; a 0/1 flag (unit 'flag', baseline.pass): 0
 *   anything else: 3
 * Arrow keeps full precision; only what people read is rounded.
 */
import { dimensionOf } from '../transforms/units.ts';
import type { Plant } from './plant.ts';
import type { ScopeKind, TargetRow } from './rows.ts';

export interface UnitStyle {
  /** decimals shown (of the percentage, for ratios) */
  decimals: number;
  /** the value is a ratio 0..1 shown as a percentage */
  percent: boolean;
  /** Excel number format */
  excelFormat: string;
  /** Grafana field unit id ('percentunit', 'suffix: tce') */
  grafanaUnit: string;
}

const DECIMALS: Readonly<Record<string, number>> = {
  kWh: 0,
  Wh: 0,
  J: 0,
  kJ: 0,
  Nm3: 0,
  m3: 0,
  L: 0,
  kg: 0,
  g: 0,
  pcs: 0,
  gCO2: 0,
  s: 0,
  min: 0,
  kgce: 1,
  kgCO2: 1,
  MJ: 1,
  h: 1,
  t: 2,
  GJ: 2,
  d: 2,
  tce: 3,
  tCO2: 3,
  MWh: 3,
  GWh: 3,
  TJ: 3,
  kt: 3,
  kNm3: 3,
  '10^4Nm3': 3,
  km3: 3,
  '%': 1,
  R2: 4,
  flag: 0,
};

/**
 * Grafana units: ratios and percentages use Grafana's own; every other unit is a suffix as written, so that Grafana
 * does not rescale kWh into GWh or tonnes into kilotonnes on an energy manager's board.
 */
const GRAFANA: Readonly<Record<string, string>> = { '%': 'percent', '1': 'percentunit' };

/** Units whose size makes a numerator "t-sized" (shown to three decimals in an intensity). */
const LARGE = new Set(['t', 'kt', 'tce', 'tCO2', 'MWh', 'GWh', 'GJ', 'TJ', 'kNm3', '10^4Nm3', 'km3']);

function excelFormat(decimals: number, percent: boolean): string {
  const frac = decimals > 0 ? `.${'0'.repeat(decimals)}` : '';
  return percent ? `0${frac}%` : `#,##0${frac}`;
}

/** The display conventions of a KPI unit (see the table at the top of this file). */
export function unitStyle(unit: string): UnitStyle {
  if (unit === '1') return { decimals: 1, percent: true, excelFormat: '0.0%', grafanaUnit: 'percentunit' };
  let decimals = DECIMALS[unit];
  if (decimals === undefined) {
    const slash = unit.indexOf('/');
    if (slash > 0) decimals = LARGE.has(unit.slice(0, slash)) ? 3 : 2;
    else decimals = dimensionOf(unit) === 'count' ? 0 : 3;
  }
  return {
    decimals,
    percent: false,
    excelFormat: excelFormat(decimals, false),
    grafanaUnit: GRAFANA[unit] ?? `suffix: ${unit}`,
  };
}

/** The value as people read it: thousands separators, the unit's decimals, ratios as percent ("86.2 %"). */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const s = unitStyle(unit);
  const x = s.percent ? value * 100 : value;
  const text = x.toLocaleString('en-US', {
    minimumFractionDigits: s.decimals,
    maximumFractionDigits: s.decimals,
  });
  // -0.000 reads as a loss that is not there
  const clean = /^-[0.,]+$/.test(text) ? text.slice(1) : text;
  return s.percent ? `${clean} %` : clean;
}

/** The value rounded for the CSV: the unit's decimals; a ratio keeps 4 decimals of its fraction (0.01 %). */
export function roundValue(value: number, unit: string): number {
  if (!Number.isFinite(value)) return value;
  const s = unitStyle(unit);
  const d = s.percent ? s.decimals + 3 : s.decimals;
  const r = Number(value.toFixed(d));
  return Object.is(r, -0) ? 0 : r;
}

/** Display width in a fixed-width font or an Excel column: CJK (and full-width) characters count two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += WIDE.test(ch) ? 2 : 1;
  return w;
}
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** Target status, zh-CN with English. */
export const STATUS_LABELS: Readonly<Record<TargetRow['status'], string>> = {
  met: '达标 met',
  missed: '未达标 missed',
  no_data: '无数据 no data',
};

export const PROVISIONAL_LABEL = '暂定 provisional';
export const FINAL_LABEL = '确定 final';

/** Names of every scope (and equipment) in a plant, keyed `type|id`. */
export function scopeNames(plant: Plant): ReadonlyMap<string, string> {
  const m = new Map<string, string>();
  const scopes = [plant.site, plant.committee, ...plant.branches, ...plant.generalBranches];
  for (const s of [...scopes, ...plant.areas, ...plant.teams]) m.set(`${s.type}|${s.id}`, s.name ?? s.id);
  for (const e of plant.equipment.values()) m.set(`equipment|${e.id}`, e.name ?? e.id);
  return m;
}

/** A scope's name, or its id when it has none. */
export function scopeName(names: ReadonlyMap<string, string>, type: ScopeKind, id: string): string {
  return names.get(`${type}|${id}`) ?? id;
}

function pad(s: string, n: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, n - displayWidth(s)));
  return right ? fill + s : s + fill;
}

/**
 * Rows aligned in columns (CJK characters count two), the head underlined; a row of one cell is a heading that spans
 * the table (a scope's name above its KPIs).
 */
export function textTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  right: ReadonlySet<number>,
) {
  const cells = rows.filter((r) => r.length > 1);
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => pad(c, widths[i]!, right.has(i)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
