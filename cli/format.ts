/** Printing KPI results: an aligned table for people, JSON for programs, CSV (UTF-8 with BOM) for Excel. */
import { resultsCsv } from '../kpi/export/csv.ts';
import { kpiLabel, type LabelNames, type PeriodResult, SCOPE_LABELS } from '../kpi/rows.ts';

export type OutputFormat = 'table' | 'json' | 'csv';

export function formatResults(
  results: readonly PeriodResult[],
  format: OutputFormat,
  names?: LabelNames,
): string {
  if (format === 'json') return `${JSON.stringify(toJson(results), null, 2)}\n`;
  if (format === 'csv') return resultsCsv(results, names);
  return toTable(results, names);
}

export function toJson(results: readonly PeriodResult[]) {
  return {
    kpis: results.flatMap((r) => r.kpis),
    targets: results.flatMap((r) => r.targets),
    quality: results.map((r) => ({ period: r.period, signals: r.quality })),
  };
}

function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000) return x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (a >= 1) return x.toFixed(3);
  return x.toPrecision(4);
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}

function pad(s: string, n: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, n - width(s)));
  return right ? fill + s : s + fill;
}

function table(head: string[], rows: string[][], rightCols: Set<number>): string {
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, rightCols.has(i))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function toTable(results: readonly PeriodResult[], names?: LabelNames): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`期间 Period ${r.period} (${r.timeZone})`);
    const rows = r.kpis.map((k) => [
      SCOPE_LABELS[k.scope_type].split(' ')[0]!,
      k.scope_id,
      k.kpi,
      shortLabel(kpiLabel(k.kpi, names)),
      fmt(k.value),
      k.unit,
      k.provisional ? '暂定 provisional' : '',
    ]);
    out.push(table(['范围 scope', 'id', 'kpi', '指标', '数值 value', '单位 unit', ''], rows, new Set([4])));
    if (r.targets.length > 0) {
      out.push('', '目标 Targets');
      const trs = r.targets.map((t) => [
        t.scope_id,
        t.kpi,
        t.target_max !== undefined ? `<= ${t.target_max}` : `>= ${t.target_min}`,
        t.actual === null ? '-' : fmt(t.actual),
        t.status === 'met' ? '达标 met' : t.status === 'missed' ? '未达标 missed' : '无数据 no data',
      ]);
      out.push(table(['范围 scope', 'kpi', '目标 target', '实际 actual', '状态 status'], trs, new Set([3])));
    }
    const weak = r.quality.filter((q) => q.completeness < 1 || q.notes.length > 0);
    if (weak.length > 0) {
      out.push('', '数据质量 Data quality');
      for (const q of weak) {
        out.push(
          `  ${q.signal}: ${(q.completeness * 100).toFixed(1)} % complete (${q.present}/${q.expected})`,
        );
        for (const n of q.notes) out.push(`    - ${n}`);
      }
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** The zh-CN part of a label: "能耗 Energy: 电力 Electricity" -> "能耗 电力"; "综合能耗 Comprehensive energy" -> "综合能耗". */
function shortLabel(label: string): string {
  return label
    .split(/[: ]+/)
    .filter((w) => /[\u4e00-\u9fff]/.test(w))
    .join(' ');
}
