/**
 * A durable store-and-forward spool: producers append records (resolved only once they are fsynced), one consumer
 * reads them in order and acknowledges; the acknowledged position is kept in a cursor file. After a crash or
 * SIGKILL, everything appended and not acknowledged is read again (at-least-once; the InfluxDB writer keeps source
 * timestamps, so a re-sent point overwrites itself).
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { type FileHandle, open, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { frame, parseSegmentName, scan, segmentName } from './segments.ts';

export interface SpoolOptions {
  dir: string;
  /** a segment is closed and a new one started past this size */
  segmentBytes?: number;
  /** disk budget for all segments together */
  maxBytes?: number;
  /** when the budget is full: reject appends (sources stop acknowledging) or drop the oldest segment */
  whenFull?: 'reject' | 'drop-oldest';
  /** fsync every group of appends (turn off only in benchmarks) */
  fsync?: boolean;
}

export class SpoolFullError extends Error {
  /** the caller may retry once the consumer has caught up */
  readonly retryable = true;
}

export interface SpoolBatch {
  payloads: Buffer[];
  /** position after the batch: ack() moves the durable cursor here */
  end: { seq: number; offset: number };
}

export interface SpoolStats {
  bytes: number;
  segments: number;
  /** ms since the oldest unacknowledged segment was started, 0 when empty */
  oldestAgeMs: number;
  appendedRecords: number;
  droppedRecords: number;
  damagedRecords: number;
}

/** bytes read from a segment at a time */
const READ_CHUNK_BYTES = 1024 * 1024;

interface Pending {
  buf: Buffer;
  records: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class Spool {
  private readonly segmentBytes: number;
  private readonly maxBytes: number;
  private readonly whenFull: 'reject' | 'drop-oldest';
  private readonly fsync: boolean;
  /** seq -> size in bytes */
  private readonly sizes = new Map<number, number>();
  private readonly started = new Map<number, number>();
  private active!: { seq: number; fh: FileHandle };
  private cursor = { seq: 0, offset: 0 };
  private readPos = { seq: 0, offset: 0 };
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private stats_ = { appendedRecords: 0, droppedRecords: 0, damagedRecords: 0 };

  private constructor(private readonly opts: SpoolOptions) {
    this.segmentBytes = opts.segmentBytes ?? 16 * 1024 * 1024;
    this.maxBytes = opts.maxBytes ?? 1024 * 1024 * 1024;
    this.whenFull = opts.whenFull ?? 'reject';
    this.fsync = opts.fsync ?? true;
  }

  static async open(opts: SpoolOptions): Promise<Spool> {
    const s = new Spool(opts);
    await s.recover();
    return s;
  }

  private cursorFile(): string {
    return path.join(this.opts.dir, 'cursor.json');
  }

  private async recover(): Promise<void> {
    mkdirSync(this.opts.dir, { recursive: true });
    const seqs = readdirSync(this.opts.dir)
      .map(parseSegmentName)
      .filter((x): x is number => x !== null)
      .sort((a, b) => a - b);
    try {
      const c = JSON.parse(await readFile(this.cursorFile(), 'utf8'));
      if (Number.isInteger(c.seq) && Number.isInteger(c.offset))
        this.cursor = { seq: c.seq, offset: c.offset };
    } catch {
      // no cursor yet: start at the first segment
    }
    for (const seq of seqs) {
      const file = path.join(this.opts.dir, segmentName(seq));
      if (seq < this.cursor.seq) {
        await rm(file, { force: true }); // fully acknowledged, left behind by a crash
        continue;
      }
      const st = statSync(file);
      this.sizes.set(seq, st.size);
      this.started.set(seq, st.mtimeMs);
    }
    const last = seqs.filter((s) => this.sizes.has(s)).at(-1);
    if (last !== undefined) {
      // cut a torn tail left by a crash in the middle of a write
      const file = path.join(this.opts.dir, segmentName(last));
      const res = scan(await readFile(file));
      if (res.goodEnd < this.sizes.get(last)!) {
        await truncate(file, res.goodEnd);
        this.sizes.set(last, res.goodEnd);
      }
    }
    const first = [...this.sizes.keys()][0];
    if (first !== undefined && first > this.cursor.seq) this.cursor = { seq: first, offset: 0 };
    this.readPos = { ...this.cursor };
    await this.roll((last ?? this.cursor.seq) + 1);
  }

  private async roll(seq: number): Promise<void> {
    await this.active?.fh.close();
    const fh = await open(path.join(this.opts.dir, segmentName(seq)), 'a');
    this.active = { seq, fh };
    this.sizes.set(seq, 0);
    this.started.set(seq, Date.now());
  }

  private totalBytes(): number {
    let n = 0;
    for (const v of this.sizes.values()) n += v;
    return n;
  }

  /** Appends records; resolves once they are on disk. Rejects with SpoolFullError when the budget is used. */
  append(payloads: readonly Buffer[]): Promise<void> {
    if (payloads.length === 0) return Promise.resolve();
    const buf = Buffer.concat(payloads.map(frame));
    return new Promise((resolve, reject) => {
      this.queue.push({ buf, records: payloads.length, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      const accepted: Pending[] = [];
      for (const p of group) {
        try {
          await this.makeRoom(p.buf.length);
          accepted.push(p);
        } catch (err) {
          p.reject(err as Error);
        }
      }
      if (accepted.length === 0) continue;
      try {
        if (this.sizes.get(this.active.seq)! >= this.segmentBytes) await this.roll(this.active.seq + 1);
        const all = Buffer.concat(accepted.map((p) => p.buf));
        await this.active.fh.write(all);
        if (this.fsync) await this.active.fh.datasync();
        this.sizes.set(this.active.seq, this.sizes.get(this.active.seq)! + all.length);
        for (const p of accepted) {
          this.stats_.appendedRecords += p.records;
          p.resolve();
        }
      } catch (err) {
        for (const p of accepted) p.reject(err as Error);
      }
    }
    this.flushing = null;
  }

  private async makeRoom(bytes: number): Promise<void> {
    while (this.totalBytes() + bytes > this.maxBytes) {
      const oldest = [...this.sizes.keys()].sort((a, b) => a - b)[0];
      if (this.whenFull === 'reject' || oldest === undefined || oldest === this.active.seq) {
        throw new SpoolFullError(
          `spool ${this.opts.dir} is full (${this.totalBytes()} of ${this.maxBytes} bytes): ` +
            'InfluxDB is not keeping up or is away; appends resume when the backlog drains',
        );
      }
      const file = path.join(this.opts.dir, segmentName(oldest));
      this.stats_.droppedRecords += scan(
        await readFile(file),
        oldest === this.cursor.seq ? this.cursor.offset : 0,
      ).records.length;
      await rm(file, { force: true });
      this.sizes.delete(oldest);
      this.started.delete(oldest);
      if (this.cursor.seq <= oldest) await this.saveCursor({ seq: oldest + 1, offset: 0 });
      if (this.readPos.seq <= oldest) this.readPos = { seq: oldest + 1, offset: 0 };
    }
  }

  /** The next records after the read position (not yet handed out), at most maxRecords; null when none. */
  async next(maxRecords: number): Promise<SpoolBatch | null> {
    while (true) {
      const { seq, offset } = this.readPos;
      const size = this.sizes.get(seq);
      if (size === undefined) {
        const later = [...this.sizes.keys()].filter((s) => s > seq).sort((a, b) => a - b)[0];
        if (later === undefined) return null;
        this.readPos = { seq: later, offset: 0 };
        continue;
      }
      if (offset >= size) {
        if (seq === this.active.seq) return null;
        this.readPos = { seq: seq + 1, offset: 0 };
        continue;
      }
      // read a bounded chunk, growing it only for a record larger than the chunk
      let chunk = Math.min(size - offset, READ_CHUNK_BYTES);
      let res: ReturnType<typeof scan>;
      let buf: Buffer;
      const fh = await open(path.join(this.opts.dir, segmentName(seq)), 'r');
      try {
        for (;;) {
          buf = Buffer.allocUnsafe(chunk);
          const { bytesRead } = await fh.read(buf, 0, chunk, offset);
          buf = buf.subarray(0, bytesRead);
          const partial = offset + bytesRead < size;
          res = scan(buf, 0, maxRecords, partial);
          if (res.records.length > 0 || !partial) break;
          chunk = Math.min(size - offset, chunk * 2);
        }
      } finally {
        await fh.close();
      }
      this.stats_.damagedRecords += res.damaged;
      const records = res.records;
      if (records.length === 0) {
        this.readPos = { seq, offset: size }; // nothing intact left in this segment
        continue;
      }
      const end = { seq, offset: offset + records[records.length - 1]!.end };
      this.readPos = end;
      return { payloads: records.map((r) => Buffer.from(r.payload)), end };
    }
  }

  /** Hands out again everything after the durable cursor (after a failed delivery). */
  rewind(): void {
    this.readPos = { ...this.cursor };
  }

  /** Records up to batch.end are delivered: move the durable cursor and delete finished segments. */
  async ack(batch: SpoolBatch): Promise<void> {
    await this.saveCursor(batch.end);
    for (const seq of [...this.sizes.keys()]) {
      if (seq < batch.end.seq) {
        await rm(path.join(this.opts.dir, segmentName(seq)), { force: true });
        this.sizes.delete(seq);
        this.started.delete(seq);
      }
    }
  }

  private async saveCursor(c: { seq: number; offset: number }): Promise<void> {
    this.cursor = { ...c };
    const tmp = `${this.cursorFile()}.tmp`;
    await writeFile(tmp, JSON.stringify(c));
    await rename(tmp, this.cursorFile());
  }

  stats(): SpoolStats {
    const pendingSeqs = [...this.sizes.keys()].filter((s) => s >= this.cursor.seq).sort((a, b) => a - b);
    const hasPending = pendingSeqs.some((s) =>
      s === this.cursor.seq ? this.sizes.get(s)! > this.cursor.offset : this.sizes.get(s)! > 0,
    );
    const oldest = pendingSeqs[0];
    return {
      bytes: this.totalBytes(),
      segments: this.sizes.size,
      oldestAgeMs:
        hasPending && oldest !== undefined
          ? Math.max(0, Date.now() - (this.started.get(oldest) ?? Date.now()))
          : 0,
      ...this.stats_,
    };
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.active.fh.close();
  }
}
