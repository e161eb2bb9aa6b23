/**
 * A cross-process write lock: a file created with O_EXCL holding `<pid> <hostname>`. A lock whose process is gone
 * (same host, pid not alive) is taken over; so is an owner-less lock file (empty, as left by a crash between
 * create and write) older than `orphanAfterMs`. A lock held from another host is never broken: we cannot tell.
 * Taking over goes through a second lock file (`<lock>.break`), so two waiters cannot both break a stale lock
 * and then both believe they hold it.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import { UnavailableError } from '../../config/errors.ts';

export interface LockOptions {
  /** how long to wait for another writer before giving up */
  timeoutMs?: number;
  /** pause between attempts */
  pollMs?: number;
  /** an owner-less lock file older than this is taken over */
  orphanAfterMs?: number;
}

interface Owner {
  pid: number;
  host: string | null;
}

function ownerText(): string {
  return `${process.pid} ${os.hostname()}\n`;
}

export function parseOwner(text: string): Owner | null {
  const m = /^(\d+)(?:\s+(\S+))?\s*$/.exec(text);
  if (m === null) return null;
  const pid = Number(m[1]);
  return pid > 0 ? { pid, host: m[2] ?? null } : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** The lock file's text and age, or null when it does not exist (any more). */
function inspect(file: string): { text: string; ageMs: number } | null {
  try {
    const text = readFileSync(file, 'utf8');
    return { text, ageMs: Date.now() - statSync(file).mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function isStale(seen: { text: string; ageMs: number }, orphanAfterMs: number): boolean {
  const owner = parseOwner(seen.text);
  if (owner === null) return seen.ageMs > orphanAfterMs;
  if (owner.host !== null && owner.host !== os.hostname()) return false;
  return !alive(owner.pid);
}

function tryCreate(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function unlinkIfSame(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Removes a stale lock if it is still the one seen, under the breaker lock so one waiter at a time.
 * False when another waiter is breaking it right now (try again after a pause).
 */
function breakStale(file: string, seenText: string, orphanAfterMs: number): boolean {
  const breaker = `${file}.break`;
  const mine = ownerText();
  if (!tryCreate(breaker, mine)) {
    const b = inspect(breaker);
    if (b !== null && isStale(b, orphanAfterMs)) unlinkIfSame(breaker, b.text);
    return false;
  }
  try {
    unlinkIfSame(file, seenText);
  } finally {
    unlinkIfSame(breaker, mine);
  }
  return true;
}

/** Another writer held the lock for the whole wait: retryable, exit 6 (the same command may succeed later). */
export class LockTimeoutError extends UnavailableError {
  override name = 'LockTimeoutError';
  constructor(
    /** the lock file */
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** Waits up to timeoutMs for the lock; returns its release function. Throws LockTimeoutError past it. */
export async function acquireLock(file: string, opts: LockOptions = {}): Promise<() => void> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const pollMs = opts.pollMs ?? 10;
  const orphanAfterMs = opts.orphanAfterMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mine = ownerText();
    if (tryCreate(file, mine)) return () => unlinkIfSame(file, mine);
    const seen = inspect(file);
    if (seen === null) continue; // released meanwhile
    if (isStale(seen, orphanAfterMs) && breakStale(file, seen.text, orphanAfterMs)) continue;
    if (Date.now() >= deadline) {
      const owner = parseOwner(seen.text);
      const who = owner
        ? `process ${owner.pid}${owner.host ? ` on ${owner.host}` : ''}`
        : 'an unknown process';
      throw new LockTimeoutError(
        file,
        `the data directory is locked by ${who} (${file}) for more than ${timeoutMs} ms; another writer is running. If none is, delete the lock file`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
