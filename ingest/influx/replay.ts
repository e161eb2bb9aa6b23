/**
 * Replays the forwarder's refused-readings file after a fix (the database was created, a retention policy or a
 * field type changed): every reading is sent again through the store the collector writes to, idempotently (a point
 * already stored is overwritten by itself). Readings now stored are removed from the file; readings still refused
 * stay, with the newest reason. The file is rewritten atomically (a temp file in the same folder, then rename), and
 * only when something changed, so running it twice is harmless. Entries that are not refused readings (and lines
 * that are not JSON) are kept as they are.
 *
 * The collector may append to the file meanwhile: what it appended after the replay read the file is carried into
 * the new file, also when its append raced the rename.
 */
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { deliver } from '../../store/influx/partial.ts';
import { asWriteError, type WriteError } from '../../store/influx/write-error.ts';
import type { Reading, ReadingWriter } from '../../store/port.ts';
import type { RefusedEntry } from './forwarder.ts';

export interface ReplayOptions {
  /** readings per write (influx.batchLines) */
  batchLines?: number;
  /** after the rename, how long to wait for an append that raced it */
  settleMs?: number;
  now?: () => Date;
}

export interface ReplayResult {
  file: string;
  /** the file was there */
  found: boolean;
  /** entries of refused readings read */
  entries: number;
  readings: number;
  /** now stored in InfluxDB, removed from the file */
  replayed: number;
  /** refused again, kept */
  stillRefused: number;
  /** not tried because InfluxDB could not be written to (stoppedBy), kept */
  notTried: number;
  /** lines that are not refused readings (other entries, unreadable lines), kept as they are */
  otherLines: number;
  /** reasons of the readings still refused */
  reasons: string[];
  /** the file was rewritten */
  changed: boolean;
  /** InfluxDB away or misconfigured: replay stopped there */
  stoppedBy?: WriteError;
}

interface Line {
  raw: string;
  entry?: RefusedEntry;
}

function parseLine(raw: string): Line {
  try {
    const e = JSON.parse(raw) as Partial<RefusedEntry>;
    if (e && typeof e === 'object' && Array.isArray(e.readings)) {
      const ok = e.readings.every(
        (r) => r && typeof r.signal === 'string' && typeof r.timeMs === 'number' && 'value' in r,
      );
      if (ok) return { raw, entry: e as RefusedEntry };
    }
  } catch {
    // kept as it is
  }
  return { raw };
}

async function readAll(fh: FileHandle, from: number): Promise<Buffer> {
  const { size } = await fh.stat();
  if (size <= from) return Buffer.alloc(0);
  const buf = Buffer.alloc(size - from);
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

export async function replayRefused(
  file: string,
  store: ReadingWriter,
  o: ReplayOptions = {},
): Promise<ReplayResult> {
  const result: ReplayResult = {
    file,
    found: false,
    entries: 0,
    readings: 0,
    replayed: 0,
    stillRefused: 0,
    notTried: 0,
    otherLines: 0,
    reasons: [],
    changed: false,
  };
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw err;
  }
  result.found = true;
  try {
    const all = await readAll(fh, 0);
    // only whole lines: a line the collector is still writing is carried over with the tail
    const consumed = all.lastIndexOf(0x0a) + 1;
    const lines = all.subarray(0, consumed).toString('utf8').split('\n').slice(0, -1).map(parseLine);

    // every reading of every entry, in file order
    const flat: { line: number; reading: Reading }[] = [];
    lines.forEach((l, i) => {
      if (l.entry === undefined) {
        if (l.raw.trim() !== '') result.otherLines++;
        return;
      }
      result.entries++;
      for (const r of l.entry.readings) flat.push({ line: i, reading: r });
    });
    result.readings = flat.length;

    // per reading: null = stored, {reason} = refused again, undefined = not tried
    const verdict: ({ reason: string; status?: number } | null | undefined)[] = new Array(flat.length);
    const batch = Math.max(1, o.batchLines ?? 5000);
    for (let at = 0; at < flat.length; at += batch) {
      const part = flat.slice(at, at + batch);
      try {
        const r = await deliver(
          part.map((f) => f.reading),
          (b) => store.write(b),
          { timeOf: (x) => x.timeMs },
        );
        for (let k = 0; k < part.length; k++) verdict[at + k] = null;
        for (const x of r.refused) {
          verdict[at + x.index] = {
            reason: x.reason,
            ...(x.status !== undefined ? { status: x.status } : {}),
          };
        }
      } catch (err) {
        result.stoppedBy = asWriteError(err);
        break;
      }
    }

    // the new file: stored readings gone, the rest by reason
    const now = (o.now ?? (() => new Date()))().toISOString();
    const reasons = new Set<string>();
    const out: string[] = [];
    let changed = false;
    let f = 0;
    lines.forEach((l, i) => {
      if (l.entry === undefined) {
        out.push(l.raw);
        return;
      }
      const e = l.entry;
      const groups = new Map<string, { status?: number; reason: string; readings: Reading[] }>();
      let stored = 0;
      for (; f < flat.length && flat[f]!.line === i; f++) {
        const v = verdict[f];
        if (v === null) {
          stored++;
          result.replayed++;
          continue;
        }
        const status = v === undefined ? e.status : v.status;
        const reason = v === undefined ? e.reason : v.reason;
        if (v === undefined) result.notTried++;
        else {
          result.stillRefused++;
          reasons.add(reason);
        }
        const key = `${status ?? ''} ${reason}`;
        let g = groups.get(key);
        if (g === undefined) {
          g = { reason, readings: [], ...(status !== undefined ? { status } : {}) };
          groups.set(key, g);
        }
        g.readings.push(flat[f]!.reading);
      }
      const same = groups.size === 1 && stored === 0;
      const only = [...groups.values()][0];
      if (groups.size === 0 && stored === 0) {
        out.push(l.raw); // an entry without readings
      } else if (same && only!.reason === e.reason && only!.status === e.status) {
        out.push(l.raw); // nothing new: unchanged, byte for byte
      } else {
        changed = true;
        for (const g of groups.values()) {
          const { status: _s, reason: _r, readings: _x, ...rest } = e;
          const entry = {
            ...rest,
            ...(g.status !== undefined ? { status: g.status } : {}),
            reason: g.reason,
            replayedAt: now,
            readings: g.readings,
          };
          out.push(JSON.stringify(entry));
        }
      }
    });
    result.reasons = [...reasons];
    if (!changed) return result;

    // atomically: temp file in the same folder, fsync, rename; then what was appended meanwhile
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.replay-${process.pid}.tmp`);
    const w = await open(tmp, 'w');
    let copied = consumed;
    try {
      await w.write(out.length > 0 ? `${out.join('\n')}\n` : '');
      const late = await readAll(fh, copied);
      await w.write(late);
      copied += late.length;
      await w.datasync();
    } catch (err) {
      await w.close();
      await rm(tmp, { force: true });
      throw err;
    }
    await w.close();
    await rename(tmp, file);
    result.changed = true;
    // an append that opened the old file before the rename lands in it: carry it over
    await new Promise((r) => setTimeout(r, o.settleMs ?? 200));
    const raced = await readAll(fh, copied);
    if (raced.length > 0) {
      const a = await open(file, 'a');
      try {
        await a.write(raced);
      } finally {
        await a.close();
      }
    }
    return result;
  } finally {
    await fh.close();
  }
}
