/** The embedded records folder is one process's at a time: DIR.lock, waited for, then exit 6; a dead owner's lock is taken over. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../config/errors.ts';
import { openRecords } from './open.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-records-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the embedded records folder lock', { timeout: 120_000 }, () => {
  it('a second open waits, then is refused as unavailable; after close it opens', async () => {
    const dir = path.join(root, 'records');
    const first = await openRecords({ dir });
    expect(existsSync(`${dir}.lock`)).toBe(true);
    const t0 = Date.now();
    const second = openRecords({ dir, lockTimeoutMs: 300 });
    await expect(second).rejects.toBeInstanceOf(UnavailableError);
    await expect(second).rejects.toThrow(/locked by process \d+/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    await first.lock('2026-10', 'a', 'b');
    await first.close();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const again = await openRecords({ dir, lockTimeoutMs: 300 });
    expect(await again.isLocked('2026-10')).toBe(true);
    await again.close();
  });

  it('a lock left by a dead process on this host is taken over', async () => {
    const dir = path.join(root, 'records');
    writeFileSync(`${dir}.lock`, `999999999 ${os.hostname()}\n`);
    const store = await openRecords({ dir, lockTimeoutMs: 300 });
    expect(await store.isLocked('2026-10')).toBe(true);
    await store.close();
  });
});
