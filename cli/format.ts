/**
 * Printing KPI results: a table for people (names beside codes, each unit's precision, zh-CN with English: the
 * conventions of kpi/present.ts), JSON for programs, CSV (UTF-8 with BOM) for Excel.
 */
import { resultsCsv } from '../kpi/export/csv.ts';
import { formatValue, PROVISIONAL_LABEL, STATUS_LABELS, scopeName, textTable } from '../kpi/present.ts';
import { kpiLabel, type LabelNames, type PeriodResult, SCOPE_LABELS, type ScopeKind } from '../kpi/rows.ts';

export type OutputFormat = 'table' | 'json' | 'csv';

/** The names a table shows beside the codes; a code without a name is shown alone. */
export interface Names {
  /** carriers and products, for KPI labels (kpi/rows.ts labelNames) */
  labels?: LabelNames;
  /** scopes and equipment, keyed `type|id` (kpi/present.ts scopeNames) */
  scopes?: ReadonlyMap<string, string>;
  /** signals: id -> name */
  signals?: ReadonlyMap<string, string>;
}

export function formatResults(
  results: readonly PeriodResult[],
  format: OutputFormat,
  names: Names = {},
): string {
  if (format === 'json') return `${JSON.stringify(toJson(results), null, 2)}\n`;
  if (format === 'csv') return resultsCsv(results, names.labels, names.scopes);
  return toTable(results, names);
}

export function toJson(results: readonly PeriodResult[]) {
  return {
    kpis: results.flatMap((r) => r.kpis),
    targets: results.flatMap((r) => r.targets),
    quality: results.map((r) => ({ period: r.period, signals: r.quality })),
  };
}

/** Rows aligned in columns: kpi/present.ts textTable. */
export const table = textTable;

/** "党支部 B-ELY 电解党支部 Electrolysis branch": the kind (zh-CN), the code, the name when there is one. */
export function scopeTitle(type: ScopeKind, id: string, names: Names): string {
  const name = names.scopes ? scopeName(names.scopes, type, id) : id;
  return [SCOPE_LABELS[type].split(' ')[0]!, id, name === id ? '' : name].filter((s) => s !== '').join(' ');
}

function toTable(results: readonly PeriodResult[], names: Names): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`期间 Period ${r.period} (${r.timeZone})`, '');
    // a heading row per scope, its KPIs under it: names beside codes without a table too wide to read
    const rows: string[][] = [];
    let last = '';
    for (const k of r.kpis) {
      const key = `${k.scope_type}|${k.scope_id}`;
      if (key !== last) rows.push([scopeTitle(k.scope_type, k.scope_id, names)]);
      last = key;
      rows.push([
        `  ${kpiLabel(k.kpi, names.labels)}`,
        k.kpi,
        formatValue(k.value, k.unit),
        // a ratio reads as a percentage in its value ("86.2 %")
        k.unit === '1' ? '' : k.unit,
        k.provisional ? PROVISIONAL_LABEL : '',
      ]);
    }
    out.push(table(['指标 KPI', '代码 code', '数值 value', '单位 unit', ''], rows, new Set([2])));
    if (r.targets.length > 0) out.push('', '目标 Targets', targetTable(r, names));
    const weak = r.quality.filter((q) => q.completeness < 1 || q.notes.length > 0);
    if (weak.length > 0) {
      out.push('', '数据质量 Data quality');
      for (const q of weak) {
        const name = names.signals?.get(q.signal);
        const complete = `完整率 complete ${formatValue(q.completeness, '1')} (${q.present}/${q.expected})`;
        out.push(`  ${q.signal}${name ? ` ${name}` : ''}: ${complete}`);
        for (const n of q.notes) out.push(`    - ${n}`);
      }
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** Each target with its scope's name, the KPI's label, target and actual in the KPI's unit, the status. */
function targetTable(r: PeriodResult, names: Names): string {
  // a target row carries no unit: its KPI's rows do (any scope: a KPI has one unit)
  const units = new Map(r.kpis.map((k) => [k.kpi, k.unit]));
  const rows = r.targets.map((t) => {
    const unit = units.get(t.kpi);
    const show = (x: number | null | undefined) =>
      unit === undefined ? (x ?? '-').toString() : formatValue(x, unit);
    const goal = t.target_max !== undefined ? `<= ${show(t.target_max)}` : `>= ${show(t.target_min)}`;
    return [
      scopeTitle(t.scope_type, t.scope_id, names),
      kpiLabel(t.kpi, names.labels),
      goal,
      show(t.actual),
      unit === undefined || unit === '1' ? '' : unit,
      STATUS_LABELS[t.status],
      t.provisional && t.status !== 'no_data' ? PROVISIONAL_LABEL : '',
    ];
  });
  return table(
    ['范围 scope', '指标 KPI', '目标 target', '实际 actual', '单位 unit', '状态 status', ''],
    rows,
    new Set([2, 3]),
  );
}
