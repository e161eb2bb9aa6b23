/**
 * One partition file: the readings of one signal in one UTC month, as an Arrow IPC file with Float64 columns
 * `time` (epoch ms, ascending, unique) and `value`. Replaced whole: written to a temp file in the same folder,
 * fsynced, then renamed over the old one, so a reader sees the old file or the new one, never half of one.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import {
  DataType,
  Precision,
  type Table,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  type Vector,
} from 'apache-arrow';
import type { Series } from '../port.ts';
import type { PartitionCache } from './cache.ts';

export function emptySeries(): Series {
  return { times: new Float64Array(0), values: new Float64Array(0) };
}

export function encodePartition(s: Series): Uint8Array {
  return tableToIPC(tableFromArrays({ time: s.times, value: s.values }), 'file');
}

function float64Column(v: Vector | null, name: string, file: string): Float64Array {
  if (v === null) throw new Error(`${file}: not a plantkpi partition (no '${name}' column)`);
  if (!DataType.isFloat(v.type) || v.type.precision !== Precision.DOUBLE) {
    throw new Error(`${file}: column '${name}' is ${v.type}, expected Float64`);
  }
  return (v.toArray() as Float64Array).slice(); // owned, aligned, independent of the file's buffer
}

/** Decodes and checks a partition (times ascending and unique); `file` only names it in errors. */
export function decodePartition(bytes: Uint8Array, file: string): Series {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new Error(
      `${file}: not a readable Arrow IPC file (${(err as Error).message}); restore it or delete it`,
    );
  }
  const times = float64Column(table.getChild('time'), 'time', file);
  const values = float64Column(table.getChild('value'), 'value', file);
  if (times.length !== values.length) throw new Error(`${file}: columns time and value differ in length`);
  for (let i = 1; i < times.length; i++) {
    if (!(times[i - 1]! < times[i]!)) throw new Error(`${file}: times not ascending at row ${i}`);
  }
  return { times, values };
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * A file modified less than this long ago is neither served from nor put into the cache: file times tick
 * coarsely (a few ms on Linux, 2 s on FAT), so two rewrites within one tick, of the same size, reusing a freed
 * inode, could otherwise look like the same file (git's "racy" entries).
 */
const RACY_WINDOW_MS = 2_000;

/**
 * Reads a partition for a query, through the cache. The file is opened once and identified by its fstat
 * (device, inode, size, mtime and ctime), so a file another process has renamed into place is read again.
 */
export function readPartitionCached(file: string, cache: PartitionCache): Series {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if (isMissing(err)) return emptySeries();
    throw err;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    const identity = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    const racy = Date.now() - Number(st.mtimeMs) < RACY_WINDOW_MS;
    const hit = racy ? undefined : cache.get(file, identity);
    if (hit !== undefined) return hit;
    const bytes = Buffer.allocUnsafe(Number(st.size));
    let off = 0;
    while (off < bytes.length) {
      const n = readSync(fd, bytes, off, bytes.length - off, off);
      if (n === 0) throw new Error(`${file}: shorter than its size (${off} of ${bytes.length} bytes)`);
      off += n;
    }
    const series = decodePartition(bytes, file);
    if (racy) cache.delete(file);
    else cache.set(file, identity, series);
    return series;
  } finally {
    closeSync(fd);
  }
}

/** Reads a partition for a merge, bypassing the cache; empty when the file does not exist. */
export async function readPartitionFile(file: string): Promise<Series> {
  try {
    return decodePartition(await readFile(file), file);
  } catch (err) {
    if (isMissing(err)) return emptySeries();
    throw err;
  }
}

/** Writes a partition to a temp file in the same folder, fsyncs it and renames it over `file`. */
export async function writePartitionFile(file: string, s: Series): Promise<void> {
  const bytes = encodePartition(s);
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  const fh = await open(tmp, 'wx');
  try {
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Makes renames and new entries in a folder durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
