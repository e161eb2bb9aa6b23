/**
 * Pure: the value of a baseline's driver, and of its energy, in one period: a KPI row of the scope (output, energy),
 * the mean of a gauge's readings, or degree-days from a temperature gauge. Undefined when the period cannot say
 * (no row, no reading), with the reason for the notes.
 */
import type { Series } from '../../store/port.ts';
import type { Period } from '../../transforms/periods.ts';
import type { KpiRow, PeriodResult } from '../rows.ts';
import type { Driver } from './compile.ts';

export type Value = { value: number; provisional: boolean } | { value: undefined; why: string };

/** The scope's row of a KPI in a run; a run without a single reading says nothing (its zeros are no quiet month). */
export function rowValue(r: PeriodResult, scope: { type: string; id: string }, kpi: string): Value {
  if (r.quality.every((q) => q.present === 0)) return { value: undefined, why: 'no readings' };
  const row: KpiRow | undefined = r.kpis.find(
    (k) => k.kpi === kpi && k.scope_type === scope.type && k.scope_id === scope.id,
  );
  if (row === undefined) return { value: undefined, why: `no ${kpi} row for ${scope.type} ${scope.id}` };
  return { value: row.value, provisional: row.provisional };
}

/** Readings at or after startMs and before endMs. */
function inside(s: Series, startMs: number, endMs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.times.length; i++) {
    const t = s.times[i]!;
    if (t >= startMs && t < endMs) out.push(s.values[i]!);
  }
  return out;
}

/** The mean of a gauge's readings in [startMs, endMs) (samples are taken at a steady interval). */
export function gaugeMean(s: Series, startMs: number, endMs: number): number | undefined {
  const v = inside(s, startMs, endMs);
  return v.length === 0 ? undefined : v.reduce((a, b) => a + b, 0) / v.length;
}

/**
 * Degree-days over whole days: heating Σ max(0, base − day mean), cooling Σ max(0, day mean − base). Undefined when a
 * day has no reading (a missing day would count as 0 and bias the model).
 */
export function degreeDays(
  s: Series,
  days: readonly Pick<Period, 'startMs' | 'endMs'>[],
  baseC: number,
  kind: 'heating' | 'cooling',
): number | undefined {
  let sum = 0;
  for (const d of days) {
    const mean = gaugeMean(s, d.startMs, d.endMs);
    if (mean === undefined) return undefined;
    sum += Math.max(0, kind === 'heating' ? baseC - mean : mean - baseC);
  }
  return sum;
}

/** A driver's value in a period; `series` holds the gauge's readings of (at least) that period. */
export function driverValue(
  d: Driver,
  r: PeriodResult,
  scope: { type: string; id: string },
  series: Series | undefined,
  days: readonly Period[],
): Value {
  if (d.type === 'kpi') return rowValue(r, scope, d.kpi);
  if (series === undefined) return { value: undefined, why: `no readings of ${d.signal}` };
  const v =
    d.type === 'gauge_mean'
      ? gaugeMean(series, r.startMs, r.endMs)
      : degreeDays(series, days, d.baseC, d.kind);
  return v === undefined
    ? {
        value: undefined,
        why: `${d.signal} has no reading ${d.type === 'gauge_mean' ? 'in the period' : 'on a day of the period'}`,
      }
    : { value: v, provisional: false };
}
