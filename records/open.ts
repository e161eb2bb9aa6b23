/**
 * Opens the records store: PostgreSQL at a URL (production), or the embedded PGlite in a folder (the default,
 * DATA/records). Both get the same migrations at open, then the same Kysely store.
 */
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { UnavailableError } from '../config/errors.ts';
import { ConfigError } from '../config/problems.ts';
import { resolveSecret } from '../config/secrets.ts';
// the data directory's lock file, shared with the series store: a leaf that itself imports only config/errors
import { acquireLock } from '../store/embedded/lock.ts';
import { migrate } from './migrations/index.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { RecordsStore } from './port.ts';
import type { RecordsConfig } from './schema.ts';
import { KyselyRecords } from './store.ts';
import type { RecordsDb } from './tables.ts';

export type RecordsTarget =
  /** PostgreSQL: postgres://user@host:5432/db (a password given apart, never in logs) */
  | { url: string; password?: string | undefined }
  /**
   * the embedded store's folder (created when missing). PGlite is one process's at a time: `DIR.lock` is held while
   * it is open, and another process waits up to `lockTimeoutMs` (10 s) for it, then gets an UnavailableError (exit 6)
   */
  | { dir: string; lockTimeoutMs?: number };

export interface OpenOptions {
  /** the clock of every timestamp written, epoch ms; the wall clock by default */
  now?: () => number;
  /** migrate to this migration instead of the latest (tests of a migration from an older version) */
  migrateTo?: string;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/**
 * The URL the pool connects with, the password given apart written into it: node-postgres lets everything its
 * connectionString says (no password: none) override the separate options, so a separate `password` was dropped and
 * a server that asks for one refused ("client password must be a string"). Never printed (messages use redactUrl).
 */
export function connectionUrl(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const u = new URL(url);
  // a URL without a host (a socket in ?host=) takes no user info: node-postgres reads any option from the query
  if (u.host === '') u.searchParams.set('password', password);
  else u.password = encodeURIComponent(password);
  return u.toString();
}

/** the embedded store's shared buffers: its tables are small (megabytes), and every MB here is resident memory */
export const EMBEDDED_SHARED_BUFFERS = '16MB';

/**
 * Sets the embedded store's shared_buffers (PostgreSQL's default is 128MB) with ALTER SYSTEM, kept in the folder's
 * postgresql.auto.conf: from the next open on, an open process holds about 110 MB less (measured: 338 to 225 MB peak
 * RSS for an open and 200 queries). Not PGlite's `postgresqlconf` option: that replaces the folder's whole
 * postgresql.conf, and with it initdb's settings (timezone, datestyle, locale).
 */
async function smallBuffers(pg: { query<T>(q: string): Promise<{ rows: T[] }> }): Promise<void> {
  const { rows } = await pg.query<{ shared_buffers: string }>('show shared_buffers');
  // idempotent: a folder set earlier already runs with it; a new one runs with it from its next open
  if (rows[0]?.shared_buffers !== EMBEDDED_SHARED_BUFFERS)
    await pg.query(`alter system set shared_buffers = '${EMBEDDED_SHARED_BUFFERS}'`);
}

/** A Kysely on the target, not migrated (open() migrates; tests use it to build older versions). */
export async function openKysely(target: RecordsTarget): Promise<Kysely<RecordsDb>> {
  if ('url' in target) {
    const { Pool } = (await import('pg')).default;
    const pool = new Pool({ connectionString: connectionUrl(target.url, target.password), max: 5 });
    // an idle connection the server ends (a restart) is dropped from the pool; the next query opens a new one
    pool.on('error', () => {});
    return new Kysely<RecordsDb>({ dialect: new PostgresDialect({ pool }) });
  }
  mkdirSync(target.dir, { recursive: true });
  // two processes on one PGlite folder both open it and lose each other's writes: one at a time. While it waits,
  // an opener says so (shared.ts: a holder taking turns lets go for it)
  const lockFile = `${path.resolve(target.dir)}.lock`;
  const waiting = announceWaiting(lockFile);
  const release = await acquireLock(lockFile, {
    timeoutMs: target.lockTimeoutMs ?? 10_000,
    pollMs: 50,
  }).finally(waiting.stop);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const pg = await PGlite.create(target.dir);
    await smallBuffers(pg);
    return new Kysely<RecordsDb>({ dialect: new PGliteDialect(pg, release) });
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * A Kysely on the target with the migrations it has not seen run (the store below; backup and restore, which read
 * and write whole tables); a server that does not answer is an UnavailableError.
 */
export async function openMigrated(target: RecordsTarget, migrateTo?: string): Promise<Kysely<RecordsDb>> {
  const db = await openKysely(target);
  try {
    await migrate(db as Kysely<unknown>, migrateTo);
  } catch (err) {
    await db.destroy().catch(() => {});
    const code = (err as { code?: string }).code;
    if ('url' in target && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '57P03'))
      throw new UnavailableError(
        `records database ${redactUrl(target.url)} does not answer (${code}); start it or check records.url, then try again`,
      );
    // 28P01 wrong password, 28000 no such user or not allowed, 3D000 no such database: the config's to fix
    if ('url' in target && (code === '28P01' || code === '28000' || code === '3D000'))
      throw new ConfigError('records', [
        {
          path: 'records.url, records.password',
          message: `records database ${redactUrl(target.url)} refused the connection: ${(err as Error).message}`,
        },
      ]);
    throw err;
  }
  return db;
}

/** The file an opener of the embedded folder keeps fresh while it waits for the folder's lock. */
export const waitingFile = (lockFile: string): string => `${lockFile}.waiting`;

/** Another opener has said in the last 2 s that it waits for this folder. */
export function someoneWaits(dir: string): boolean {
  try {
    return Date.now() - statSync(waitingFile(`${path.resolve(dir)}.lock`)).mtimeMs < 2000;
  } catch {
    return false;
  }
}

let waiters = 0;

/** Writes the waiting file now and every 0.5 s until stopped; removes it then, unless another waiter wrote it since. */
function announceWaiting(lockFile: string): { stop: () => void } {
  const file = waitingFile(lockFile);
  const me = `${process.pid}:${++waiters}`;
  const say = () => {
    try {
      writeFileSync(file, me);
    } catch {
      // a folder that cannot be written shows in the open itself
    }
  };
  say();
  const timer = setInterval(say, 500);
  return {
    stop() {
      clearInterval(timer);
      try {
        if (readFileSync(file, 'utf8') === me) unlinkSync(file);
      } catch {
        // gone already
      }
    },
  };
}

/** Opens the store and runs the migrations it has not seen; a server that does not answer is an UnavailableError. */
export async function openRecords(target: RecordsTarget, options: OpenOptions = {}): Promise<RecordsStore> {
  return new KyselyRecords(await openMigrated(target, options.migrateTo), options.now ?? Date.now);
}

/** The target as messages name it: the URL without its password, or the folder. */
export const describeTarget = (target: RecordsTarget): string =>
  'url' in target ? redactUrl(target.url) : target.dir;

/** What of the plant config the records store needs (structurally, so records imports no plant schema). */
export interface RecordsConfigOf {
  records?: RecordsConfig | undefined;
}

/** The folder of the embedded records store inside a data directory. */
export const recordsDir = (dataDir: string): string => path.join(dataDir, 'records');

/**
 * The one place that picks the records store from a plant config: PostgreSQL at `records.url` (its password
 * resolved), else the embedded store in `records.dir` or DATA/records. Throws a SecretError for a password that cannot be had.
 */
export function recordsTarget(config: RecordsConfigOf, dataDir: string, env = process.env): RecordsTarget {
  const r = config.records;
  if (r?.url !== undefined)
    return { url: r.url, password: resolveSecret(r.password, 'records.password', env) };
  return { dir: r?.dir ?? recordsDir(dataDir) };
}
