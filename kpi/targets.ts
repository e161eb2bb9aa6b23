/** Pure: target rows (met / missed) from the KPI rows of a period. */
import type { Period } from '../transforms/periods.ts';
import type { Target } from './plant.ts';
import type { KpiRow, TargetRow } from './rows.ts';

/** A target applies to the period it names, or to every period of its kind. */
export function targetApplies(t: Target, period: Period): boolean {
  return t.period !== undefined ? t.period === period.label : t.every === period.kind;
}

export function targetRows(targets: readonly Target[], period: Period, kpis: readonly KpiRow[]): TargetRow[] {
  const out: TargetRow[] = [];
  for (const t of targets) {
    if (!targetApplies(t, period)) continue;
    const row = kpis.find(
      (r) => r.kpi === t.kpi && r.scope_type === t.scope.type && r.scope_id === t.scope.id,
    );
    const actual = row?.value ?? null;
    let status: TargetRow['status'] = 'no_data';
    if (actual !== null) {
      const okMax = t.max === undefined || actual <= t.max;
      const okMin = t.min === undefined || actual >= t.min;
      status = okMax && okMin ? 'met' : 'missed';
    }
    out.push({
      kpi: t.kpi,
      scope_type: t.scope.type,
      scope_id: t.scope.id,
      period: period.label,
      ...(t.max === undefined ? {} : { target_max: t.max }),
      ...(t.min === undefined ? {} : { target_min: t.min }),
      actual,
      status,
      margin_pct: marginPct(actual, t.max, t.min),
      provisional: row?.provisional ?? false,
    });
  }
  return out;
}

/**
 * How far the actual is inside its target, in percent of the target: (max − actual) / max × 100 for an "at most"
 * target, (actual − min) / min × 100 for an "at least" one; positive when met, comparable across products. With both
 * bounds, the smaller of the two. Null without an actual, or when a bound is 0 (no percentage of nothing).
 */
export function marginPct(actual: number | null, max?: number, min?: number): number | null {
  if (actual === null) return null;
  const parts: number[] = [];
  if (max !== undefined) {
    if (max === 0) return null;
    parts.push(((max - actual) / Math.abs(max)) * 100);
  }
  if (min !== undefined) {
    if (min === 0) return null;
    parts.push(((actual - min) / Math.abs(min)) * 100);
  }
  return parts.length === 0 ? null : Math.min(...parts);
}
