/**
 * The store port on InfluxDB. Reads use InfluxQL over /query, which InfluxDB 1.x answers natively, 2.x through its
 * v1-compatible endpoint (with a DBRP mapping and a token), and 3.x likewise. Writes go through a WriteTarget
 * (v1 /write or the v2 write API). Responses are read in chunks, so a long range never sits in one JSON document.
 */

import { EXIT, type ExitCode, PlantkpiError } from '../../config/errors.ts';
import type {
  AggregateReads,
  Around,
  LineWrites,
  Reading,
  ReadingWriter,
  Sample,
  Series,
  SeriesStore,
} from '../port.ts';
import { readingLine } from './line-protocol.ts';
import type { WriteTarget } from './targets.ts';
import { WriteError } from './write-error.ts';

export interface InfluxQueryOptions {
  url: string;
  database: string;
  retentionPolicy?: string;
  /** InfluxDB 1.x user */
  username?: string;
  password?: string;
  /** InfluxDB 2.x/3.x token for the v1-compatible query endpoint */
  token?: string;
  /** tag `site` of the readings; the store sees only this site's */
  site: string;
  timeoutMs?: number;
  /**
   * lines per write request (influx.batchLines; default 5000). A refused request names its refused readings by
   * their place in that request, so the collector's forwarder never sends more than this in one write().
   */
  batchLines?: number;
}

const MEASUREMENT = 'reading';
/** the largest time InfluxDB can hold, as an explicit upper bound (queries without one stop at now()) */
const MAX_TIME_MS = 9_223_372_036_853;
const MIN_TIME_MS = -9_223_372_036_853;

export function quoteString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function quoteIdent(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

interface InfluxSeries {
  name: string;
  columns: string[];
  values: unknown[][];
  tags?: Record<string, string>;
}

/** A query failed: retryable (exit 6) when InfluxDB could not be reached or was busy, else exit 1. */
export class InfluxQueryError extends PlantkpiError {
  readonly exitCode: ExitCode;
  override name = 'InfluxQueryError';
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.exitCode = retryable ? EXIT.unavailable : EXIT.failure;
  }
}

export class InfluxStore implements SeriesStore, AggregateReads, ReadingWriter, LineWrites {
  constructor(
    private readonly q: InfluxQueryOptions,
    private readonly target: WriteTarget,
  ) {}

  /** the write target's description (no secrets) */
  get description(): string {
    return this.target.description;
  }

  /** Other measurements (the collector's health, job outcomes) as line protocol, through the same target. */
  writeLines(lines: readonly string[]): Promise<void> {
    return this.target.write(lines);
  }

  private from(): string {
    // the database comes with the request (db=); 2.x/3.x map it to a bucket
    const rp = this.q.retentionPolicy ? `${quoteIdent(this.q.retentionPolicy)}.` : '';
    return `${rp}${quoteIdent(MEASUREMENT)}`;
  }

  private where(signal: string, cond: string): string {
    return `WHERE "site" = ${quoteString(this.q.site)} AND "signal" = ${quoteString(signal)} AND ${cond}`;
  }

  /** Runs InfluxQL, chunked; returns every series of every chunk. */
  async query(influxql: string): Promise<InfluxSeries[]> {
    const params = new URLSearchParams({
      q: influxql,
      db: this.q.database,
      epoch: 'ms',
      chunked: 'true',
      chunk_size: '20000',
    });
    if (this.q.retentionPolicy) params.set('rp', this.q.retentionPolicy);
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (this.q.token) headers.Authorization = `Token ${this.q.token}`;
    else if (this.q.username !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(`${this.q.username}:${this.q.password ?? ''}`).toString('base64')}`;
    }
    let res: Response;
    try {
      res = await fetch(`${this.q.url.replace(/\/$/, '')}/query`, {
        method: 'POST',
        headers,
        body: params,
        signal: AbortSignal.timeout(this.q.timeoutMs ?? 120_000),
      });
    } catch (err) {
      throw new InfluxQueryError(`cannot reach InfluxDB at ${this.q.url}: ${(err as Error).message}`, true);
    }
    const text = await res.text();
    if (!res.ok) {
      const busy = res.status >= 500 || res.status === 429 || res.status === 408;
      throw new InfluxQueryError(`InfluxDB answered ${res.status} to a query: ${text.slice(0, 300)}`, busy);
    }
    const out: InfluxSeries[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const doc = JSON.parse(line) as {
        results?: { error?: string; series?: InfluxSeries[] }[];
        error?: string;
      };
      if (doc.error) throw new InfluxQueryError(`InfluxQL error: ${doc.error} (query: ${influxql})`);
      for (const r of doc.results ?? []) {
        if (r.error) throw new InfluxQueryError(`InfluxQL error: ${r.error} (query: ${influxql})`);
        out.push(...(r.series ?? []));
      }
    }
    return out;
  }

  /**
   * Writes readings as line protocol (quality included), at most batchLines per request. A reading that can never
   * be written (no signal, a time or value that is not finite) is refused as data (a WriteError that is not
   * retried) before anything is sent.
   */
  async write(readings: readonly Reading[]): Promise<void> {
    const lines: string[] = [];
    for (const p of readings) {
      if (!p.signal) throw new WriteError(`point without a signal at ${p.timeMs}`, false);
      if (!Number.isFinite(p.timeMs) || !Number.isFinite(p.value)) {
        throw new WriteError(
          `point ${p.signal} at ${p.timeMs}: time and value must be finite numbers`,
          false,
        );
      }
      lines.push(readingLine(this.q.site, p));
    }
    const batch = this.q.batchLines ?? 5000;
    for (let i = 0; i < lines.length; i += batch) await this.target.write(lines.slice(i, i + batch));
  }

  async readRange(signal: string, fromMs: number, toMs: number): Promise<Series> {
    if (toMs <= fromMs) return { times: new Float64Array(0), values: new Float64Array(0) };
    const series = await this.query(
      `SELECT "value" FROM ${this.from()} ${this.where(signal, `time >= ${ms(fromMs)} AND time < ${ms(toMs)}`)}`,
    );
    let n = 0;
    for (const s of series) n += s.values.length;
    const times = new Float64Array(n);
    const values = new Float64Array(n);
    let k = 0;
    for (const s of series) {
      for (const row of s.values) {
        times[k] = row[0] as number;
        values[k] = row[1] as number;
        k++;
      }
    }
    return { times, values };
  }

  private async one(fn: 'first' | 'last', signal: string, cond: string): Promise<Sample | null> {
    const series = await this.query(`SELECT ${fn}("value") FROM ${this.from()} ${this.where(signal, cond)}`);
    const row = series[0]?.values[0];
    return row ? { timeMs: row[0] as number, value: row[1] as number } : null;
  }

  lastAtOrBefore(signal: string, atMs: number): Promise<Sample | null> {
    return this.one('last', signal, `time >= ${ms(MIN_TIME_MS)} AND time <= ${ms(atMs)}`);
  }

  firstAtOrAfter(signal: string, atMs: number): Promise<Sample | null> {
    return this.one('first', signal, `time >= ${ms(atMs)} AND time <= ${ms(MAX_TIME_MS)}`);
  }

  async count(signal: string, fromMs: number, toMs: number): Promise<number> {
    if (toMs <= fromMs) return 0;
    const series = await this.query(
      `SELECT count("value") FROM ${this.from()} ${this.where(signal, `time >= ${ms(fromMs)} AND time < ${ms(toMs)}`)}`,
    );
    return (series[0]?.values[0]?.[1] as number | undefined) ?? 0;
  }

  async signals(): Promise<string[]> {
    const series = await this.query(
      `SHOW TAG VALUES FROM ${quoteIdent(MEASUREMENT)} WITH KEY = "signal" WHERE "site" = ${quoteString(this.q.site)}`,
    );
    const out = new Set<string>();
    for (const s of series) for (const row of s.values) out.add(row[1] as string);
    return [...out].sort();
  }

  private siteWhere(cond: string): string {
    return `WHERE "site" = ${quoteString(this.q.site)} AND ${cond}`;
  }

  /** series grouped by signal -> the first row of each */
  private async bySignal(q: string): Promise<Map<string, unknown[]>> {
    const out = new Map<string, unknown[]>();
    for (const s of await this.query(q)) {
      const signal = s.tags?.signal;
      const row = s.values[0];
      if (signal !== undefined && row !== undefined) out.set(signal, row);
    }
    return out;
  }

  async around(atMs: number, lookMs: number): Promise<Map<string, Around>> {
    const [before, after] = await Promise.all([
      this.bySignal(
        `SELECT last("value") FROM ${this.from()} ${this.siteWhere(`time >= ${ms(atMs - lookMs)} AND time <= ${ms(atMs)}`)} GROUP BY "signal"`,
      ),
      this.bySignal(
        `SELECT first("value") FROM ${this.from()} ${this.siteWhere(`time >= ${ms(atMs)} AND time <= ${ms(atMs + lookMs)}`)} GROUP BY "signal"`,
      ),
    ]);
    const out = new Map<string, Around>();
    const sample = (row: unknown[] | undefined): Sample | null =>
      row ? { timeMs: row[0] as number, value: row[1] as number } : null;
    for (const signal of new Set([...before.keys(), ...after.keys()])) {
      out.set(signal, { before: sample(before.get(signal)), after: sample(after.get(signal)) });
    }
    return out;
  }

  async decreases(fromMs: number, toMs: number): Promise<Map<string, number>> {
    const inner = `SELECT difference("value") AS "d" FROM ${this.from()} ${this.siteWhere(`time >= ${ms(fromMs)} AND time <= ${ms(toMs)}`)} GROUP BY "signal"`;
    const rows = await this.bySignal(`SELECT count("d") FROM (${inner}) WHERE "d" < 0 GROUP BY "signal"`);
    return new Map([...rows].map(([k, row]) => [k, row[1] as number]));
  }

  async counts(fromMs: number, toMs: number): Promise<Map<string, number>> {
    const rows = await this.bySignal(
      `SELECT count("value") FROM ${this.from()} ${this.siteWhere(`time >= ${ms(fromMs)} AND time < ${ms(toMs)}`)} GROUP BY "signal"`,
    );
    return new Map([...rows].map(([k, row]) => [k, row[1] as number]));
  }

  async close(): Promise<void> {
    await this.target.close();
  }
}

function ms(t: number): string {
  return `${Math.round(t)}ms`;
}
