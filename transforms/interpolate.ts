/** Values of a series at arbitrary instants: exact where a reading is, linear between neighbours otherwise. */

export interface ValueAt {
  value: number;
  /** true when no reading is exactly at t and the value was interpolated between neighbours */
  interpolated: boolean;
}

/** Index of the first time >= t (times.length when none). */
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

/** null when t is before the first or after the last time. */
export function valueAt(times: Float64Array, values: Float64Array, tMs: number): ValueAt | null {
  const n = times.length;
  if (n === 0 || tMs < times[0]! || tMs > times[n - 1]!) return null;
  const i = lowerBound(times, tMs);
  if (times[i] === tMs) return { value: values[i]!, interpolated: false };
  const t0 = times[i - 1]!;
  const t1 = times[i]!;
  const v0 = values[i - 1]!;
  const v1 = values[i]!;
  return { value: v0 + ((v1 - v0) * (tMs - t0)) / (t1 - t0), interpolated: true };
}

/** valueAt for many instants (ascending), in one pass. */
export function valuesAt(
  times: Float64Array,
  values: Float64Array,
  tsMs: readonly number[],
): (ValueAt | null)[] {
  const out: (ValueAt | null)[] = [];
  const n = times.length;
  let i = 0;
  for (const t of tsMs) {
    if (n === 0 || t < times[0]! || t > times[n - 1]!) {
      out.push(null);
      continue;
    }
    while (i < n && times[i]! < t) i++;
    if (times[i] === t) out.push({ value: values[i]!, interpolated: false });
    else {
      const t0 = times[i - 1]!;
      const t1 = times[i]!;
      const v0 = values[i - 1]!;
      out.push({ value: v0 + ((values[i]! - v0) * (t - t0)) / (t1 - t0), interpolated: true });
    }
  }
  return out;
}
