/**
 * Completeness of a signal in a period: the period is cut into expected slots of expectedIntervalMs, and a slot
 * counts as present when it holds at least one reading. Readings more frequent than expected neither push the
 * ratio over 1 nor hide an empty slot elsewhere. A short remainder at the end belongs to the last slot.
 */
import { lowerBound } from './interpolate.ts';

export interface Completeness {
  /** number of expected slots: floor((toMs - fromMs) / expectedIntervalMs), at least 1 for a non-empty range */
  expected: number;
  /** number of those slots that hold at least one reading in [fromMs, toMs) */
  present: number;
  /** present / expected, capped at 1; 1 when nothing is expected */
  ratio: number;
}

/** times ascending, as in a Series. */
export function completeness(
  times: Float64Array,
  fromMs: number,
  toMs: number,
  expectedIntervalMs: number,
): Completeness {
  if (!(expectedIntervalMs > 0))
    throw new RangeError(`expectedIntervalMs must be positive, got ${expectedIntervalMs}`);
  if (!(toMs >= fromMs)) throw new RangeError(`completeness: toMs ${toMs} is before fromMs ${fromMs}`);
  if (toMs === fromMs) return { expected: 0, present: 0, ratio: 1 };
  const expected = Math.max(1, Math.floor((toMs - fromMs) / expectedIntervalMs));
  let present = 0;
  let lastSlot = -1;
  for (let i = lowerBound(times, fromMs); i < times.length; i++) {
    const t = times[i]!;
    if (t >= toMs) break;
    const slot = Math.min(expected - 1, Math.floor((t - fromMs) / expectedIntervalMs));
    if (slot !== lastSlot) {
      present++;
      lastSlot = slot;
    }
  }
  return { expected, present, ratio: Math.min(1, present / expected) };
}
