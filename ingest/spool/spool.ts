/**
 * A durable store-and-forward spool: producers append records (resolved only once they are fsynced), one consumer
 * reads them in order and acknowledges; the acknowledged position is kept in a cursor file. After a crash or
 * SIGKILL, everything appended and not acknowledged is read again (at-least-once; the InfluxDB writer keeps source
 * timestamps, so a re-sent point overwrites itself).
 *
 * Group commit: appends that arrive while a write is on its way wait and then go together, in one write and one
 * fdatasync. The disk budget counts unsent bytes (what the consumer has acknowledged is freed as segments roll);
 * 'drop-oldest' keeps the files on disk within the budget by deleting the oldest segment.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { type FileHandle, open, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UnavailableError } from '../../config/errors.ts';
import { frame, parseSegmentName, scan, segmentName } from './segments.ts';

export interface SpoolOptions {
  dir: string;
  /** a segment is closed and a new one started past this size (at most a quarter of maxBytes) */
  segmentBytes?: number;
  /** budget for unsent data ('reject'), or for all segment files on disk ('drop-oldest') */
  maxBytes?: number;
  /** when the budget is full: reject appends (sources stop acknowledging) or drop the oldest segment */
  whenFull?: 'reject' | 'drop-oldest';
  /** fsync every group of appends (turn off only in benchmarks) */
  fsync?: boolean;
}

/** The spool's budget is used: the caller may retry once the consumer has caught up (retryable). */
export class SpoolFullError extends UnavailableError {
  override name = 'SpoolFullError';
}

export interface SpoolBatch {
  payloads: Buffer[];
  /** position after the batch: ack() moves the durable cursor here */
  end: { seq: number; offset: number };
}

export interface SpoolStats {
  /** bytes appended and not yet acknowledged by the consumer */
  bytes: number;
  /** bytes of all segment files on disk (sent data waits there until its segment rolls) */
  diskBytes: number;
  segments: number;
  /** ms since the oldest unacknowledged segment was started, 0 when empty */
  oldestAgeMs: number;
  appendedRecords: number;
  droppedRecords: number;
  damagedRecords: number;
  /** appends written and fsynced together (one write + one fdatasync each) */
  groupCommits: number;
}

/** bytes read from a segment at a time */
const READ_CHUNK_BYTES = 1024 * 1024;
/** once everything in the active segment is acknowledged and it is this big, a new one starts and it is deleted */
const ROLL_DRAINED_BYTES = 1024 * 1024;

interface Pending {
  bufs: Buffer[];
  bytes: number;
  records: number;
  admitted: boolean;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface AppendOptions {
  /** the caller checked hasRoom() when it accepted the data: write it even if the budget is now exceeded */
  admitted?: boolean;
}

export class Spool {
  private readonly segmentBytes: number;
  readonly maxBytes: number;
  readonly whenFull: 'reject' | 'drop-oldest';
  private readonly fsync: boolean;
  /** seq -> size in bytes */
  private readonly sizes = new Map<number, number>();
  private readonly started = new Map<number, number>();
  private active!: { seq: number; fh: FileHandle };
  private reader: { seq: number; fh: FileHandle } | null = null;
  private cursor = { seq: 0, offset: 0 };
  private readPos = { seq: 0, offset: 0 };
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private flushing: Promise<void> | null = null;
  private rollRequested = false;
  private stats_ = { appendedRecords: 0, droppedRecords: 0, damagedRecords: 0, groupCommits: 0 };

  private constructor(private readonly opts: SpoolOptions) {
    this.maxBytes = opts.maxBytes ?? 1024 * 1024 * 1024;
    this.segmentBytes = Math.max(
      1,
      Math.min(opts.segmentBytes ?? 16 * 1024 * 1024, Math.floor(this.maxBytes / 4)),
    );
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

  private segFile(seq: number): string {
    return path.join(this.opts.dir, segmentName(seq));
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
      const file = this.segFile(seq);
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
      const file = this.segFile(last);
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
    const fh = await open(this.segFile(seq), 'a');
    this.active = { seq, fh };
    this.sizes.set(seq, 0);
    this.started.set(seq, Date.now());
  }

  private diskBytes(): number {
    let n = 0;
    for (const v of this.sizes.values()) n += v;
    return n;
  }

  /** Bytes appended (on disk) and not yet acknowledged by the consumer. */
  unsentBytes(): number {
    let n = 0;
    for (const [seq, size] of this.sizes) {
      if (seq > this.cursor.seq) n += size;
      else if (seq === this.cursor.seq) n += Math.max(0, size - this.cursor.offset);
    }
    return n;
  }

  /** Whether `bytes` more can be accepted now without going over the budget (always, with 'drop-oldest'). */
  hasRoom(bytes: number): boolean {
    if (this.whenFull === 'drop-oldest') return true;
    return this.unsentBytes() + this.queuedBytes + bytes <= this.maxBytes;
  }

  /** Appends records; resolves once they are on disk. Rejects with SpoolFullError when the budget is used. */
  append(payloads: readonly Buffer[], opts: AppendOptions = {}): Promise<void> {
    if (payloads.length === 0) return Promise.resolve();
    const bufs = payloads.map(frame);
    let bytes = 0;
    for (const b of bufs) bytes += b.length;
    if (!opts.admitted && !this.hasRoom(bytes)) {
      return Promise.reject(
        new SpoolFullError(
          `spool ${this.opts.dir} is full (${this.unsentBytes() + this.queuedBytes} of ${this.maxBytes} bytes unsent): ` +
            'InfluxDB is not keeping up or is away; appends resume when the backlog drains',
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        bufs,
        bytes,
        records: payloads.length,
        admitted: opts.admitted ?? false,
        resolve,
        reject,
      });
      this.queuedBytes += bytes;
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0 || this.rollRequested) {
      if (this.rollRequested) await this.rollDrained().catch(() => {});
      if (this.queue.length === 0) continue;
      const group = this.queue;
      this.queue = [];
      let bytes = 0;
      for (const p of group) bytes += p.bytes;
      try {
        if (this.whenFull === 'drop-oldest') await this.dropOldestFor(bytes);
        if (this.sizes.get(this.active.seq)! >= this.segmentBytes) await this.roll(this.active.seq + 1);
        const bufs: Buffer[] = [];
        for (const p of group) for (const b of p.bufs) bufs.push(b);
        await writeAll(this.active.fh, bufs, bytes);
        if (this.fsync) await this.active.fh.datasync();
        this.sizes.set(this.active.seq, this.sizes.get(this.active.seq)! + bytes);
        this.stats_.groupCommits++;
        this.queuedBytes -= bytes;
        for (const p of group) {
          this.stats_.appendedRecords += p.records;
          p.resolve();
        }
      } catch (err) {
        this.queuedBytes -= bytes;
        // a later group must not become durable ahead of a failed one: callers acknowledge in order
        const later = this.queue;
        this.queue = [];
        for (const p of later) this.queuedBytes -= p.bytes;
        for (const p of [...group, ...later]) p.reject(err as Error);
      }
    }
    this.flushing = null;
  }

  /** 'drop-oldest': deletes the oldest segments until `bytes` more fit in the disk budget. */
  private async dropOldestFor(bytes: number): Promise<void> {
    while (this.diskBytes() + bytes > this.maxBytes) {
      const oldest = [...this.sizes.keys()].sort((a, b) => a - b)[0];
      if (oldest === undefined) return;
      if (oldest === this.active.seq) {
        if (this.sizes.get(oldest)! === 0) return; // one group larger than the budget: written all the same
        await this.roll(oldest + 1);
      }
      const from = oldest === this.cursor.seq ? this.cursor.offset : oldest < this.cursor.seq ? Infinity : 0;
      if (from !== Infinity)
        this.stats_.droppedRecords += scan(await readFile(this.segFile(oldest)), from).records.length;
      await this.closeReaderOf(oldest);
      await rm(this.segFile(oldest), { force: true });
      this.sizes.delete(oldest);
      this.started.delete(oldest);
      if (this.cursor.seq <= oldest) await this.saveCursor({ seq: oldest + 1, offset: 0 });
      if (this.readPos.seq <= oldest) this.readPos = { seq: oldest + 1, offset: 0 };
    }
  }

  private async closeReaderOf(seq: number): Promise<void> {
    if (this.reader?.seq === seq) {
      const r = this.reader;
      this.reader = null;
      await r.fh.close();
    }
  }

  private async readerFor(seq: number): Promise<FileHandle> {
    if (this.reader?.seq === seq) return this.reader.fh;
    if (this.reader) await this.reader.fh.close();
    this.reader = null;
    const fh = await open(this.segFile(seq), 'r');
    this.reader = { seq, fh };
    return fh;
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
      const fh = await this.readerFor(seq);
      for (;;) {
        buf = Buffer.allocUnsafe(chunk);
        const { bytesRead } = await fh.read(buf, 0, chunk, offset);
        buf = buf.subarray(0, bytesRead);
        const partial = offset + bytesRead < size;
        res = scan(buf, 0, maxRecords, partial);
        if (res.records.length > 0 || !partial) break;
        chunk = Math.min(size - offset, chunk * 2);
      }
      this.stats_.damagedRecords += res.damaged;
      const records = res.records;
      if (records.length === 0) {
        this.readPos = { seq, offset: size }; // nothing intact left in this segment
        continue;
      }
      const end = { seq, offset: offset + records[records.length - 1]!.end };
      this.readPos = end;
      return { payloads: records.map((r) => r.payload), end };
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
      if (seq < this.cursor.seq) {
        await this.closeReaderOf(seq);
        await rm(this.segFile(seq), { force: true });
        this.sizes.delete(seq);
        this.started.delete(seq);
      }
    }
    if (this.activeDrained()) {
      // everything in the active segment is delivered: the writer starts a new one and deletes this one
      this.rollRequested = true;
      this.flushing ??= this.flush();
    }
  }

  private activeDrained(): boolean {
    const size = this.sizes.get(this.active.seq)!;
    return (
      this.cursor.seq === this.active.seq &&
      this.cursor.offset >= size &&
      size >= Math.min(ROLL_DRAINED_BYTES, this.segmentBytes)
    );
  }

  /** Runs inside flush(), which owns the active file: rolls a fully delivered active segment and deletes it. */
  private async rollDrained(): Promise<void> {
    this.rollRequested = false;
    if (!this.activeDrained()) return;
    const old = this.active.seq;
    await this.roll(old + 1);
    // the cursor (old, its size) now means the same as (old + 1, 0): the recovery treats a missing segment so
    await this.closeReaderOf(old);
    await rm(this.segFile(old), { force: true });
    this.sizes.delete(old);
    this.started.delete(old);
  }

  private async saveCursor(c: { seq: number; offset: number }): Promise<void> {
    this.cursor = { ...c };
    if (this.readPos.seq < c.seq || (this.readPos.seq === c.seq && this.readPos.offset < c.offset))
      this.readPos = { ...c };
    const tmp = `${this.cursorFile()}.tmp`;
    await writeFile(tmp, JSON.stringify(c));
    await rename(tmp, this.cursorFile());
  }

  stats(): SpoolStats {
    const unsent = this.unsentBytes();
    const pendingSeqs = [...this.sizes.keys()].filter((s) => s >= this.cursor.seq).sort((a, b) => a - b);
    const oldest = pendingSeqs[0];
    return {
      bytes: unsent,
      diskBytes: this.diskBytes(),
      segments: this.sizes.size,
      oldestAgeMs:
        unsent > 0 && oldest !== undefined
          ? Math.max(0, Date.now() - (this.started.get(oldest) ?? Date.now()))
          : 0,
      ...this.stats_,
    };
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.reader) await this.reader.fh.close();
    this.reader = null;
    await this.active.fh.close();
  }
}

/** Writes all buffers at the file's end (append mode), looping over short writes. */
async function writeAll(fh: FileHandle, bufs: Buffer[], bytes: number): Promise<void> {
  let { bytesWritten } = await fh.writev(bufs);
  if (bytesWritten === bytes) return;
  const all = Buffer.concat(bufs);
  while (bytesWritten < bytes) {
    const r = await fh.write(all, bytesWritten, bytes - bytesWritten);
    bytesWritten += r.bytesWritten;
  }
}
