/**
 * CEMS (烟气在线监测) arithmetic, pure: hourly means of gauge signals, the O2 correction and pollutant mass per hour,
 * after HJ 75-2017. An hour's mean is the arithmetic mean of the readings in it; an hour holds enough data when the
 * share of its expected sample slots holding a reading (completeness.ts) reaches `minCoverage`. An hour short of
 * data has no mean (NaN): it adds no mass, is no exceedance, and is counted so the caller can mark its rows.
 */
import type { Series } from '../store/port.ts';
import { completeness } from './completeness.ts';
import { lowerBound } from './interpolate.ts';

const HOUR_MS = 3_600_000;
/** O2 in ambient air, %: the correction C × (21 − ref) / (21 − O2) has no meaning at or above it */
export const AIR_O2_PCT = 21;

/**
 * The mean of each bin [bounds[k], bounds[k+1]) (hours, in practice), or NaN where the bin holds less than
 * `minCoverage` of its expected samples. `bounds` ascending; times ascending, as in a Series.
 */
export function binMeans(
  series: Series,
  bounds: readonly number[],
  sampleIntervalMs: number,
  minCoverage: number,
): Float64Array {
  const out = new Float64Array(Math.max(0, bounds.length - 1));
  for (let k = 0; k + 1 < bounds.length; k++) {
    const from = bounds[k]!;
    const to = bounds[k + 1]!;
    if (to < from) throw new RangeError(`binMeans: bound ${to} is before ${from}`);
    const c = completeness(series.times, from, to, sampleIntervalMs);
    if (c.present === 0 || c.ratio < minCoverage) {
      out[k] = Number.NaN;
      continue;
    }
    let sum = 0;
    let n = 0;
    for (let i = lowerBound(series.times, from); i < series.times.length && series.times[i]! < to; i++) {
      sum += series.values[i]!;
      n++;
    }
    out[k] = sum / n;
  }
  return out;
}

/**
 * The concentration at the reference O2: C × (21 − refO2) / (21 − O2). NaN when O2 is at or above 21 % (or not a
 * number): such an hour cannot be checked against a limit.
 */
export function o2Corrected(concentration: number, o2Pct: number, referenceO2Pct: number): number {
  if (!(o2Pct < AIR_O2_PCT) || !(referenceO2Pct < AIR_O2_PCT)) return Number.NaN;
  return (concentration * (AIR_O2_PCT - referenceO2Pct)) / (AIR_O2_PCT - o2Pct);
}

/** Mass in kg: concentration mg/m3 × flow m3/h × hours / 1e6 (35 mg/m3 × 180,000 m3/h × 1 h = 6.3 kg). */
export function massKg(concentrationMgM3: number, flowM3PerH: number, hours: number): number {
  return (concentrationMgM3 * flowM3PerH * hours) / 1e6;
}

export interface PollutantLimit {
  /** limit in mg/m3 at the reference O2; absent: no limit check */
  limitMgM3?: number;
  /** reference O2, %; absent: the measured concentration is checked */
  referenceO2Pct?: number;
}

export interface PollutantHours {
  /** kg over the hours with a valid concentration and flow */
  massKg: number;
  /** hours (a partial bin counts its length) whose corrected mean is above the limit */
  exceedanceHours: number;
  /** hours without a valid mass (concentration or flow short of data) */
  missingMassHours: number;
  /** hours that could not be checked against the limit (concentration or O2 short of data, O2 ≥ 21 %) */
  uncheckedHours: number;
}

/**
 * One pollutant over the bins: `conc`, `flow` and `o2` are bin means (binMeans; `o2` may be absent when there is
 * no reference O2). Mass per bin = conc × flow × bin hours / 1e6.
 */
export function pollutantHours(
  bounds: readonly number[],
  conc: Float64Array,
  flow: Float64Array,
  o2: Float64Array | undefined,
  limit: PollutantLimit,
): PollutantHours {
  const out: PollutantHours = { massKg: 0, exceedanceHours: 0, missingMassHours: 0, uncheckedHours: 0 };
  for (let k = 0; k + 1 < bounds.length; k++) {
    const hours = (bounds[k + 1]! - bounds[k]!) / HOUR_MS;
    const c = conc[k]!;
    const q = flow[k]!;
    if (Number.isNaN(c) || Number.isNaN(q)) out.missingMassHours += hours;
    else out.massKg += massKg(c, q, hours);
    if (limit.limitMgM3 === undefined) continue;
    const checked =
      limit.referenceO2Pct === undefined ? c : o2Corrected(c, o2?.[k] ?? Number.NaN, limit.referenceO2Pct);
    if (Number.isNaN(checked)) out.uncheckedHours += hours;
    else if (checked > limit.limitMgM3) out.exceedanceHours += hours;
  }
  return out;
}
