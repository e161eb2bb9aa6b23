/**
 * A dead-letter file: one JSON object per line, with what was refused, where it came from and why. Its folder is
 * created when missing. It has a size budget: past it, entries are not written but counted (`overflow`, exported as
 * plantkpi_dead_letter_overflow_total) and a warning is logged at most once a minute, so a flood of bad payloads
 * cannot fill the disk. Writes go one at a time, in order.
 */
import { appendFile, mkdir, stat } from 'node:fs/promises';
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
}

const MAX_PAYLOAD = 64 * 1024;
export const DEFAULT_DEAD_LETTER_MAX_BYTES = 256 * 1024 * 1024;
const WARN_EVERY_MS = 60_000;

export class DeadLetterFile {
  /** entries written */
  count = 0;
  /** entries not written because the file was past its budget */
  overflow = 0;
  readonly maxBytes: number;
  private queue: Promise<unknown> = Promise.resolve();
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
    const run = this.queue.then(() => this.appendNow(line));
    this.queue = run.catch(() => {});
    return run;
  }

  private async appendNow(line: string): Promise<boolean> {
    const bytes = Buffer.byteLength(line);
    // the file's real size each time: a replay may have shrunk it meanwhile
    const size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    if (size + bytes > this.maxBytes) {
      this.overflow++;
      this.warnFull(size);
      return false;
    }
    try {
      await appendFile(this.file, line);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(path.dirname(this.file), { recursive: true });
      await appendFile(this.file, line);
    }
    this.count++;
    return true;
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
