/**
 * A small LRU of decoded partitions, one per store instance. An entry is valid only for the file identity it was
 * read under (inode, size, mtime, ctime), so a partition rewritten by another process is never served stale.
 */
import type { Series } from '../port.ts';

export interface CacheLimits {
  /** most partitions kept */
  maxPartitions: number;
  /** most bytes of decoded columns kept (16 bytes a reading) */
  maxBytes: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxPartitions: 64, maxBytes: 64 * 1024 * 1024 };

interface Entry {
  identity: string;
  series: Series;
  bytes: number;
}

export class PartitionCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly limits: CacheLimits = DEFAULT_CACHE_LIMITS) {}

  /** The cached series of `file` if it was read under this identity; refreshes its place in the LRU. */
  get(file: string, identity: string): Series | undefined {
    const e = this.entries.get(file);
    if (e === undefined) return undefined;
    this.entries.delete(file);
    if (e.identity !== identity) {
      this.bytes -= e.bytes;
      return undefined;
    }
    this.entries.set(file, e);
    return e.series;
  }

  set(file: string, identity: string, series: Series): void {
    this.delete(file);
    const bytes = series.times.byteLength + series.values.byteLength;
    if (bytes > this.limits.maxBytes || this.limits.maxPartitions < 1) return;
    this.entries.set(file, { identity, series, bytes });
    this.bytes += bytes;
    while (this.entries.size > this.limits.maxPartitions || this.bytes > this.limits.maxBytes) {
      const oldest = this.entries.keys().next().value!;
      this.delete(oldest);
    }
  }

  delete(file: string): void {
    const e = this.entries.get(file);
    if (e === undefined) return;
    this.entries.delete(file);
    this.bytes -= e.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }
}
