/**
 * Where line protocol goes: InfluxDB 1.x through its v1 /write endpoint (database, retention policy, user), or
 * InfluxDB 2.x/3.x through @influxdata/influxdb-client's write API (token, org, bucket). Both gzip and both turn
 * failures into a WriteError of a kind (write-error.ts): transient (network, 5xx, 429) and config (404 database or
 * bucket not found, 401, 403) are retried; data (a field type conflict, points beyond the retention policy, a bad
 * line) is not. When InfluxDB refuses only some points of a batch, write() finds exactly which (partial.ts) and
 * throws a PartialWriteError naming them by index: every other line is then stored.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { HttpError, InfluxDB } from '@influxdata/influxdb-client';
import { deliver, lineTime } from './partial.ts';
import { classify, PartialWriteError, WriteError, type WriteWhere } from './write-error.ts';

export {
  PartialWriteError,
  type RefusedPoint,
  WriteError,
  type WriteErrorKind,
} from './write-error.ts';

const gzipAsync = promisify(gzip);

export interface WriteTarget {
  /** a description without secrets, for logs */
  readonly description: string;
  /**
   * Resolves when every line is stored. Throws a WriteError: retryable (transient or config) when nothing can be
   * said about what was stored; a PartialWriteError when some lines were refused (and the rest stored).
   */
  write(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

interface CommonOptions {
  timeoutMs?: number;
  /**
   * On a refused batch, find exactly which lines were refused (bisecting where InfluxDB does not say) and throw a
   * PartialWriteError naming them (default). false: throw InfluxDB's answer as it is.
   */
  resolvePartial?: boolean;
}

export interface V1Options extends CommonOptions {
  url: string;
  database: string;
  retentionPolicy?: string;
  username?: string;
  password?: string;
}

/** write() for both targets: one request, and on a refusal, the search for exactly the refused lines. */
async function writeResolving(
  lines: readonly string[],
  send: (lines: readonly string[]) => Promise<void>,
  resolve: boolean,
): Promise<void> {
  if (lines.length === 0) return;
  if (!resolve) return send(lines);
  const r = await deliver(lines, send, { lineOf: (l) => l, timeOf: lineTime });
  if (r.refused.length === 0 || r.firstError === undefined) return;
  throw new PartialWriteError(r.firstError, r.refused, lines.length, r.expectedRefused, r.requests);
}

export class V1WriteTarget implements WriteTarget {
  readonly description: string;
  private readonly where: WriteWhere;
  constructor(private readonly o: V1Options) {
    this.description = `InfluxDB v1 ${o.url} db=${o.database}${o.retentionPolicy ? ` rp=${o.retentionPolicy}` : ''}`;
    this.where = {
      api: 1,
      database: o.database,
      ...(o.retentionPolicy !== undefined ? { retentionPolicy: o.retentionPolicy } : {}),
      ...(o.username !== undefined ? { username: o.username } : {}),
    };
  }

  write(lines: readonly string[]): Promise<void> {
    return writeResolving(lines, (l) => this.send(l), this.o.resolvePartial ?? true);
  }

  /** one request */
  private async send(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const params = new URLSearchParams({ db: this.o.database, precision: 'ms' });
    if (this.o.retentionPolicy) params.set('rp', this.o.retentionPolicy);
    const headers: Record<string, string> = {
      'Content-Encoding': 'gzip',
      'Content-Type': 'text/plain; charset=utf-8',
    };
    if (this.o.username !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(`${this.o.username}:${this.o.password ?? ''}`).toString('base64')}`;
    }
    // level 1: a fraction of the default level's CPU, and line protocol still shrinks several times
    const body = await gzipAsync(Buffer.from(lines.join('\n')), { level: 1 });
    let res: Response;
    try {
      res = await fetch(`${this.o.url.replace(/\/$/, '')}/write?${params}`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new WriteError(`cannot reach ${this.o.url}: ${(err as Error).message}`, true);
    }
    if (res.status === 204 || res.status === 200) return;
    throw classify(res.status, await res.text().catch(() => ''), res.headers.get('retry-after'), this.where);
  }

  async close(): Promise<void> {}
}

export interface V2Options extends CommonOptions {
  url: string;
  token: string;
  org: string;
  bucket: string;
}

export class V2WriteTarget implements WriteTarget {
  readonly description: string;
  private readonly client: InfluxDB;
  private readonly where: WriteWhere;
  constructor(private readonly o: V2Options) {
    this.description = `InfluxDB v2 ${o.url} org=${o.org} bucket=${o.bucket}`;
    this.client = new InfluxDB({ url: o.url, token: o.token, timeout: o.timeoutMs ?? 30_000 });
    this.where = { api: 2, org: o.org, bucket: o.bucket };
  }

  write(lines: readonly string[]): Promise<void> {
    return writeResolving(lines, (l) => this.send(l), this.o.resolvePartial ?? true);
  }

  /** one request */
  private async send(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    // one write API per batch, no retries of its own: the spool and its backoff own retrying
    const api = this.client.getWriteApi(this.o.org, this.o.bucket, 'ms', {
      batchSize: lines.length + 1,
      flushInterval: 0,
      maxRetries: 0,
      gzipThreshold: 0,
      maxBufferLines: lines.length + 1,
      writeFailed: (error: Error) => Promise.reject(error),
    });
    api.writeRecords(lines as string[]);
    try {
      await api.close();
    } catch (err) {
      if (err instanceof HttpError) {
        throw classify(
          err.statusCode,
          err.body ?? err.message,
          err.headers?.['retry-after']?.toString() ?? null,
          this.where,
        );
      }
      throw new WriteError(`cannot write to ${this.o.url}: ${(err as Error).message}`, true);
    }
  }

  async close(): Promise<void> {}
}
