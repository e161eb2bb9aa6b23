/**
 * How a failed InfluxDB write is judged, in one place. Three kinds:
 *   transient  network trouble, 5xx, 408, 429: try again later; the spool keeps the readings meanwhile
 *   config     404 database/bucket not found, 401, 403, a missing retention policy: nothing is wrong with the data,
 *              somebody must fix InfluxDB or the config; retried with backoff (never dead-lettered), and the error
 *              says what to do (`hint`)
 *   data       any other 4xx (a field type conflict, points beyond the retention policy, an unparsable line): the
 *              server refused these points; it may have stored the others (a partial write, see partial.ts)
 * `retryable` is the decision the spool, the forwarder and the job worker act on; a command that ends on a WriteError
 * exits 6 (transient: try again later), 3 (config) or 4 (data refused).
 */
import { EXIT, type ExitCode, PlantkpiError } from '../../config/errors.ts';

export type WriteErrorKind = 'transient' | 'config' | 'data';

export interface WriteErrorDetails {
  kind?: WriteErrorKind;
  /** what to do about it, for people (config problems) */
  hint?: string;
  /** the server's answer, whole (the message is cut at 500 characters) */
  body?: string;
}

const EXIT_OF_KIND = { transient: EXIT.unavailable, config: EXIT.config, data: EXIT.input } as const;

export class WriteError extends PlantkpiError {
  readonly kind: WriteErrorKind;
  readonly exitCode: ExitCode;
  readonly hint?: string;
  readonly body?: string;
  constructor(
    message: string,
    /** true: try again later; false: the server refused this data, do not send it again */
    readonly retryable: boolean,
    readonly status?: number,
    /** server's Retry-After, ms */
    readonly retryAfterMs?: number,
    details: WriteErrorDetails = {},
  ) {
    super(message);
    this.name = 'WriteError';
    this.kind = details.kind ?? (retryable ? 'transient' : 'data');
    this.exitCode = EXIT_OF_KIND[this.kind];
    if (details.hint !== undefined) this.hint = details.hint;
    if (details.body !== undefined) this.body = details.body;
  }
}

/** One point (line, reading) of a batch that the server refused: its index in the batch and why. */
export interface RefusedPoint {
  index: number;
  reason: string;
  status?: number;
}

/**
 * Some points of a batch were refused and every other one is stored (each confirmed by a 2xx answer). Thrown by
 * the write targets after they have found exactly which points were refused (partial.ts); `refused` indexes the
 * lines given to write().
 */
export class PartialWriteError extends WriteError {
  constructor(
    first: WriteError,
    readonly refused: readonly RefusedPoint[],
    /** points in the batch */
    readonly total: number,
    /** the server's own count (InfluxDB's `dropped=N`), when it gave one */
    readonly expectedRefused?: number,
    /** requests it took to find them */
    readonly requests = 0,
  ) {
    super(
      `${first.message} (${refused.length} of ${total} points refused, the rest stored)`,
      false,
      first.status,
      undefined,
      { kind: 'data', ...(first.body !== undefined ? { body: first.body } : {}) },
    );
    this.name = 'PartialWriteError';
  }

  get stored(): number {
    return this.total - this.refused.length;
  }
}

export function asWriteError(err: unknown): WriteError {
  if (err instanceof WriteError) return err;
  return new WriteError((err as Error)?.message ?? String(err), true);
}

/** The text of an InfluxDB answer: v1 `{"error": ...}`, v2 `{"code": ..., "message": ...}`, else the body. */
export function serverText(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: unknown; message?: unknown };
    if (typeof j.error === 'string') return j.error;
    if (typeof j.message === 'string') return j.message;
  } catch {
    // not JSON
  }
  return body.trim();
}

/** Where the write went, for hints. */
export interface WriteWhere {
  api: 1 | 2;
  database?: string;
  retentionPolicy?: string;
  username?: string;
  org?: string;
  bucket?: string;
}

const quoteId = (s: string) => `"${s.replace(/"/g, '\\"')}"`;

export function configHint(status: number, text: string, w: WriteWhere): string | undefined {
  const t = text.toLowerCase();
  if (/retention policy not found/.test(t)) {
    return w.api === 1 && w.retentionPolicy && w.database
      ? `create the retention policy (CREATE RETENTION POLICY ${quoteId(w.retentionPolicy)} ON ${quoteId(w.database)} DURATION INF REPLICATION 1) or fix influx.retentionPolicy`
      : 'create the retention policy or fix influx.retentionPolicy';
  }
  if (/database is required|bucket is required|organization is required/.test(t)) {
    return 'set influx.database (v1) or influx.org and influx.bucket (v2)';
  }
  if (status === 401) {
    return w.api === 1
      ? 'check credentials: influx.username and influx.password (InfluxDB did not accept them)'
      : 'check credentials: influx.token (InfluxDB did not accept it)';
  }
  if (status === 403) {
    return w.api === 1
      ? `check credentials: the user${w.username ? ` ${quoteId(w.username)}` : ''} may not write to database ${quoteId(w.database ?? '?')} (GRANT WRITE ON ${quoteId(w.database ?? '?')} TO ${quoteId(w.username ?? 'USER')})`
      : `check credentials: the token may not write to bucket ${quoteId(w.bucket ?? '?')} (give it write permission)`;
  }
  if (status === 404) {
    if (/database not found/.test(t) || (w.api === 1 && /database/.test(t))) {
      // InfluxDB 1.8's v2 API maps bucket "db/rp" to database db and names the database
      const db = w.database ?? /database not found: "?([^"]+)"?/.exec(text)?.[1] ?? '?';
      return w.api === 1
        ? `create database ${db} (CREATE DATABASE ${quoteId(db)}) or fix influx.database`
        : `create database ${db} (CREATE DATABASE ${quoteId(db)}; bucket ${quoteId(w.bucket ?? '?')} maps to it) or fix influx.bucket`;
    }
    if (/organization/.test(t)) return `fix influx.org: organization ${quoteId(w.org ?? '?')} not found`;
    if (/bucket/.test(t) || w.api === 2) {
      return `create bucket ${w.bucket ?? '?'} in org ${w.org ?? '?'} or fix influx.bucket`;
    }
    return 'check influx.url: there is no InfluxDB write endpoint there';
  }
  return undefined;
}

/** Judges a non-2xx answer. */
export function classify(
  status: number,
  body: string,
  retryAfter: string | null,
  where: WriteWhere,
): WriteError {
  const after = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
  const text = serverText(body);
  const message = `InfluxDB answered ${status}: ${text.slice(0, 500)}`;
  const hint = configHint(status, text, where);
  const whole = body.length > 1024 * 1024 ? body.slice(0, 1024 * 1024) : body;
  if (hint !== undefined)
    return new WriteError(message, true, status, after, { kind: 'config', hint, body: whole });
  if (status >= 500 || status === 429 || status === 408 || status < 400) {
    return new WriteError(message, true, status, after, { kind: 'transient', body: whole });
  }
  return new WriteError(message, false, status, after, {
    kind: 'data',
    body: whole,
    ...(status === 413 ? { hint: 'lower influx.batchLines or raise the server’s max body size' } : {}),
  });
}
