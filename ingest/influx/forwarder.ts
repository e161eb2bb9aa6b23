/**
 * Moves readings from the spool to InfluxDB: batches by size and by time, retries with backoff while InfluxDB is
 * away (the spool keeps everything meanwhile), and sends a batch InfluxDB refuses (4xx) to a dead-letter file with
 * the reason, so it is neither retried forever nor silently dropped.
 */
import { appendFile } from 'node:fs/promises';
import { Backoff } from '../retry/backoff.ts';
import type { Spool, SpoolBatch } from '../spool/spool.ts';
import { decodeReadings } from './codec.ts';
import type { Reading } from './line-protocol.ts';
import type { ReadingTarget } from './reading-target.ts';
import { WriteError } from './targets.ts';

export interface ForwarderOptions {
  spool: Spool;
  target: ReadingTarget;
  /** file where refused batches go, one JSON object per line */
  deadLetterFile: string;
  /** lines per write */
  maxLines?: number;
  /** a smaller batch is sent once it has waited this long */
  flushIntervalMs?: number;
  backoff?: Backoff;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export interface ForwarderStats {
  linesWritten: number;
  writes: number;
  retries: number;
  deadLetteredLines: number;
  deadLetteredBatches: number;
  lastError: string | null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

export class Forwarder {
  readonly stats: ForwarderStats = {
    linesWritten: 0,
    writes: 0,
    retries: 0,
    deadLetteredLines: 0,
    deadLetteredBatches: 0,
    lastError: null,
  };
  private readonly maxLines: number;
  private readonly flushIntervalMs: number;
  private readonly backoff: Backoff;
  private loop: Promise<void> | null = null;
  private readonly stopper = new AbortController();

  constructor(private readonly o: ForwarderOptions) {
    this.maxLines = o.maxLines ?? 5000;
    this.flushIntervalMs = o.flushIntervalMs ?? 1000;
    this.backoff = o.backoff ?? new Backoff();
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops after the write in progress, then tries once more to deliver what is left (no waiting). */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
    this.loop = null;
    try {
      while ((await this.sendOnce()) > 0) {
        // drain
      }
    } catch (err) {
      this.o.log?.('warn', 'InfluxDB unavailable at shutdown; the spool keeps the rest for the next start', {
        error: (err as Error).message,
      });
    }
  }

  private async run(): Promise<void> {
    const signal = this.stopper.signal;
    while (!signal.aborted) {
      try {
        // a full batch goes at once and the next is read right away; a smaller one waits for flushIntervalMs
        const n = await this.sendOnce();
        if (n < this.maxLines) await sleep(this.flushIntervalMs, signal);
      } catch (err) {
        const e = err as WriteError;
        this.stats.retries++;
        this.stats.lastError = e.message;
        const delay = this.backoff.next(e.retryAfterMs);
        this.o.log?.('warn', 'InfluxDB write failed; will retry', { error: e.message, retryInMs: delay });
        this.o.spool.rewind();
        await sleep(delay, signal);
      }
    }
  }

  /** Sends one batch of at most maxLines; returns the lines taken off the spool. Throws a retryable WriteError. */
  async sendOnce(): Promise<number> {
    const lines: Reading[] = [];
    let last: SpoolBatch | null = null;
    while (lines.length < this.maxLines) {
      const b = await this.o.spool.next(Math.max(1, Math.ceil((this.maxLines - lines.length) / 4)));
      if (b === null) break;
      last = b;
      for (const p of b.payloads) {
        lines.push(...decodeReadings(p));
      }
    }
    if (last === null) return 0;
    try {
      await this.o.target.writeReadings(lines);
      this.stats.writes++;
      this.stats.linesWritten += lines.length;
      this.backoff.reset();
    } catch (err) {
      if (!(err instanceof WriteError) || err.retryable) {
        throw err instanceof WriteError ? err : new WriteError((err as Error).message, true);
      }
      await this.deadLetter(lines, err);
    }
    await this.o.spool.ack(last);
    return lines.length;
  }

  private async deadLetter(lines: Reading[], err: WriteError): Promise<void> {
    const entry = {
      time: new Date().toISOString(),
      target: this.o.target.description,
      status: err.status,
      reason: err.message,
      readings: lines,
    };
    await appendFile(this.o.deadLetterFile, `${JSON.stringify(entry)}\n`);
    this.stats.deadLetteredBatches++;
    this.stats.deadLetteredLines += lines.length;
    this.stats.lastError = err.message;
    this.o.log?.('error', 'InfluxDB refused a batch; written to the dead-letter file', {
      file: this.o.deadLetterFile,
      lines: lines.length,
      reason: err.message,
    });
  }
}
