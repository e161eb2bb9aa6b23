/**
 * A dead-letter file: one JSON object per line, with what was refused, where it came from and why. Its folder is
 * created when missing. It has a size budget: past it, entries are not written but counted (`overflow`, exported as
 * plantkpi_dead_letter_overflow_total) and a warning is logged at most once a minute, so a flood of bad payloads
 * cannot fill the disk. Entries are written in order, in groups: the entries that arrive while a group is being
 * written go together in the next one, one write and one fdatasync per group (group commit, as the spool does), so
 * an entry's promise resolves only once it is on disk: a collector acknowledges a refused message only then, and
 * nothing it acknowledged is lost to a crash. A file created by the write has its folder fsynced too.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';

export interface DeadLetter {
  source: string;
  reason: string;
  /** e.g. the MQTT topic or the OPC UA node */
  origin?: string;
  /** the payload as text (UTF-8) or base64 when it is not text; cut at 64 KiB */
  payload?: Buffer | string;
}

export interface DeadLetterOptions {
  /** size budget of the file in bytes (default 256 MiB) */
  maxBytes?: number;
  log?: (level: 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** clock, for tests */
  now?: () => number;
  /** fdatasync each group of entries (default true; off only in benchmarks, as the spool's fsync) */
  fsync?: boolean;
}

const MAX_PAYLOAD = 64 * 1024;
export const DEFAULT_DEAD_LETTER_MAX_BYTES = 256 * 1024 * 1024;
const WARN_EVERY_MS = 60_000;

export class DeadLetterFile {
  /** entries written */
  count = 0;
  /** entries not written because the file was past its budget */
  overflow = 0;
  /** groups written (each one write and one fdatasync) */
  groups = 0;
  readonly maxBytes: number;
  private pending: { line: string; resolve: (written: boolean) => void; reject: (err: unknown) => void }[] =
    [];
  private flushing = false;
  private lastWarnMs = Number.NEGATIVE_INFINITY;
  private overflowAtWarn = 0;

  constructor(
    readonly file: string,
    private readonly o: DeadLetterOptions = {},
  ) {
    this.maxBytes = o.maxBytes ?? DEFAULT_DEAD_LETTER_MAX_BYTES;
  }

  /** Writes a refused source payload. */
  async write(d: DeadLetter): Promise<void> {
    let payload: string | undefined;
    let encoding: 'utf8' | 'base64' | undefined;
    if (d.payload !== undefined) {
      const buf = typeof d.payload === 'string' ? Buffer.from(d.payload) : d.payload;
      const cut = buf.subarray(0, MAX_PAYLOAD);
      const text = cut.toString('utf8');
      encoding = Buffer.from(text, 'utf8').equals(cut) ? 'utf8' : 'base64';
      payload = encoding === 'utf8' ? text : cut.toString('base64');
    }
    await this.append({
      time: new Date().toISOString(),
      source: d.source,
      ...(d.origin !== undefined ? { origin: d.origin } : {}),
      reason: d.reason,
      ...(payload !== undefined ? { payload, encoding } : {}),
    });
  }

  /**
   * Appends one entry (any JSON object). Resolves true when written, false when the budget was full (counted in
   * `overflow`). Rejects when the file cannot be written (permissions, disk): the caller decides.
   */
  append(entry: object): Promise<boolean> {
    const line = `${JSON.stringify(entry)}\n`;
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ line, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Writes what is pending, group after group, until nothing is. */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const group = this.pending;
        this.pending = [];
        try {
          const written = await this.writeGroup(group.map((g) => g.line));
          for (const [i, g] of group.entries()) g.resolve(written[i]!);
        } catch (err) {
          for (const g of group) g.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Appends the lines that fit the budget, in order; says for each whether it was written. */
  private async writeGroup(lines: string[]): Promise<boolean[]> {
    // the file's real size each time: a replay may have shrunk it meanwhile
    const before = await stat(this.file).then(
      (s) => s.size,
      () => null,
    );
    let size = before ?? 0;
    const written: boolean[] = [];
    const parts: Buffer[] = [];
    for (const line of lines) {
      const b = Buffer.from(line, 'utf8');
      if (size + b.length > this.maxBytes) {
        this.overflow++;
        this.warnFull(size);
        written.push(false);
        continue;
      }
      size += b.length;
      parts.push(b);
      written.push(true);
    }
    if (parts.length === 0) return written;
    if (before === null) await mkdir(path.dirname(this.file), { recursive: true });
    const fh = await open(this.file, 'a').catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      // its folder removed since the stat
      await mkdir(path.dirname(this.file), { recursive: true });
      return open(this.file, 'a');
    });
    try {
      await fh.write(Buffer.concat(parts));
      if (this.o.fsync !== false) await fh.datasync();
    } finally {
      await fh.close();
    }
    // a new file: its name is on disk only once its folder is synced
    if (before === null && this.o.fsync !== false) await syncDir(path.dirname(this.file));
    this.count += parts.length;
    this.groups++;
    return written;
  }

  private warnFull(size: number): void {
    const now = (this.o.now ?? Date.now)();
    if (now - this.lastWarnMs < WARN_EVERY_MS) return;
    this.o.log?.('warn', 'dead-letter file is past its size budget: entries are counted, not written', {
      file: this.file,
      bytes: size,
      maxBytes: this.maxBytes,
      overflow: this.overflow,
      overflowSinceLastWarning: this.overflow - this.overflowAtWarn,
      fix: 'look at the file, replay or move it away (plantkpi deadletter replay), or raise collector.deadLetterMaxBytes',
    });
    this.lastWarnMs = now;
    this.overflowAtWarn = this.overflow;
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
