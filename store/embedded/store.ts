/**
 * The embedded store: one Arrow IPC file per signal and UTC month under `DIR/series/<signal>/<YYYY-MM>.arrow`.
 * Writers take a lock file (so two processes importing into one directory take turns) and replace a partition by
 * an atomic rename; readers need no lock and never see half a file. Same (signal, time) overwrites, as in InfluxDB.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { lowerBound } from '../../transforms/interpolate.ts';
import type { Point, Sample, Series, SeriesStore } from '../port.ts';
import { acquireLock } from './lock.ts';
import { EMPTY, mergeSeries, readPartition, writePartition } from './partition.ts';

/** Reversible, file-system-safe folder name for a signal id. */
export function encodeSignal(id: string): string {
  return encodeURIComponent(id).replace(
    /[.!~*'()]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function decodeSignal(name: string): string {
  return decodeURIComponent(name);
}

function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

function monthStart(month: string): number {
  return Date.parse(`${month}-01T00:00:00Z`);
}

function nextMonthStart(month: string): number {
  const d = new Date(monthStart(month));
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.getTime();
}

const CACHE_ENTRIES = 64;

export class EmbeddedStore implements SeriesStore {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; series: Series }>();

  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<EmbeddedStore> {
    mkdirSync(path.join(dir, 'series'), { recursive: true });
    return new EmbeddedStore(dir);
  }

  private signalDir(signal: string): string {
    return path.join(this.dir, 'series', encodeSignal(signal));
  }

  private file(signal: string, month: string): string {
    return path.join(this.signalDir(signal), `${month}.arrow`);
  }

  /** Months with a partition for the signal, ascending. */
  private months(signal: string): string[] {
    try {
      return readdirSync(this.signalDir(signal))
        .filter((f) => /^\d{4}-\d{2}\.arrow$/.test(f))
        .map((f) => f.slice(0, 7))
        .sort();
    } catch {
      return [];
    }
  }

  private read(file: string): Series {
    let st: { mtimeMs: number; size: number };
    try {
      st = statSync(file);
    } catch {
      return EMPTY;
    }
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
      this.cache.delete(file);
      this.cache.set(file, hit);
      return hit.series;
    }
    const series = readPartition(file);
    this.cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, series });
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return series;
  }

  async write(points: readonly Point[]): Promise<void> {
    const groups = new Map<string, { signal: string; month: string; times: number[]; values: number[] }>();
    for (const p of points) {
      if (typeof p.signal !== 'string' || p.signal === '')
        throw new Error(`point at ${p.timeMs} has no signal id`);
      if (!Number.isFinite(p.timeMs) || !Number.isFinite(p.value)) {
        throw new Error(
          `point ${p.signal} at ${p.timeMs}: time and value must be finite numbers (value ${p.value})`,
        );
      }
      const month = monthOf(p.timeMs);
      const key = `${p.signal}\u0000${month}`;
      let g = groups.get(key);
      if (g === undefined) {
        g = { signal: p.signal, month, times: [], values: [] };
        groups.set(key, g);
      }
      g.times.push(p.timeMs);
      g.values.push(p.value);
    }
    if (groups.size === 0) return;
    const release = await acquireLock(path.join(this.dir, 'write.lock'));
    try {
      for (const g of groups.values()) {
        mkdirSync(this.signalDir(g.signal), { recursive: true });
        const file = this.file(g.signal, g.month);
        this.cache.delete(file);
        writePartition(file, mergeSeries(readPartition(file), g.times, g.values));
      }
    } finally {
      release();
    }
  }

  async readRange(signal: string, fromMs: number, toMs: number): Promise<Series> {
    if (!(toMs > fromMs)) return EMPTY;
    const parts: Series[] = [];
    for (const month of this.months(signal)) {
      if (nextMonthStart(month) <= fromMs || monthStart(month) >= toMs) continue;
      const s = this.read(this.file(signal, month));
      const a = lowerBound(s.times, fromMs);
      const b = lowerBound(s.times, toMs);
      if (b > a) parts.push({ times: s.times.subarray(a, b), values: s.values.subarray(a, b) });
    }
    if (parts.length === 1) return { times: parts[0]!.times.slice(), values: parts[0]!.values.slice() };
    const n = parts.reduce((k, p) => k + p.times.length, 0);
    const times = new Float64Array(n);
    const values = new Float64Array(n);
    let k = 0;
    for (const p of parts) {
      times.set(p.times, k);
      values.set(p.values, k);
      k += p.times.length;
    }
    return { times, values };
  }

  async lastAtOrBefore(signal: string, atMs: number): Promise<Sample | null> {
    const months = this.months(signal).filter((m) => monthStart(m) <= atMs);
    for (let i = months.length - 1; i >= 0; i--) {
      const s = this.read(this.file(signal, months[i]!));
      const k = lowerBound(s.times, atMs);
      const idx = k < s.times.length && s.times[k] === atMs ? k : k - 1;
      if (idx >= 0) return { timeMs: s.times[idx]!, value: s.values[idx]! };
    }
    return null;
  }

  async firstAtOrAfter(signal: string, atMs: number): Promise<Sample | null> {
    for (const month of this.months(signal)) {
      if (nextMonthStart(month) <= atMs) continue;
      const s = this.read(this.file(signal, month));
      const k = lowerBound(s.times, atMs);
      if (k < s.times.length) return { timeMs: s.times[k]!, value: s.values[k]! };
    }
    return null;
  }

  async count(signal: string, fromMs: number, toMs: number): Promise<number> {
    if (!(toMs > fromMs)) return 0;
    let n = 0;
    for (const month of this.months(signal)) {
      if (nextMonthStart(month) <= fromMs || monthStart(month) >= toMs) continue;
      const s = this.read(this.file(signal, month));
      n += lowerBound(s.times, toMs) - lowerBound(s.times, fromMs);
    }
    return n;
  }

  async signals(): Promise<string[]> {
    const root = path.join(this.dir, 'series');
    return readdirSync(root)
      .filter((d) => this.months(decodeSignal(d)).length > 0)
      .map(decodeSignal)
      .sort();
  }

  async close(): Promise<void> {
    this.cache.clear();
  }
}
