/** KPI and target rows, in the vocabulary of test/fixtures/reference-plant/README.md. */

import { ScopeType, type ScopeTypeName } from '../config/schema.ts';

/** site, committee, general_branch, branch, area, team, equipment (declared once, in the config schema) */
export type ScopeKind = ScopeTypeName;

export interface KpiRow {
  kpi: string;
  scope_type: ScopeKind;
  scope_id: string;
  /** period label: 2026-10, 2026-10-05, 2026-10-05T08 or FROM..TO */
  period: string;
  value: number;
  unit: string;
  /** true when a meter it rests on is below the configured completeness */
  provisional: boolean;
}

export interface TargetRow {
  kpi: string;
  scope_type: ScopeKind;
  scope_id: string;
  period: string;
  target_max?: number;
  target_min?: number;
  /** null when the KPI could not be computed for the scope (no data, or no product) */
  actual: number | null;
  status: 'met' | 'missed' | 'no_data';
  /** (max − actual) / max × 100 for "at most", (actual − min) / min × 100 for "at least"; null without an actual */
  margin_pct: number | null;
  provisional: boolean;
}

export interface SignalQuality {
  signal: string;
  /** present / expected samples in the period, 0..1 */
  completeness: number;
  expected: number;
  present: number;
  /** things the calculation had to do or assume, said plainly */
  notes: string[];
}

export interface PeriodResult {
  period: string;
  startMs: number;
  endMs: number;
  timeZone: string;
  kpis: KpiRow[];
  targets: TargetRow[];
  quality: SignalQuality[];
}

/** rows sort in the schema's order of scope kinds: site first, equipment last */
const SCOPE_ORDER: readonly ScopeKind[] = ScopeType.options;

function kpiRank(kpi: string): string {
  // a balance's rows in reading order (main, submetered, unmetered, loss rate, alarm), then the pollutants'
  const b = /^balance\.(.+)\.([a-z_]+)$/.exec(kpi);
  if (b && b[2]! in BALANCE_MEASURE_LABELS)
    return `7|${b[1]}|${Object.keys(BALANCE_MEASURE_LABELS).indexOf(b[2]!)}`;
  const e = /^emissions\.(so2|nox|particulate)\.([a-z_]+)$/.exec(kpi);
  if (e && e[2]! in POLLUTANT_MEASURES)
    return `8|${Object.keys(POLLUTANT_LABELS).indexOf(e[1]!)}|${Object.keys(POLLUTANT_MEASURES).indexOf(e[2]!)}`;
  const h = RECOVERY_ORDER.indexOf(kpi);
  if (h >= 0) return `6|heat|${h}`;
  const order = [
    'energy.',
    'energy.total',
    'emissions.co2',
    'output.',
    'intensity.',
    'energy.specific',
    'oee',
  ];
  const i = order.findIndex((p) => kpi === p || kpi.startsWith(p));
  // energy.total (and its equal value) sorts after the carriers, the specific energy after intensities
  const total = kpi === 'energy.total' || kpi === 'energy.total.equal_value';
  const rank = total ? 1 : kpi === 'energy.specific' ? 5 : i < 0 ? 9 : i;
  return `${rank}|${kpi}`;
}

/** a recovery's rows in reading order, after the intensities (kpi/recovery.ts) */
const RECOVERY_ORDER = [
  'heat.recovered',
  'heat.recovery_rate',
  'heat.displaced_fuel',
  'emissions.co2.avoided',
];

/** A total, stable order: scope kind, scope id, period, KPI. */
export function compareRows(a: Omit<KpiRow, 'value' | 'unit'>, b: Omit<KpiRow, 'value' | 'unit'>): number {
  return (
    SCOPE_ORDER.indexOf(a.scope_type) - SCOPE_ORDER.indexOf(b.scope_type) ||
    cmp(a.scope_id, b.scope_id) ||
    cmp(a.period, b.period) ||
    cmp(kpiRank(a.kpi), kpiRank(b.kpi))
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Labels for boards and exports: zh-CN with English beside. */
export const SCOPE_LABELS: Record<ScopeKind, string> = {
  site: '厂区 Site',
  committee: '党委 Party committee',
  general_branch: '党总支 General branch',
  branch: '党支部 Party branch',
  area: '党员责任区 Responsibility area',
  team: '党员突击队 Assault team',
  equipment: '设备 Equipment',
};

/** Carrier and product names from the plant config, for labels: id -> "电力 Electricity". */
export type LabelNames = ReadonlyMap<string, string>;

export function labelNames(config: {
  carriers: readonly { id: string; name?: string | undefined }[];
  products: readonly { id: string; name?: string | undefined }[];
  balances?: readonly { id: string; name?: string | undefined }[];
  recovery?: readonly { basis: { type: 'supplied' | 'available' } }[];
}): LabelNames {
  const balances = (config.balances ?? []).map((b) => ({ id: `balance.${b.id}`, name: b.name }));
  const basis = config.recovery?.[0]?.basis.type;
  // the recovery rate's label says what it is a share of (one basis per site, validate-recovery.ts)
  const rate = basis === undefined ? [] : [{ id: 'heat.recovery_rate', name: RECOVERY_BASIS_LABELS[basis] }];
  return new Map(
    [...config.carriers, ...config.products, ...balances, ...rate].flatMap((x) =>
      x.name ? [[x.id, x.name] as const] : [],
    ),
  );
}

const RECOVERY_BASIS_LABELS = {
  supplied: '占总供热 of the total heat supplied',
  available: '占可回收余热 of the waste heat available',
} as const;

/**
 * An extensive KPI is an amount that adds up over scopes and periods (energy in its carrier's unit or tce, CO2 in
 * tCO2, output, hours lost); every other KPI (intensity.*, energy.specific, oee and its factors) is a ratio, which
 * is computed from summed parts and never added.
 */
export function isExtensiveKpi(kpi: string): boolean {
  if (kpi === 'energy.specific') return false;
  // savings and the adjusted baseline are amounts; cumulative savings are running totals (not added over periods)
  if (['savings.energy', 'savings.tce', 'savings.co2', 'baseline.adjusted'].includes(kpi)) return true;
  // a pollutant's mass per product, a balance's loss rate and its alarm flag are ratios and marks, not amounts
  if (['.intensity', '.loss_pct', '.alarm', '.recovery_rate'].some((s) => kpi.endsWith(s))) return false;
  return ['energy.', 'emissions.', 'output.', 'oee.loss.', 'balance.', 'heat.'].some((p) =>
    kpi.startsWith(p),
  );
}

const POLLUTANT_LABELS: Record<string, string> = {
  so2: '二氧化硫 SO2',
  nox: '氮氧化物 NOx',
  particulate: '颗粒物 particulate',
};
const POLLUTANT_MEASURES: Record<string, string> = {
  mass: '排放量 mass',
  intensity: '单位产品排放量 intensity',
  exceedance_hours: '超标小时 exceedance hours',
};
const BALANCE_MEASURE_LABELS: Record<string, string> = {
  main: '总表 main meter',
  submetered: '分表合计 submetered',
  unmetered: '未计量差额 unmetered',
  loss_pct: '损耗率 loss rate',
  alarm: '损耗告警 loss alarm',
};

/** emissions.<pollutant>.<measure> and balance.<id>.<measure> (the id may hold dots: the measure is the last part) */
function meteringLabel(kpi: string, names?: LabelNames): string | undefined {
  const m = /^emissions\.(so2|nox|particulate)\.(mass|intensity|exceedance_hours)$/.exec(kpi);
  if (m) return `${POLLUTANT_LABELS[m[1]!]} ${POLLUTANT_MEASURES[m[2]!]}`;
  const b = /^balance\.(.+)\.(main|submetered|unmetered|loss_pct|alarm)$/.exec(kpi);
  if (b) return `计量平衡 Balance ${names?.get(`balance.${b[1]}`) ?? b[1]}: ${BALANCE_MEASURE_LABELS[b[2]!]}`;
  return undefined;
}

export function kpiLabel(kpi: string, names?: LabelNames): string {
  const fixed: Record<string, string> = {
    'energy.total': '综合能耗 Comprehensive energy',
    'energy.total.equal_value': '综合能耗(等价值) Comprehensive energy, equal value',
    'emissions.co2': '二氧化碳排放 CO2 emissions',
    'emissions.co2.process': '工业生产过程排放 CO2 process emissions',
    'emissions.co2.scope1': '直接排放(范围一) CO2 scope 1',
    'emissions.co2.scope2': '间接排放(范围二) CO2 scope 2',
    'emissions.co2.scope3': '其他间接排放(范围三) CO2 scope 3',
    'intensity.energy': '单位产品综合能耗 Energy intensity',
    'intensity.carbon': '单位产品碳排放 Carbon intensity',
    'energy.specific': '单位产品电耗 Specific energy',
    oee: '设备综合效率 OEE',
    'oee.availability': '时间开动率 Availability',
    'oee.performance': '性能开动率 Performance',
    'oee.quality': '合格品率 Quality',
    'oee.loss.availability': '停机损失 Availability loss',
    'oee.loss.performance': '速度损失 Performance loss',
    'oee.loss.quality': '质量损失 Quality loss',
    'baseline.adjusted': '校正基准能耗 Adjusted baseline energy',
    'baseline.r2': '基准模型决定系数 Baseline R²',
    'baseline.cvrmse_pct': '基准模型 CV(RMSE) Baseline CV(RMSE)',
    'baseline.nmbe_pct': '基准模型 NMBE Baseline NMBE',
    'baseline.pass': '基准模型合格 (ASHRAE G14) Baseline within ASHRAE G14',
    'savings.energy': '节能量 Energy savings',
    'savings.tce': '节能量(标煤) Savings, tce',
    'savings.co2': '减排量 CO2 avoided',
    'savings.pct': '节能率 Savings rate',
    'savings.cumulative.energy': '累计节能量 Cumulative energy savings',
    'savings.cumulative.tce': '累计节能量(标煤) Cumulative savings, tce',
    'savings.cumulative.co2': '累计减排量 Cumulative CO2 avoided',
    'heat.recovered': '余热回收量 Recovered heat',
    'heat.displaced_fuel': '余热替代燃料 Fuel displaced by recovered heat',
    'emissions.co2.avoided': '余热回收减排量 CO2 avoided by recovered heat',
  };
  if (fixed[kpi]) return fixed[kpi];
  if (kpi === 'heat.recovery_rate') {
    const basis = names?.get(kpi);
    return `余热回收率 Heat recovery rate${basis === undefined ? '' : ` (${basis})`}`;
  }
  const metering = meteringLabel(kpi, names);
  if (metering !== undefined) return metering;
  if (kpi.startsWith('energy.')) return `能耗 Energy: ${names?.get(kpi.slice(7)) ?? kpi.slice(7)}`;
  if (kpi.startsWith('output.')) return `产量 Output: ${names?.get(kpi.slice(7)) ?? kpi.slice(7)}`;
  return kpi;
}
