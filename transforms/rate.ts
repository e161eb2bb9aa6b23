/**
 * Trapezoidal integration of a rate (kW -> kWh, Nm3/h -> Nm3). The rate is taken as piecewise linear between
 * readings, so the integral over [a, b) plus the one over [b, c) is the one over [a, c).
 */
import type { Series } from '../store/port.ts';
import type { CumulativeSeries } from './counter.ts';
import { lowerBound } from './interpolate.ts';

export interface RateOptions {
  /** length of the rate's time unit: 3_600_000 for per-hour rates */
  timeUnitMs: number;
  /** intervals between readings longer than this are gaps: not integrated, reported (default: no gaps) */
  maxGapMs?: number;
}

export interface Gap {
  fromMs: number;
  toMs: number;
}

export interface RateIntegral {
  /** the integral, in the rate's amount unit (kWh for kW with timeUnitMs 3_600_000) */
  amount: number;
  /** time of [fromMs, toMs) covered by readings: not in a gap, not before the first or after the last reading */
  coveredMs: number;
  /** the parts of [fromMs, toMs) lying in gaps between readings (adjacent gaps merged) */
  gaps: Gap[];
}

/** The integral of the rate over [fromMs, toMs); the rate at fromMs and toMs is interpolated when needed. */
export function integrateRate(series: Series, fromMs: number, toMs: number, opts: RateOptions): RateIntegral {
  checkOptions(opts);
  if (!(toMs >= fromMs)) throw new RangeError(`integrateRate: toMs ${toMs} is before fromMs ${fromMs}`);
  const { times, values } = series;
  const maxGap = opts.maxGapMs ?? Number.POSITIVE_INFINITY;
  let amount = 0;
  let covered = 0;
  const gaps: Gap[] = [];
  for (let i = Math.max(1, lowerBound(times, fromMs)); i < times.length; i++) {
    const t0 = times[i - 1]!;
    const t1 = times[i]!;
    if (t0 >= toMs) break;
    if (t1 <= fromMs) continue;
    const a = Math.max(t0, fromMs);
    const b = Math.min(t1, toMs);
    if (t1 - t0 > maxGap) {
      addGap(gaps, a, b);
      continue;
    }
    const v0 = values[i - 1]!;
    const v1 = values[i]!;
    const slope = (v1 - v0) / (t1 - t0);
    const ra = a === t0 ? v0 : v0 + slope * (a - t0);
    const rb = b === t1 ? v1 : v0 + slope * (b - t0);
    amount += ((ra + rb) / 2) * (b - a);
    covered += b - a;
  }
  return { amount: amount / opts.timeUnitMs, coveredMs: covered, gaps };
}

/** The integral from the first reading to each reading; gaps contribute nothing and are reported. */
export function rateCumulative(series: Series, opts: RateOptions): CumulativeSeries & { gaps: Gap[] } {
  checkOptions(opts);
  const { times, values } = series;
  const maxGap = opts.maxGapMs ?? Number.POSITIVE_INFINITY;
  const cumulative = new Float64Array(times.length);
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    const t0 = times[i - 1]!;
    const t1 = times[i]!;
    if (t1 - t0 > maxGap) {
      addGap(gaps, t0, t1);
      cumulative[i] = cumulative[i - 1]!;
    } else
      cumulative[i] =
        cumulative[i - 1]! + (((values[i - 1]! + values[i]!) / 2) * (t1 - t0)) / opts.timeUnitMs;
  }
  return { times, cumulative, gaps };
}

function addGap(gaps: Gap[], fromMs: number, toMs: number): void {
  const last = gaps[gaps.length - 1];
  if (last !== undefined && last.toMs === fromMs) last.toMs = toMs;
  else gaps.push({ fromMs, toMs });
}

function checkOptions(opts: RateOptions): void {
  if (!(opts.timeUnitMs > 0)) throw new RangeError(`timeUnitMs must be positive, got ${opts.timeUnitMs}`);
  if (opts.maxGapMs !== undefined && !(opts.maxGapMs > 0))
    throw new RangeError(`maxGapMs must be positive, got ${opts.maxGapMs}`);
}
