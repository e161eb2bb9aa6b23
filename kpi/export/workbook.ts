/**
 * The monthly workbook of one file slice (the site's or a branch's), sheets in this order: 汇总 Summary, the
 * scorecard's sheets when the slice has one (scorecard-sheets.ts: 排名 Ranking, 积分 Points, 积分明细 Points ledger,
 * 任务 Tasks, 目标跟踪 Target tracking), 日数据 Daily values, 排放因子 Factors used, then the KPI rows per scope kind,
 * 目标 Targets and 数据质量 Quality. Names beside codes, zh-CN with English, numbers formatted per unit
 * (kpi/present.ts); a sheet without rows is left out.
 */
import ExcelJS from 'exceljs';
import type { Plant } from '../plant.ts';
import { STATUS_LABELS, scopeName, scopeNames } from '../present.ts';
import { compareRows, type KpiRow, kpiLabel, SCOPE_LABELS, type ScopeKind, type TargetRow } from '../rows.ts';
import type { FactorUsed } from './factors.ts';
import { scorecardSheets } from './scorecard-sheets.ts';
import {
  addTable,
  type CellInput,
  cols,
  fraction,
  num,
  provisional,
  signedPercent,
  targetCell,
  unitShown,
} from './sheet.ts';
import type { FileSlice } from './slice.ts';

export const SUMMARY_SHEET = '汇总 Summary';
export const DAILY_SHEET = '日数据 Daily values';
export const FACTORS_SHEET = '排放因子 Factors used';
/** The KPI rows of the month, one sheet per group of scope kinds. */
export const SCOPE_SHEETS: readonly { name: string; kinds: readonly ScopeKind[] }[] = [
  { name: '厂区 Site', kinds: ['site', 'committee'] },
  { name: '党支部 Branches', kinds: ['general_branch', 'branch'] },
  { name: '责任区 Areas', kinds: ['area'] },
  { name: '突击队 Teams', kinds: ['team'] },
  { name: '设备 Equipment', kinds: ['equipment'] },
];
export const TARGETS_SHEET = '目标 Targets';
export const QUALITY_SHEET = '数据质量 Quality';

export const KPI_HEADERS = [
  '范围类型 Scope type',
  '范围 Scope',
  '名称 Name',
  '指标 KPI',
  '指标名称 KPI name',
  '数值 Value',
  '单位 Unit',
  '暂定 Provisional',
];

const HAN = /[\u3400-\u9fff]/;

/** A zh-CN word of more than six characters in two lines: before a bracket, else after its first half. */
function breakHan(word: string): string {
  const chars = [...word];
  if (chars.length <= 6) return word;
  const bracket = word.indexOf('(');
  if (bracket > 0) return `${word.slice(0, bracket)}\n${word.slice(bracket)}`;
  const half = Math.ceil(chars.length / 2);
  return `${chars.slice(0, half).join('')}\n${chars.slice(half).join('')}`;
}

/**
 * "能耗 Energy: 电力 Electricity" -> "能耗 电力\nEnergy: Electricity"; "单位产品综合能耗 Energy intensity" ->
 * "单位产品\n综合能耗\nEnergy intensity": a narrow header that wraps between words.
 */
function headerLines(label: string): string {
  const words = label.split(' ');
  const zh = words.filter((w) => HAN.test(w)).map(breakHan);
  const en = words.filter((w) => !HAN.test(w));
  return zh.length === 0 || en.length === 0 ? label : `${zh.join(' ')}\n${en.join(' ')}`;
}

function summarySheet(wb: ExcelJS.Workbook, f: FileSlice, plant: Plant, names: ReadonlyMap<string, string>) {
  const { kpis, targets } = f.month;
  const find = (kpi: string, type: ScopeKind, id: string) =>
    kpis.find((r) => r.kpi === kpi && r.scope_type === type && r.scope_id === id);
  const rows: CellInput[][] = [];
  // the file's own scopes, then every other scope of it that has a target
  const scopes = new Map(f.heads.map((s) => [`${s.type}|${s.id}`, { type: s.type, id: s.id }]));
  for (const t of targets)
    if (!scopes.has(`${t.scope_type}|${t.scope_id}`))
      scopes.set(`${t.scope_type}|${t.scope_id}`, { type: t.scope_type, id: t.scope_id });
  for (const s of scopes.values()) {
    const energy = find('energy.total', s.type, s.id);
    const co2 = find('emissions.co2', s.type, s.id);
    const own = targets.filter((t) => t.scope_type === s.type && t.scope_id === s.id);
    const lines: { kpi: string; target?: TargetRow }[] =
      own.length > 0 ? own.map((t) => ({ kpi: t.kpi, target: t })) : [{ kpi: 'intensity.energy' }];
    lines.forEach(({ kpi, target }, i) => {
      const row = find(kpi, s.type, s.id);
      const actual = target ? target.actual : (row?.value ?? null);
      const shown = row !== undefined || target !== undefined;
      rows.push([
        SCOPE_LABELS[s.type],
        s.id,
        scopeName(names, s.type, s.id),
        i === 0 ? num(energy?.value, 'tce') : null,
        i === 0 ? num(co2?.value, 'tCO2') : null,
        shown ? kpiLabel(kpi, plant.names) : null,
        row ? num(actual, row.unit) : actual,
        row ? unitShown(row.unit) : null,
        target ? targetCell(target, row?.unit) : null,
        target ? signedPercent(fraction(target.margin_pct)) : null,
        target ? STATUS_LABELS[target.status] : null,
        provisional((i === 0 && (energy?.provisional || co2?.provisional)) || (row?.provisional ?? false)),
      ]);
    });
  }
  addTable(
    wb,
    SUMMARY_SHEET,
    [
      { header: '范围类型 Scope type' },
      { header: '范围 Scope' },
      { header: '名称 Name' },
      { header: '综合能耗\nEnergy (tce)' },
      { header: '二氧化碳排放\nCO2 (tCO2)' },
      { header: '考核指标 Indicator' },
      { header: '实际\nActual' },
      { header: '单位\nUnit' },
      { header: '目标\nTarget' },
      { header: '余量\nMargin' },
      { header: '状态 Status' },
      { header: '暂定 Provisional' },
    ],
    rows,
  );
}

/** One row per scope and day (equipment left to its own sheet), one column per KPI and unit. */
function dailySheet(wb: ExcelJS.Workbook, f: FileSlice, plant: Plant, names: ReadonlyMap<string, string>) {
  const rows = f.days.flatMap((d) => d.kpis).filter((r) => r.scope_type !== 'equipment');
  const keyOf = (r: KpiRow) => `${r.kpi}|${r.unit}`;
  const columns = [...new Map(rows.map((r) => [keyOf(r), r])).values()].sort((a, b) =>
    compareRows(
      { ...a, scope_type: 'site', scope_id: '', period: '' },
      { ...b, scope_type: 'site', scope_id: '', period: '' },
    ),
  );
  const byScope = new Map<string, KpiRow[]>();
  for (const r of [...rows].sort(compareRows)) {
    const k = `${r.scope_type}|${r.scope_id}`;
    if (!byScope.has(k)) byScope.set(k, []);
    byScope.get(k)!.push(r);
  }
  const out: CellInput[][] = [];
  for (const scopeRows of byScope.values()) {
    const { scope_type, scope_id } = scopeRows[0]!;
    for (const d of f.days) {
      const mine = scopeRows.filter((r) => r.period === d.period);
      if (mine.length === 0) continue;
      const value = new Map(mine.map((r) => [keyOf(r), r]));
      out.push([
        d.period,
        scope_id,
        scopeName(names, scope_type, scope_id),
        ...columns.map((c) => {
          const r = value.get(keyOf(c));
          return r ? num(r.value, r.unit) : null;
        }),
        provisional(mine.some((r) => r.provisional)),
      ]);
    }
  }
  addTable(
    wb,
    DAILY_SHEET,
    [
      { header: '日期 Date' },
      { header: '范围 Scope' },
      { header: '名称 Name', maxWidth: 40 },
      ...columns.map((c) => ({
        header: `${headerLines(kpiLabel(c.kpi, plant.names))}\n(${c.unit})`,
        wrapHeader: true,
      })),
      { header: '暂定 Provisional' },
    ],
    out,
  );
}

function factorsSheet(wb: ExcelJS.Workbook, factors: readonly FactorUsed[], plant: Plant) {
  const kinds: Record<string, string> = {
    tce: '折标系数 to tce',
    equal: '折标系数(等价值) to tce, equal value',
    co2: '排放因子 CO2',
  };
  const kind = (k: string) => kinds[k] ?? k;
  addTable(
    wb,
    FACTORS_SHEET,
    [
      { header: '能源 Carrier' },
      { header: '名称 Name' },
      { header: '类型 Kind' },
      { header: '系列 Series' },
      { header: '区域 Region' },
      { header: '数值 Value' },
      { header: '单位 Unit' },
      { header: '来源 Source', maxWidth: 60 },
      { header: '有效期 Valid' },
      { header: '数据年份 Data year' },
      { header: '说明 Note', maxWidth: 60 },
    ],
    factors.map((x) => [
      x.carrier,
      plant.carriers.get(x.carrier)?.name ?? x.carrier,
      kind(x.kind),
      x.series,
      x.region,
      { value: x.value, numFmt: '0.0#####', text: String(x.value) },
      x.unit,
      x.source,
      x.from === null && x.to === null ? '长期 open-ended' : `${x.from ?? '…'} – ${x.to ?? '…'}`,
      x.year ?? '',
      x.note ?? '',
    ]),
  );
}

function scopeSheets(wb: ExcelJS.Workbook, f: FileSlice, plant: Plant, names: ReadonlyMap<string, string>) {
  for (const sheet of SCOPE_SHEETS) {
    const rows = f.month.kpis
      .filter((k) => sheet.kinds.includes(k.scope_type))
      .map((r) => [
        SCOPE_LABELS[r.scope_type],
        r.scope_id,
        scopeName(names, r.scope_type, r.scope_id),
        r.kpi,
        kpiLabel(r.kpi, plant.names),
        num(r.value, r.unit),
        unitShown(r.unit),
        provisional(r.provisional),
      ]);
    addTable(wb, sheet.name, cols(KPI_HEADERS), rows);
  }
}

function targetsSheet(wb: ExcelJS.Workbook, f: FileSlice, plant: Plant, names: ReadonlyMap<string, string>) {
  const unitOf = (t: TargetRow) =>
    (
      f.month.kpis.find(
        (r) => r.kpi === t.kpi && r.scope_type === t.scope_type && r.scope_id === t.scope_id,
      ) ?? f.month.kpis.find((r) => r.kpi === t.kpi)
    )?.unit;
  const bound = (x: number | undefined, unit: string | undefined) =>
    x === undefined ? null : unit === undefined ? x : num(x, unit);
  addTable(
    wb,
    TARGETS_SHEET,
    cols([
      '范围类型 Scope type',
      '范围 Scope',
      '名称 Name',
      '指标 KPI',
      '指标名称 KPI name',
      '目标上限 At most',
      '目标下限 At least',
      '实际 Actual',
      '单位 Unit',
      '余量 Margin',
      '状态 Status',
      '暂定 Provisional',
    ]),
    f.month.targets.map((t) => {
      const unit = unitOf(t);
      return [
        SCOPE_LABELS[t.scope_type],
        t.scope_id,
        scopeName(names, t.scope_type, t.scope_id),
        t.kpi,
        kpiLabel(t.kpi, plant.names),
        bound(t.target_max, unit),
        bound(t.target_min, unit),
        bound(t.actual ?? undefined, unit),
        unit === undefined ? null : unitShown(unit),
        signedPercent(fraction(t.margin_pct)),
        STATUS_LABELS[t.status],
        provisional(t.provisional),
      ];
    }),
  );
}

function qualitySheet(wb: ExcelJS.Workbook, f: FileSlice, plant: Plant) {
  addTable(
    wb,
    QUALITY_SHEET,
    [
      { header: '信号 Signal' },
      { header: '名称 Name' },
      { header: '完整率 Completeness' },
      { header: '实有 Present' },
      { header: '应有 Expected' },
      { header: '说明 Notes', maxWidth: 90 },
    ],
    f.month.quality.map((q) => {
      const computed = plant.signals.get(q.signal)?.kind === 'virtual';
      return [
        q.signal,
        plant.signals.get(q.signal)?.name ?? null,
        num(q.completeness, '1'),
        computed ? null : num(q.present, 'pcs'),
        computed ? null : num(q.expected, 'pcs'),
        q.notes.join('\n'),
      ];
    }),
  );
}

export async function workbook(f: FileSlice, plant: Plant, factors: readonly FactorUsed[]): Promise<Buffer> {
  const names = scopeNames(plant);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'plantkpi';
  wb.created = new Date(f.month.endMs);
  wb.modified = new Date(f.month.endMs);
  summarySheet(wb, f, plant, names);
  scorecardSheets(wb, f, plant, names);
  dailySheet(wb, f, plant, names);
  factorsSheet(wb, factors, plant);
  scopeSheets(wb, f, plant, names);
  targetsSheet(wb, f, plant, names);
  qualitySheet(wb, f, plant);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
