/** Merging new readings into a sorted series with last-write-wins (pure). */
import type { Series } from '../port.ts';

/**
 * New readings (any order, times may repeat) as a series with ascending unique times; of readings with equal
 * times the one given last wins. Input already ascending and unique (the usual case) is returned as it is.
 */
export function sortUnique(times: Float64Array, values: Float64Array): Series {
  const n = times.length;
  let increasing = true;
  for (let i = 1; i < n && increasing; i++) increasing = times[i - 1]! < times[i]!;
  if (increasing) return { times, values };
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = times[i - 1]! <= times[i]!;
  let order: number[] | null = null;
  if (!sorted) {
    order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => times[a]! - times[b]!); // stable: equal times keep the order they were given in
  }
  const outT = new Float64Array(n);
  const outV = new Float64Array(n);
  let k = 0;
  for (let j = 0; j < n; j++) {
    const i = order === null ? j : order[j]!;
    const t = times[i]!;
    if (k > 0 && outT[k - 1] === t) outV[k - 1] = values[i]!;
    else {
      outT[k] = t;
      outV[k++] = values[i]!;
    }
  }
  return { times: outT.subarray(0, k), values: outV.subarray(0, k) };
}

/** Both series merged by time; where a time is in both, the value of `newer` wins. Inputs sorted and unique. */
export function mergeSorted(older: Series, newer: Series): Series {
  const a = older.times;
  const b = newer.times;
  if (a.length === 0) return newer;
  if (b.length === 0) return older;
  const outT = new Float64Array(a.length + b.length);
  const outV = new Float64Array(outT.length);
  if (b[0]! > a[a.length - 1]!) {
    // appending after the last reading: the usual write of a collector
    outT.set(a);
    outT.set(b, a.length);
    outV.set(older.values);
    outV.set(newer.values, a.length);
    return { times: outT, values: outV };
  }
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const ta = a[i]!;
    const tb = b[j]!;
    if (tb <= ta) {
      outT[k] = tb;
      outV[k++] = newer.values[j++]!;
      if (tb === ta) i++; // overwritten
    } else {
      outT[k] = ta;
      outV[k++] = older.values[i++]!;
    }
  }
  for (; i < a.length; i++) {
    outT[k] = a[i]!;
    outV[k++] = older.values[i]!;
  }
  for (; j < b.length; j++) {
    outT[k] = b[j]!;
    outV[k++] = newer.values[j]!;
  }
  return { times: outT.subarray(0, k), values: outV.subarray(0, k) };
}
