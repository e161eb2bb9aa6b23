/** Savings for people: per baseline, its model and fit against ASHRAE Guideline 14, then its rows (zh-CN with English). */
import type { Plant } from '../plant.ts';
import { formatValue, PROVISIONAL_LABEL, scopeName, scopeNames, textTable } from '../present.ts';
import { kpiLabel, SCOPE_LABELS } from '../rows.ts';
import type { SavingsResult } from './stage.ts';

const num = (x: number) => x.toLocaleString('en-US', { maximumSignificantDigits: 6 });

export function savingsTable(r: SavingsResult, plant: Plant): string {
  const names = scopeNames(plant);
  const out: string[] = [`期间 Period ${r.period}`];
  if (r.baselines.length === 0) out.push('', '未配置基准 no baselines in the config (baselines:)');
  for (const b of r.baselines) {
    const kind = SCOPE_LABELS[b.scope.type as keyof typeof SCOPE_LABELS] ?? b.scope.type;
    const model =
      b.model === 'ratio'
        ? `${num(b.slopes[0]!)} ${b.unit}/${b.drivers[0]}`
        : [num(b.intercept), ...b.slopes.map((s, i) => `${num(s)}·${b.drivers[i]}`)].join(' + ');
    out.push(
      '',
      `${kind} ${scopeName(names, b.scope.type as never, b.scope.id)} (${b.scope.id}) — 基准 baseline ${b.id}`,
      `  ${b.energy} = ${model}  [${b.model === 'ratio' ? '比值 ratio' : '回归 regression'}, ${b.baselinePeriod}, n = ${b.stats.n} ${b.granularity}s]`,
      `  R² ${b.stats.r2.toFixed(4)}, CV(RMSE) ${b.stats.cvrmsePct.toFixed(1)} %, NMBE ${b.stats.nmbePct.toFixed(1)} % — ` +
        (b.pass
          ? `符合 within ASHRAE Guideline 14 (≤ ${b.limits.cvrmsePct} %, ±${b.limits.nmbePct} %)`
          : `不符合 outside ASHRAE Guideline 14 (≤ ${b.limits.cvrmsePct} %, ±${b.limits.nmbePct} %): savings are indicative only`),
    );
    // the fit's statistics are said above; the adjusted baseline stays beside the savings
    const fit = new Set(['baseline.r2', 'baseline.cvrmse_pct', 'baseline.nmbe_pct', 'baseline.pass']);
    const rows = r.rows.filter(
      (x) => x.scope_type === b.scope.type && x.scope_id === b.scope.id && !fit.has(x.kpi),
    );
    out.push(
      textTable(
        ['指标 KPI', '数值 value', '单位 unit', ''],
        rows.map((x) => [
          kpiLabel(x.kpi, plant.names),
          formatValue(x.value, x.unit),
          x.unit,
          x.provisional ? PROVISIONAL_LABEL : '',
        ]),
        new Set([1]),
      ),
    );
    if (b.cumulativeFrom !== null) out.push(`  累计自 cumulative since ${b.cumulativeFrom}`);
    for (const n of b.notes) out.push(`  注 note: ${n}`);
  }
  return `${out.join('\n')}\n`;
}
