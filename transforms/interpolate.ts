/** Values of a series at arbitrary instants: exact where a reading is, linear between neighbours otherwise. */

export interface ValueAt {
  value: number;
  /** true when no reading is exactly at t and the value was interpolated linearly between neighbours */
  interpolated: boolean;
}

/** Index of the first time >= t in ascending times (times.length when none). */
export function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The value at tMs; null when tMs is before the first or after the last time (or not a number). */
export function valueAt(times: Float64Array, values: Float64Array, tMs: number): ValueAt | null {
  if (!covers(times, tMs)) return null;
  return at(times, values, lowerBound(times, tMs), tMs);
}

/**
 * valueAt for many instants. With tsMs ascending this is one linear pass over times; an instant earlier than the
 * one before it is found by binary search instead, so the answer never depends on the order.
 */
export function valuesAt(
  times: Float64Array,
  values: Float64Array,
  tsMs: readonly number[],
): (ValueAt | null)[] {
  const out: (ValueAt | null)[] = [];
  const n = times.length;
  let i = 0;
  let before = Number.NEGATIVE_INFINITY;
  for (const t of tsMs) {
    if (!covers(times, t)) {
      out.push(null);
      continue;
    }
    if (t < before) i = lowerBound(times, t);
    before = t;
    while (i < n && times[i]! < t) i++;
    out.push(at(times, values, i, t));
  }
  return out;
}

function covers(times: Float64Array, t: number): boolean {
  return times.length > 0 && t >= times[0]! && t <= times[times.length - 1]!;
}

/** i is the first index with times[i] >= t, and t lies within the times. */
function at(times: Float64Array, values: Float64Array, i: number, t: number): ValueAt {
  const t1 = times[i]!;
  const v1 = values[i]!;
  if (t1 === t) return { value: v1, interpolated: false };
  const t0 = times[i - 1]!;
  const v0 = values[i - 1]!;
  return { value: v0 + ((v1 - v0) * (t - t0)) / (t1 - t0), interpolated: true };
}
