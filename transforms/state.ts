/** Time spent in each state of a state signal: each reading holds until the next (at most maxHoldMs). */
import type { Series } from '../store/port.ts';
import { lowerBound } from './interpolate.ts';

export interface StateDurations {
  /** ms per state code */
  byCode: Map<number, number>;
  /** ms with no known state (before the first reading, or beyond maxHoldMs after one) */
  unknownMs: number;
}

/**
 * Durations per state in [fromMs, toMs). The series may include the last reading before fromMs: it sets the state
 * at fromMs (earlier readings are harmless). The byCode values and unknownMs add up to toMs - fromMs.
 */
export function stateDurations(
  series: Series,
  fromMs: number,
  toMs: number,
  opts: {
    /** a reading holds until the next one, but at most this long; default: until the next reading or toMs */
    maxHoldMs?: number;
  } = {},
): StateDurations {
  if (!(toMs >= fromMs)) throw new RangeError(`stateDurations: toMs ${toMs} is before fromMs ${fromMs}`);
  const hold = opts.maxHoldMs ?? Number.POSITIVE_INFINITY;
  if (!(hold >= 0)) throw new RangeError(`maxHoldMs must not be negative, got ${hold}`);
  const { times, values } = series;
  const byCode = new Map<number, number>();
  let known = 0;
  // start from the last reading at or before fromMs
  let i = lowerBound(times, fromMs);
  if (i === times.length || times[i]! > fromMs) i = Math.max(0, i - 1);
  for (; i < times.length; i++) {
    const start = times[i]!;
    if (start >= toMs) break;
    const next = i + 1 < times.length ? times[i + 1]! : Number.POSITIVE_INFINITY;
    const end = Math.min(next, start + hold, toMs);
    const a = Math.max(start, fromMs);
    if (end <= a) continue;
    const code = values[i]!;
    byCode.set(code, (byCode.get(code) ?? 0) + (end - a));
    known += end - a;
  }
  return { byCode, unknownMs: toMs - fromMs - known };
}
