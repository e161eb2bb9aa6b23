/**
 * The embedded store: one Arrow IPC file per signal and UTC month under `DIR/series/<signal>/<YYYY-MM>.arrow`.
 * Writers take `DIR/write.lock` (so processes writing one directory take turns) and replace a partition by an
 * atomic rename; readers need no lock and never see half a file. Same (signal, time) overwrites, as in InfluxDB.
 * Queries open only the partitions their range touches, found by listing the signal's folder.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Reading, ReadingWriter, Sample, Series, SeriesStore } from '../port.ts';
import { type CacheLimits, DEFAULT_CACHE_LIMITS, PartitionCache } from './cache.ts';
import { groupPoints, type PartitionGroup } from './group.ts';
import {
  decodeSignal,
  encodeSignal,
  lowerBound,
  type MonthIndex,
  monthEndMs,
  monthStartMs,
  parsePartitionFileName,
  partitionFileName,
  upperBound,
} from './layout.ts';
import { acquireLock, type LockOptions } from './lock.ts';
import { mergeSorted, sortUnique } from './merge.ts';
import {
  emptySeries,
  fsyncDir,
  readPartitionCached,
  readPartitionFile,
  writePartitionFile,
} from './partition.ts';

export { decodeSignal, encodeSignal } from './layout.ts';

export interface EmbeddedStoreOptions {
  /** decoded partitions kept in memory per instance (LRU) */
  cache?: Partial<CacheLimits>;
  /** waiting for another process's write lock */
  lock?: LockOptions;
  /** partitions merged and written at the same time within one write */
  writeConcurrency?: number;
}

export class EmbeddedStore implements SeriesStore, ReadingWriter {
  /** for logs (the collector's forwarder names where readings go) */
  readonly description = 'embedded store';
  private readonly cache: PartitionCache;
  /** this instance's writes, one after another (the lock file orders them against other instances) */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly opts: EmbeddedStoreOptions,
  ) {
    this.cache = new PartitionCache({ ...DEFAULT_CACHE_LIMITS, ...opts.cache });
  }

  /** Opens (creating it when missing) a store in `dir`. */
  static async open(dir: string, opts: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
    await mkdir(path.join(dir, 'series'), { recursive: true });
    return new EmbeddedStore(dir, opts);
  }

  private get root(): string {
    return path.join(this.dir, 'series');
  }

  private signalDir(signal: string): string {
    return path.join(this.root, encodeSignal(signal));
  }

  private file(signal: string, month: MonthIndex): string {
    return path.join(this.signalDir(signal), partitionFileName(month));
  }

  /** Months with a partition for the signal, ascending (one directory listing). */
  private months(signal: string): MonthIndex[] {
    let names: string[];
    try {
      names = readdirSync(this.signalDir(signal));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return [];
      throw err;
    }
    const months: MonthIndex[] = [];
    for (const name of names) {
      const m = parsePartitionFileName(name);
      if (m !== null) months.push(m);
    }
    return months.sort((a, b) => a - b);
  }

  private read(signal: string, month: MonthIndex): Series {
    return readPartitionCached(this.file(signal, month), this.cache);
  }

  /** Months of the signal that overlap fromMs <= t < toMs. */
  private monthsIn(signal: string, fromMs: number, toMs: number): MonthIndex[] {
    if (!(toMs > fromMs)) return [];
    return this.months(signal).filter((m) => monthEndMs(m) > fromMs && monthStartMs(m) < toMs);
  }

  async write(points: readonly Reading[]): Promise<void> {
    const groups = groupPoints(points); // throws on a bad point before anything is written
    const run = this.writing.then(() => this.writeGroups(groups));
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async writeGroups(groups: PartitionGroup[]): Promise<void> {
    if (groups.length === 0) return;
    const release = await acquireLock(path.join(this.dir, 'write.lock'), this.opts.lock);
    try {
      let newFolders = false;
      for (const d of new Set(groups.map((g) => this.signalDir(g.signal)))) {
        if (mkdirSync(d, { recursive: true }) !== undefined) newFolders = true;
      }
      const touched = new Set<string>();
      let next = 0;
      let failed = false;
      const worker = async () => {
        while (next < groups.length && !failed) {
          const g = groups[next++]!;
          const file = this.file(g.signal, g.month);
          this.cache.delete(file);
          try {
            const merged = mergeSorted(await readPartitionFile(file), sortUnique(g.times, g.values));
            await writePartitionFile(file, merged);
          } catch (err) {
            failed = true; // the other workers stop after their current partition
            throw err;
          }
          touched.add(path.dirname(file));
        }
      };
      const n = Math.max(1, Math.min(this.opts.writeConcurrency ?? 8, groups.length));
      // every worker has finished before the lock is released, also when one failed
      const results = await Promise.allSettled(Array.from({ length: n }, worker));
      const failure = results.find((r) => r.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
      // the renames (and new signal folders) become durable with their folders
      if (newFolders) touched.add(this.root);
      await Promise.all([...touched].map(fsyncDir));
    } finally {
      release();
    }
  }

  async readRange(signal: string, fromMs: number, toMs: number): Promise<Series> {
    const parts: Series[] = [];
    for (const m of this.monthsIn(signal, fromMs, toMs)) {
      const s = this.read(signal, m);
      const a = lowerBound(s.times, fromMs);
      const b = lowerBound(s.times, toMs);
      if (b > a) parts.push({ times: s.times.subarray(a, b), values: s.values.subarray(a, b) });
    }
    // always copies: the cached partitions stay the caller's to read, never to change
    const n = parts.reduce((k, p) => k + p.times.length, 0);
    const out = { times: new Float64Array(n), values: new Float64Array(n) };
    let k = 0;
    for (const p of parts) {
      out.times.set(p.times, k);
      out.values.set(p.values, k);
      k += p.times.length;
    }
    return n === 0 ? emptySeries() : out;
  }

  async lastAtOrBefore(signal: string, atMs: number): Promise<Sample | null> {
    if (Number.isNaN(atMs)) return null;
    const months = this.months(signal);
    // from the partition holding atMs (or the last one before it) back to the first; each holds at least one
    // reading, so this reads one partition, or two when atMs is before the first reading of its month
    for (let i = months.length - 1; i >= 0; i--) {
      const m = months[i]!;
      if (monthStartMs(m) > atMs) continue;
      const s = this.read(signal, m);
      const k = upperBound(s.times, atMs) - 1;
      if (k >= 0) return { timeMs: s.times[k]!, value: s.values[k]! };
    }
    return null;
  }

  async firstAtOrAfter(signal: string, atMs: number): Promise<Sample | null> {
    if (Number.isNaN(atMs)) return null;
    for (const m of this.months(signal)) {
      if (monthEndMs(m) <= atMs) continue;
      const s = this.read(signal, m);
      const k = lowerBound(s.times, atMs);
      if (k < s.times.length) return { timeMs: s.times[k]!, value: s.values[k]! };
    }
    return null;
  }

  async count(signal: string, fromMs: number, toMs: number): Promise<number> {
    let n = 0;
    for (const m of this.monthsIn(signal, fromMs, toMs)) {
      const s = this.read(signal, m);
      n += lowerBound(s.times, toMs) - lowerBound(s.times, fromMs);
    }
    return n;
  }

  async signals(): Promise<string[]> {
    const out: string[] = [];
    for (const name of readdirSync(this.root)) {
      const id = decodeSignal(name);
      if (id !== null && this.months(id).length > 0) out.push(id);
    }
    return out.sort();
  }

  /** Waits for this instance's writes and drops its cache; the files stay. */
  async close(): Promise<void> {
    await this.writing;
    this.cache.clear();
  }
}
