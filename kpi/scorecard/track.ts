/**
 * Pure: target tracking (指标跟踪) — each target that applies to a period, with its year-to-date actual (累计), its
 * progress against the target pro-rated to the time elapsed, and the same KPI a year (同比) and a period (环比)
 * earlier. The values come from engine runs (track-run.ts gathers them); here is only the arithmetic.
 *
 * Definitions (f = the elapsed share of the target's period at the end of the scorecard's period, 0..1; a target of
 * the period itself has f = 1; the bound is `max` when the target has one, else `min`):
 * - to-date actual: the KPI from the target period's start to the scorecard period's end, computed by the engine over
 *   that range (a ratio from the range's summed numerator and denominator, never a mean of months);
 * - pro-rated target: an extensive KPI (tce, tCO2, kWh, t) bound × f; a ratio (an intensity, OEE) the bound itself;
 * - progress_pct: to-date actual / pro-rated target × 100 (100 = exactly on the target's line; for an "at most"
 *   target below 100 is inside it, for an "at least" one above 100 is);
 * - status: `met` / `missed` once the target's period is complete, `on_track` / `off_track` before (inside or outside
 *   the pro-rated target); margin_pct is marginPct against the pro-rated target;
 * - yoy_pct = (actual − prev_year) / |prev_year| × 100, mom_pct the same against prev_period (the period of the same
 *   kind just before); null when either value is missing or the earlier one is 0.
 */
import { type Period, parsePeriod, periodHolding } from '../../transforms/periods.ts';
import type { Target } from '../plant.ts';
import { isExtensiveKpi, type ScopeKind } from '../rows.ts';
import { marginPct } from '../targets.ts';

export interface TrackedTarget {
  kpi: string;
  scope_type: ScopeKind;
  scope_id: string;
  /** the scorecard's period */
  period: string;
  /** the period the target is set for: the scorecard's own, or the quarter or year holding it */
  target_period: string;
  target_max?: number;
  target_min?: number;
  /** the KPI's unit, when any run computed it */
  unit: string | null;
  /** the KPI in the scorecard's period */
  actual: number | null;
  /** the KPI from the start of the year to the end of the scorecard's period (累计) */
  ytd_actual: number | null;
  /** the KPI from the start of the target's period to the end of the scorecard's period */
  to_date_actual: number | null;
  /** the elapsed share of the target's period, in % */
  elapsed_pct: number;
  /** to_date_actual against the pro-rated target, in % (see the file's head) */
  progress_pct: number | null;
  status: 'met' | 'missed' | 'on_track' | 'off_track' | 'no_data';
  /** margin to the pro-rated target, in % (positive inside it) */
  margin_pct: number | null;
  /** the KPI in the same period a year earlier (同比) */
  prev_year: number | null;
  yoy_pct: number | null;
  /** the KPI in the period of the same kind just before (环比) */
  prev_period: number | null;
  mom_pct: number | null;
  provisional: boolean;
}

/** A KPI value from a run: null when not computed (no data, no product). */
export interface Reading {
  value: number | null;
  unit?: string;
  provisional?: boolean;
}

export interface TrackInputs {
  actual: Reading;
  ytd: Reading;
  toDate: Reading;
  prevYear: Reading;
  prevPeriod: Reading;
}

/** The period a target is set for, when it holds `period` (its own label, or every period of a kind); else null. */
export function targetPeriodFor(t: Target, period: Period): Period | null {
  let tp: Period;
  if (t.period !== undefined) tp = parsePeriod(t.period, period.timeZone);
  else if (t.every === period.kind) tp = period;
  else if (t.every !== undefined) tp = periodHolding(period.startMs, t.every, period.timeZone);
  else return null;
  return tp.startMs <= period.startMs && period.endMs <= tp.endMs ? tp : null;
}

/** The elapsed share of [startMs, endMs) at asOfMs, clamped to 0..1. */
export function elapsedFraction(startMs: number, endMs: number, asOfMs: number): number {
  return Math.min(1, Math.max(0, (asOfMs - startMs) / (endMs - startMs)));
}

/** to-date / pro-rated target × 100; null without a to-date value or against a zero target. */
export function progressPct(toDate: number | null, bound: number, fraction: number, extensive: boolean) {
  const line = extensive ? bound * fraction : bound;
  return toDate === null || line === 0 ? null : (toDate / line) * 100;
}

/** The change from `before` to `now` in % of |before|; null when either is missing or before is 0. */
export function changePct(now: number | null, before: number | null): number | null {
  return now === null || before === null || before === 0 ? null : ((now - before) / Math.abs(before)) * 100;
}

export function trackRow(t: Target, period: Period, targetPeriod: Period, v: TrackInputs): TrackedTarget {
  const f = elapsedFraction(targetPeriod.startMs, targetPeriod.endMs, period.endMs);
  const extensive = isExtensiveKpi(t.kpi);
  const scale = (b: number | undefined) => (b === undefined ? undefined : extensive ? b * f : b);
  const max = scale(t.max);
  const min = scale(t.min);
  const toDate = v.toDate.value;
  const complete = period.endMs >= targetPeriod.endMs;
  let status: TrackedTarget['status'] = 'no_data';
  if (toDate !== null) {
    const inside = (max === undefined || toDate <= max) && (min === undefined || toDate >= min);
    status = complete ? (inside ? 'met' : 'missed') : inside ? 'on_track' : 'off_track';
  }
  const bound = t.max ?? t.min;
  return {
    kpi: t.kpi,
    scope_type: t.scope.type,
    scope_id: t.scope.id,
    period: period.label,
    target_period: targetPeriod.label,
    ...(t.max === undefined ? {} : { target_max: t.max }),
    ...(t.min === undefined ? {} : { target_min: t.min }),
    unit: v.actual.unit ?? v.toDate.unit ?? v.ytd.unit ?? null,
    actual: v.actual.value,
    ytd_actual: v.ytd.value,
    to_date_actual: toDate,
    elapsed_pct: f * 100,
    progress_pct: bound === undefined ? null : progressPct(toDate, bound, f, extensive),
    status,
    margin_pct: marginPct(toDate, max, min),
    prev_year: v.prevYear.value,
    yoy_pct: changePct(v.actual.value, v.prevYear.value),
    prev_period: v.prevPeriod.value,
    mom_pct: changePct(v.actual.value, v.prevPeriod.value),
    provisional: (v.actual.provisional ?? false) || (v.toDate.provisional ?? false),
  };
}
