/**
 * KPI and target rows as CSV that Excel opens with Chinese headers intact: UTF-8 with a BOM, CRLF. Values are
 * rounded to their unit's precision (kpi/present.ts: roundValue; the table is in kpi/README.md), names stand beside
 * codes, statuses and the provisional mark are zh-CN with English. The bytes depend on the rows alone.
 */
import { FINAL_LABEL, PROVISIONAL_LABEL, roundValue, STATUS_LABELS, scopeName } from '../present.ts';
import { kpiLabel, type LabelNames, type PeriodResult, SCOPE_LABELS } from '../rows.ts';

const BOM = '\uFEFF';

/** One CSV field: quoted when it holds a comma, a quote or a line break. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows as CSV text for Excel: UTF-8 with a BOM, CRLF line ends. */
export function csvText(rows: readonly (readonly unknown[])[]): string {
  return `${BOM}${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

const field = csvField;

export const CSV_HEADER = [
  '记录 record',
  '指标 kpi',
  '指标名称 label',
  '范围类型 scope_type',
  '范围类型名称 scope_type_label',
  '范围 scope_id',
  '范围名称 scope_name',
  '期间 period',
  '数值 value',
  '单位 unit',
  '目标上限 target_max',
  '目标下限 target_min',
  '状态 status',
  '暂定 provisional',
];

/**
 * `names`: carrier and product names (KPI labels); `scopes`: scope names keyed `type|id` (present.ts scopeNames),
 * without which a scope's name column repeats its id.
 */
export function resultsCsv(
  results: readonly PeriodResult[],
  names?: LabelNames,
  scopes: ReadonlyMap<string, string> = new Map(),
): string {
  const lines = [CSV_HEADER.map(field).join(',')];
  const final = (p: boolean) => (p ? PROVISIONAL_LABEL : FINAL_LABEL);
  for (const r of results) {
    const units = new Map(r.kpis.map((k) => [`${k.kpi}|${k.scope_type}|${k.scope_id}`, k.unit]));
    for (const k of r.kpis) {
      const row = [
        'kpi',
        k.kpi,
        kpiLabel(k.kpi, names),
        k.scope_type,
        SCOPE_LABELS[k.scope_type],
        k.scope_id,
        scopeName(scopes, k.scope_type, k.scope_id),
        k.period,
        roundValue(k.value, k.unit),
        k.unit,
        '',
        '',
        '',
        final(k.provisional),
      ];
      lines.push(row.map(field).join(','));
    }
    for (const t of r.targets) {
      const unit = units.get(`${t.kpi}|${t.scope_type}|${t.scope_id}`);
      const round = (x: number | null | undefined) =>
        x === null || x === undefined ? x : unit === undefined ? x : roundValue(x, unit);
      const row = [
        'target',
        t.kpi,
        kpiLabel(t.kpi, names),
        t.scope_type,
        SCOPE_LABELS[t.scope_type],
        t.scope_id,
        scopeName(scopes, t.scope_type, t.scope_id),
        t.period,
        round(t.actual),
        unit ?? '',
        t.target_max,
        t.target_min,
        STATUS_LABELS[t.status],
        final(t.provisional),
      ];
      lines.push(row.map(field).join(','));
    }
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
