/** Trapezoidal integration of a rate (kW -> kWh, Nm3/h -> Nm3): exact for the piecewise-linear rate. */
import type { Series } from '../store/port.ts';
import type { CumulativeSeries } from './counter.ts';

export interface RateOptions {
  /** length of the rate's time unit: 3_600_000 for per-hour rates */
  timeUnitMs: number;
  /** intervals between readings longer than this are gaps: not integrated, reported */
  maxGapMs?: number;
}

export interface Gap {
  fromMs: number;
  toMs: number;
}

export interface RateIntegral {
  amount: number;
  /** time of [fromMs, toMs) covered by readings (not in a gap, not before the first or after the last) */
  coveredMs: number;
  gaps: Gap[];
}

export function integrateRate(series: Series, fromMs: number, toMs: number, opts: RateOptions): RateIntegral {
  const { times, values } = series;
  const maxGap = opts.maxGapMs ?? Number.POSITIVE_INFINITY;
  let amount = 0;
  let covered = 0;
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    const t0 = times[i - 1]!;
    const t1 = times[i]!;
    if (t1 <= fromMs) continue;
    if (t0 >= toMs) break;
    const a = Math.max(t0, fromMs);
    const b = Math.min(t1, toMs);
    if (t1 - t0 > maxGap) {
      gaps.push({ fromMs: a, toMs: b });
      continue;
    }
    const v0 = values[i - 1]!;
    const slope = (values[i]! - v0) / (t1 - t0);
    const ra = v0 + slope * (a - t0);
    const rb = v0 + slope * (b - t0);
    amount += ((ra + rb) / 2) * (b - a);
    covered += b - a;
  }
  return { amount: amount / opts.timeUnitMs, coveredMs: covered, gaps };
}

/** The integral from the first reading to each reading (gaps contribute nothing). */
export function rateCumulative(series: Series, opts: RateOptions): CumulativeSeries & { gaps: Gap[] } {
  const { times, values } = series;
  const maxGap = opts.maxGapMs ?? Number.POSITIVE_INFINITY;
  const cumulative = new Float64Array(times.length);
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    const dt = times[i]! - times[i - 1]!;
    if (dt > maxGap) {
      gaps.push({ fromMs: times[i - 1]!, toMs: times[i]! });
      cumulative[i] = cumulative[i - 1]!;
    } else cumulative[i] = cumulative[i - 1]! + ((values[i - 1]! + values[i]!) / 2) * (dt / opts.timeUnitMs);
  }
  return { times, cumulative, gaps };
}
