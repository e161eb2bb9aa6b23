/** Checks points and groups them by signal and UTC month, in the order given (pure). */
import type { Reading } from '../port.ts';
import {
  checkSignalName,
  MAX_TIME_MS,
  MIN_TIME_MS,
  type MonthIndex,
  monthEndMs,
  monthOf,
  monthStartMs,
} from './layout.ts';

/** The new readings of one partition, in the order they were given (a later one wins on equal times). */
export interface PartitionGroup {
  signal: string;
  month: MonthIndex;
  times: Float64Array;
  values: Float64Array;
}

function describe(p: Reading, i: number): string {
  const signal = typeof p?.signal === 'string' ? `'${p.signal}'` : String(p?.signal);
  return `point ${i} (signal ${signal}, timeMs ${p?.timeMs}, value ${p?.value})`;
}

/** Throws an Error naming a bad point: empty signal id, or a time or value that is not a finite number. */
function reject(p: Reading, i: number): never {
  if (typeof p?.signal !== 'string' || p.signal === '') throw new Error(`${describe(p, i)}: no signal id`);
  if (typeof p.timeMs !== 'number' || !Number.isFinite(p.timeMs)) {
    throw new Error(`${describe(p, i)}: timeMs must be a finite number of epoch milliseconds`);
  }
  if (p.timeMs < MIN_TIME_MS || p.timeMs >= MAX_TIME_MS) {
    throw new Error(`${describe(p, i)}: timeMs is outside the years 0000-9999`);
  }
  if (typeof p.value !== 'number' || !Number.isFinite(p.value)) {
    throw new Error(`${describe(p, i)}: value must be a finite number`);
  }
  throw new Error(`${describe(p, i)}: not a point`);
}

interface GroupKey {
  signal: string;
  month: MonthIndex;
  first: number;
  last: number;
  size: number;
  /** its points are one run in the input, so its columns are a slice of the batch's */
  contiguous: boolean;
}

/**
 * Groups points by (signal, month) in one pass over the points, copying times and values into two columns in
 * input order. A group whose points are one run in the input (the usual shape of a batch) is a slice of those
 * columns; only the others are gathered. Within a run a point costs a comparison; a change of signal or month
 * looks the group up.
 */
export function groupPoints(points: readonly Reading[]): PartitionGroup[] {
  const n = points.length;
  const allTimes = new Float64Array(n);
  const allValues = new Float64Array(n);
  const groupOf = new Int32Array(n);
  const index = new Map<string, number>();
  const keys: GroupKey[] = [];
  const checkedNames = new Set<string>();
  let cur: GroupKey | undefined;
  let curIndex = -1;
  let curStartMs = 0;
  let curEndMs = 0;
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    if (typeof p !== 'object' || p === null) reject(p, i);
    const s = p.signal;
    const t = p.timeMs;
    const v = p.value;
    // one cheap test per point (v - v is 0 only for a finite number); the slow path says what is wrong
    if (
      typeof s !== 'string' ||
      s === '' ||
      typeof t !== 'number' ||
      typeof v !== 'number' ||
      !(t >= MIN_TIME_MS && t < MAX_TIME_MS) ||
      v - v !== 0
    ) {
      reject(p, i);
    }
    if (cur === undefined || t < curStartMs || t >= curEndMs || s !== cur.signal) {
      if (!checkedNames.has(s)) {
        checkSignalName(s);
        checkedNames.add(s);
      }
      const month = monthOf(t);
      const key = `${month}\u0000${s}`;
      let g = index.get(key);
      if (g === undefined) {
        g = keys.length;
        keys.push({ signal: s, month, first: i, last: i - 1, size: 0, contiguous: true });
        index.set(key, g);
      }
      cur = keys[g]!;
      curIndex = g;
      curStartMs = monthStartMs(month);
      curEndMs = monthEndMs(month);
    }
    if (cur.last !== i - 1) cur.contiguous = false;
    cur.last = i;
    cur.size++;
    groupOf[i] = curIndex;
    allTimes[i] = t;
    allValues[i] = v;
  }
  const groups = keys.map((k) => ({
    signal: k.signal,
    month: k.month,
    times: k.contiguous ? allTimes.subarray(k.first, k.first + k.size) : new Float64Array(k.size),
    values: k.contiguous ? allValues.subarray(k.first, k.first + k.size) : new Float64Array(k.size),
  }));
  if (keys.some((k) => !k.contiguous)) {
    const fill = new Int32Array(keys.length);
    for (let i = 0; i < n; i++) {
      const g = groupOf[i]!;
      if (keys[g]!.contiguous) continue;
      const k = fill[g]!++;
      groups[g]!.times[k] = allTimes[i]!;
      groups[g]!.values[k] = allValues[i]!;
    }
  }
  return groups;
}
