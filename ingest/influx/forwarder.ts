/**
 * Moves readings from the spool to InfluxDB: batches by size and by time, and judges every failure by its kind
 * (write-error.ts):
 *   transient (InfluxDB away, 5xx)          retried with backoff; the spool keeps everything meanwhile
 *   config (database missing, 401, 403)     retried with backoff too, logged at error level with what to do; never
 *                                           dead-lettered: once somebody fixes it, everything is delivered
 *   data (field type conflict, points beyond the retention policy, a bad line)
 *                                           only the refused readings go to the dead-letter file with the reason;
 *                                           the rest of the batch counts as stored (partial.ts finds which)
 * `stats.failingSinceMs` is set at the first failure in a row and cleared by the next delivered batch; /health
 * turns it into "degraded" after collector.influxDegradedAfterMs.
 */

import { deliver } from '../../store/influx/partial.ts';
import {
  asWriteError,
  type RefusedPoint,
  WriteError,
  type WriteErrorKind,
} from '../../store/influx/write-error.ts';
import type { Reading, ReadingWriter } from '../../store/port.ts';
import { DeadLetterFile } from '../dead-letter.ts';
import { Backoff } from '../retry/backoff.ts';
import { sleep } from '../retry/sleep.ts';
import type { Spool, SpoolBatch } from '../spool/spool.ts';
import { decodeReadings } from './codec.ts';

export interface ForwarderOptions {
  spool: Spool;
  /** where readings go: the InfluxDB store, or the embedded one (the store port's narrow write side) */
  store: ReadingWriter;
  /** file where refused readings go, one JSON object per line (its folder is created) */
  deadLetterFile: string;
  /** size budget of the dead-letter file (collector.deadLetterMaxBytes; default 256 MiB) */
  deadLetterMaxBytes?: number;
  /** lines per write */
  maxLines?: number;
  /** a smaller batch is sent once it has waited this long */
  flushIntervalMs?: number;
  backoff?: Backoff;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export interface ForwarderStats {
  /** readings stored (the good ones of a partial write included) */
  linesWritten: number;
  writes: number;
  retries: number;
  /** readings InfluxDB refused, written to the dead-letter file */
  deadLetteredLines: number;
  /** batches with at least one refused reading */
  deadLetteredBatches: number;
  /** batches InfluxDB stored only in part (some readings refused, the others stored) */
  partialWrites: number;
  /** refused readings not written because the dead-letter file was past its budget */
  deadLetterOverflow: number;
  lastError: string | null;
  /** kind of the last error: transient (InfluxDB away), config (fix InfluxDB or the config), data (refused points) */
  lastErrorKind: WriteErrorKind | null;
  /** what to do about the last config problem */
  lastErrorHint: string | null;
  /** epoch ms of the first failed write in the current run of failures; null once a batch is delivered */
  failingSinceMs: number | null;
}

/** One line of the refused file. */
export interface RefusedEntry {
  time: string;
  target: string;
  status?: number;
  reason: string;
  readings: Reading[];
}

/** Refused points grouped by reason (one dead-letter entry each). */
export function groupRefused<T>(
  items: readonly T[],
  refused: readonly RefusedPoint[],
): { reason: string; status?: number; items: T[] }[] {
  const groups = new Map<string, { reason: string; status?: number; items: T[] }>();
  for (const r of refused) {
    const key = `${r.status ?? ''} ${r.reason}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { reason: r.reason, ...(r.status !== undefined ? { status: r.status } : {}), items: [] };
      groups.set(key, g);
    }
    g.items.push(items[r.index]!);
  }
  return [...groups.values()];
}

export class Forwarder {
  readonly stats: ForwarderStats = {
    linesWritten: 0,
    writes: 0,
    retries: 0,
    deadLetteredLines: 0,
    deadLetteredBatches: 0,
    partialWrites: 0,
    deadLetterOverflow: 0,
    lastError: null,
    lastErrorKind: null,
    lastErrorHint: null,
    failingSinceMs: null,
  };
  /** the refused file (its `overflow` counts entries past the budget) */
  readonly deadLetters: DeadLetterFile;
  private readonly maxLines: number;
  private readonly flushIntervalMs: number;
  private readonly backoff: Backoff;
  private loop: Promise<void> | null = null;
  private readonly stopper = new AbortController();

  constructor(private readonly o: ForwarderOptions) {
    this.maxLines = o.maxLines ?? 5000;
    this.flushIntervalMs = o.flushIntervalMs ?? 1000;
    this.backoff = o.backoff ?? new Backoff();
    this.deadLetters = new DeadLetterFile(o.deadLetterFile, {
      ...(o.deadLetterMaxBytes !== undefined ? { maxBytes: o.deadLetterMaxBytes } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
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
        const e = asWriteError(err);
        this.stats.retries++;
        const delay = this.backoff.next(e.retryAfterMs);
        const failingForMs = Date.now() - (this.stats.failingSinceMs ?? Date.now());
        if (e.kind === 'config') {
          this.o.log?.('error', `InfluxDB refuses writes until this is fixed: ${e.hint}`, {
            target: this.o.store.description,
            reason: e.message,
            fix: e.hint,
            failingForMs,
            retryInMs: delay,
            note: 'readings wait in the spool and are delivered once fixed; nothing is dead-lettered',
          });
        } else {
          this.o.log?.('warn', 'InfluxDB write failed; will retry', {
            error: e.message,
            failingForMs,
            retryInMs: delay,
          });
        }
        this.o.spool.rewind();
        await sleep(delay, signal);
      }
    }
  }

  /**
   * Sends one batch of at most maxLines; returns the readings taken off the spool (stored or dead-lettered).
   * Throws a retryable WriteError (transient or config): the batch stays in the spool.
   */
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
      // a reading without a finite value can never be written (NaN is null in the spool's JSON): it would block
      const finite = (r: Reading) => typeof r.value === 'number' && Number.isFinite(r.value);
      const ok = lines.filter(finite);
      const refused: { reason: string; status?: number; items: Reading[] }[] = [];
      if (ok.length < lines.length) {
        refused.push({ reason: 'value is not a finite number', items: lines.filter((r) => !finite(r)) });
      }
      let stored = 0;
      let partial = false;
      if (ok.length > 0) {
        const r = await deliver(ok, (batch) => this.o.store.write(batch), {
          timeOf: (x) => x.timeMs,
        });
        stored = r.stored;
        if (r.refused.length > 0) {
          partial = r.stored > 0;
          refused.push(...groupRefused(ok, r.refused));
          if (r.expectedRefused !== undefined && r.expectedRefused !== r.refused.length) {
            this.o.log?.('warn', 'InfluxDB counted a different number of refused points than were found', {
              said: r.expectedRefused,
              found: r.refused.length,
              note: 'each reading counted as stored was answered 2xx, each dead-lettered one was refused',
            });
          }
          this.stats.lastError = r.firstError?.message ?? null;
          this.stats.lastErrorKind = 'data';
          this.stats.lastErrorHint = r.firstError?.hint ?? null;
          this.o.log?.('error', 'InfluxDB refused readings; written to the dead-letter file', {
            file: this.o.deadLetterFile,
            refused: r.refused.length,
            stored: r.stored,
            requests: r.requests,
            reasons: [...new Set(r.refused.map((x) => x.reason))].slice(0, 5),
          });
        }
      }
      if (refused.length > 0) await this.deadLetter(refused);
      this.stats.linesWritten += stored;
      if (partial) this.stats.partialWrites++;
      this.stats.writes++;
    } catch (err) {
      const e = asWriteError(err);
      this.noteFailure(e);
      throw e;
    }
    await this.o.spool.ack(last);
    this.noteDelivered();
    return lines.length;
  }

  private noteFailure(e: WriteError): void {
    this.stats.failingSinceMs ??= Date.now();
    this.stats.lastError = e.message;
    this.stats.lastErrorKind = e.kind;
    this.stats.lastErrorHint = e.hint ?? null;
  }

  private noteDelivered(): void {
    if (this.stats.failingSinceMs !== null) {
      this.o.log?.('info', 'InfluxDB writes work again', {
        target: this.o.store.description,
        failedForMs: Date.now() - this.stats.failingSinceMs,
      });
    }
    this.stats.failingSinceMs = null;
    this.backoff.reset();
  }

  private async deadLetter(groups: { reason: string; status?: number; items: Reading[] }[]): Promise<void> {
    let kept = 0;
    let overflow = 0;
    for (const g of groups) {
      const entry: RefusedEntry = {
        time: new Date().toISOString(),
        target: this.o.store.description,
        ...(g.status !== undefined ? { status: g.status } : {}),
        reason: g.reason,
        readings: g.items,
      };
      let written: boolean;
      try {
        written = await this.deadLetters.append(entry);
      } catch (err) {
        // the refused readings would be lost: keep the batch in the spool and say what to fix
        throw new WriteError(
          `cannot write the dead-letter file ${this.o.deadLetterFile}: ${(err as Error).message}`,
          true,
          undefined,
          undefined,
          { kind: 'config', hint: `make ${this.o.deadLetterFile} writable (collector.deadLetterDir)` },
        );
      }
      if (written) kept += g.items.length;
      else overflow += g.items.length;
    }
    this.stats.deadLetteredLines += kept;
    this.stats.deadLetterOverflow += overflow;
    if (kept + overflow > 0) this.stats.deadLetteredBatches++;
  }
}
