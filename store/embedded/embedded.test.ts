import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeContract } from '../contract.ts';
import { acquireLock } from './lock.ts';
import { EmbeddedStore, encodeSignal } from './store.ts';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'plantkpi-store-'));

storeContract('embedded (Arrow files)', async () => {
  const dir = tmp();
  const store = await EmbeddedStore.open(dir);
  return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('embedded store', () => {
  const T = Date.UTC(2026, 9, 1);

  it('persists: a second instance on the same directory reads what the first wrote', async () => {
    const dir = tmp();
    const a = await EmbeddedStore.open(dir);
    await a.write([{ signal: 'E-1', timeMs: T, value: 7 }]);
    await a.close();
    const b = await EmbeddedStore.open(dir);
    expect(await b.lastAtOrBefore('E-1', T)).toEqual({ timeMs: T, value: 7 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees a partition rewritten by another writer between two reads', async () => {
    const dir = tmp();
    const reader = await EmbeddedStore.open(dir);
    const writer = await EmbeddedStore.open(dir);
    await writer.write([{ signal: 'E-1', timeMs: T, value: 1 }]);
    expect(await reader.count('E-1', T, T + 1000)).toBe(1);
    await writer.write([{ signal: 'E-1', timeMs: T + 1, value: 2 }]);
    const file = path.join(dir, 'series', encodeSignal('E-1'), '2026-10.arrow');
    utimesSync(file, new Date(), new Date(Date.now() + 5000)); // a different mtime even on coarse clocks
    expect(await reader.count('E-1', T, T + 1000)).toBe(2);
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dir = tmp();
    const lock = path.join(dir, 'write.lock');
    writeFileSync(lock, '999999999');
    const release = await acquireLock(lock, 2000);
    release();
    const store = await EmbeddedStore.open(dir);
    writeFileSync(lock, '999999999');
    await store.write([{ signal: 'E-1', timeMs: T, value: 1 }]);
    expect(await store.count('E-1', T, T + 1)).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for a live lock and says who holds it when it times out', async () => {
    const dir = tmp();
    const lock = path.join(dir, 'write.lock');
    writeFileSync(lock, String(process.pid));
    await expect(acquireLock(lock, 100)).rejects.toThrow(new RegExp(`locked by process ${process.pid}`));
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects points that are not finite, naming them', async () => {
    const dir = tmp();
    const store = await EmbeddedStore.open(dir);
    await expect(store.write([{ signal: 'E-1', timeMs: T, value: Number.NaN }])).rejects.toThrow(
      /E-1 at .*finite/,
    );
    await expect(store.write([{ signal: '', timeMs: T, value: 1 }])).rejects.toThrow(/no signal id/);
    rmSync(dir, { recursive: true, force: true });
  });
});
