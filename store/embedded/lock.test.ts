import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, LockTimeoutError, parseOwner } from './lock.ts';

describe('write lock', () => {
  let dir: string;
  let lock: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'plantkpi-lock-'));
    lock = path.join(dir, 'write.lock');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('holds the pid and host while held, and is gone once released', async () => {
    const release = await acquireLock(lock);
    expect(parseOwner(await readFile(lock, 'utf8'))).toEqual({
      pid: process.pid,
      host: os.hostname(),
    });
    release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock whose process is dead (with or without a host)', async () => {
    for (const text of [`999999999 ${os.hostname()}\n`, '999999999']) {
      await writeFile(lock, text);
      const release = await acquireLock(lock, { timeoutMs: 1000 });
      release();
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over an owner-less lock file only once it is old', async () => {
    await writeFile(lock, '');
    await expect(acquireLock(lock, { timeoutMs: 50, orphanAfterMs: 60_000 })).rejects.toThrow(
      /unknown process/,
    );
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    (await acquireLock(lock, { timeoutMs: 1000, orphanAfterMs: 60_000 }))();
  });

  it('never breaks a lock held from another host', async () => {
    await writeFile(lock, '999999999 some-other-host\n');
    await expect(acquireLock(lock, { timeoutMs: 50 })).rejects.toThrow(
      /locked by process 999999999 on some-other-host .*If none is, delete the lock file/,
    );
    // the worker retries it and a command exits 6: another writer may be done later
    await expect(acquireLock(lock, { timeoutMs: 10 })).rejects.toMatchObject({
      constructor: LockTimeoutError,
      file: lock,
      retryable: true,
      exitCode: 6,
    });
  });

  it('lets waiters take turns: one holder at a time', async () => {
    let holders = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const release = await acquireLock(lock, { pollMs: 1 });
        holders++;
        most = Math.max(most, holders);
        await new Promise((r) => setTimeout(r, 2));
        holders--;
        release();
      }),
    );
    expect(most).toBe(1);
  });

  it('clears a breaker left by a dead process', async () => {
    await writeFile(lock, '999999999');
    await writeFile(`${lock}.break`, '999999998');
    (await acquireLock(lock, { timeoutMs: 1000 }))();
    expect(await readdir(dir)).toEqual([]);
  });
});
