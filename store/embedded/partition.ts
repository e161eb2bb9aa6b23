/**
 * One partition file: the readings of one signal in one UTC month, as an Arrow IPC file with Float64 columns
 * `time` (epoch ms, ascending, unique) and `value`. Written to a temp file, fsynced, then renamed into place.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import type { Series } from '../port.ts';

export const EMPTY: Series = { times: new Float64Array(0), values: new Float64Array(0) };

export function readPartition(file: string): Series {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
    throw err;
  }
  const table = tableFromIPC(buf);
  const t = table.getChild('time');
  const v = table.getChild('value');
  if (t === null || v === null) throw new Error(`${file}: not a plantkpi partition (no time/value columns)`);
  return {
    times: Float64Array.from(t.toArray() as Float64Array),
    values: Float64Array.from(v.toArray() as Float64Array),
  };
}

export function writePartition(file: string, s: Series): void {
  const bytes = tableToIPC(tableFromArrays({ time: s.times, value: s.values }), 'file');
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * Merges new readings (any order, possibly repeating times) into a sorted partition; a new reading replaces an
 * existing one at the same time, and among new readings the last one given wins.
 */
export function mergeSeries(old: Series, times: readonly number[], values: readonly number[]): Series {
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  // collapse repeats among the new readings: keep the last written
  const nt: number[] = [];
  const nv: number[] = [];
  for (const i of order) {
    if (nt.length > 0 && nt[nt.length - 1] === times[i]) nv[nv.length - 1] = values[i]!;
    else {
      nt.push(times[i]!);
      nv.push(values[i]!);
    }
  }
  const outT = new Float64Array(old.times.length + nt.length);
  const outV = new Float64Array(outT.length);
  let a = 0;
  let b = 0;
  let k = 0;
  while (a < old.times.length || b < nt.length) {
    const ta = a < old.times.length ? old.times[a]! : Number.POSITIVE_INFINITY;
    const tb = b < nt.length ? nt[b]! : Number.POSITIVE_INFINITY;
    if (tb <= ta) {
      outT[k] = tb;
      outV[k++] = nv[b++]!;
      if (tb === ta) a++; // overwritten
    } else {
      outT[k] = ta;
      outV[k++] = old.values[a++]!;
    }
  }
  return { times: outT.subarray(0, k), values: outV.subarray(0, k) };
}
