/**
 * Where line protocol goes: InfluxDB 1.x through its v1 /write endpoint (database, retention policy, user), or
 * InfluxDB 2.x/3.x through @influxdata/influxdb-client's write API (token, org, bucket). Both gzip and both turn
 * failures into a WriteError that says whether to retry: network trouble, 5xx, 429 and 503 are retried; any other
 * 4xx is the data's fault (a field type conflict, a bad line) and goes to the dead-letter file instead.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { HttpError, InfluxDB } from '@influxdata/influxdb-client';

const gzipAsync = promisify(gzip);

export class WriteError extends Error {
  constructor(
    message: string,
    /** true: try again later; false: the server refused this data, do not send it again */
    readonly retryable: boolean,
    readonly status?: number,
    /** server's Retry-After, ms */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

export interface WriteTarget {
  /** a description without secrets, for logs */
  readonly description: string;
  write(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface V1Options {
  url: string;
  database: string;
  retentionPolicy?: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
}

function classify(status: number, body: string, retryAfter: string | null): WriteError {
  const retryable = status >= 500 || status === 429 || status === 408;
  const after = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
  return new WriteError(
    `InfluxDB answered ${status}: ${body.trim().slice(0, 500)}`,
    retryable,
    status,
    after,
  );
}

export class V1WriteTarget implements WriteTarget {
  readonly description: string;
  constructor(private readonly o: V1Options) {
    this.description = `InfluxDB v1 ${o.url} db=${o.database}${o.retentionPolicy ? ` rp=${o.retentionPolicy}` : ''}`;
  }

  async write(lines: readonly string[]): Promise<void> {
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
    const body = await gzipAsync(Buffer.from(lines.join('\n')));
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
    throw classify(res.status, await res.text().catch(() => ''), res.headers.get('retry-after'));
  }

  async close(): Promise<void> {}
}

export interface V2Options {
  url: string;
  token: string;
  org: string;
  bucket: string;
  timeoutMs?: number;
}

export class V2WriteTarget implements WriteTarget {
  readonly description: string;
  private readonly client: InfluxDB;
  constructor(private readonly o: V2Options) {
    this.description = `InfluxDB v2 ${o.url} org=${o.org} bucket=${o.bucket}`;
    this.client = new InfluxDB({ url: o.url, token: o.token, timeout: o.timeoutMs ?? 30_000 });
  }

  async write(lines: readonly string[]): Promise<void> {
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
        );
      }
      throw new WriteError(`cannot write to ${this.o.url}: ${(err as Error).message}`, true);
    }
  }

  async close(): Promise<void> {}
}
