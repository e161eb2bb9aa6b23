import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { storeContract } from '../contract.ts';
import { encodeSignal } from './layout.ts';
import { EmbeddedStore } from './store.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const T = Date.UTC(2026, 9, 1);
const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'plantkpi-store-'));

storeContract('embedded (Arrow files)', async () => {
  const dir = await tempDir();
  const store = await EmbeddedStore.open(dir);
  return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe('embedded store', () => {
  const dirs: string[] = [];
  const freshDir = async () => {
    const d = await tempDir();
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const partitionFile = (dir: string, signal: string, month: string) =>
    path.join(dir, 'series', encodeSignal(signal), `${month}.arrow`);

  it('lays out one Arrow file per signal and UTC month, and creates its directory', async () => {
    const dir = path.join(await freshDir(), 'not', 'yet');
    const store = await EmbeddedStore.open(dir);
    await store.write([
      { signal: 'a/b', timeMs: Date.UTC(2026, 9, 31, 23, 59), value: 1 },
      { signal: 'a/b', timeMs: Date.UTC(2026, 10, 1), value: 2 },
      { signal: 'E-1', timeMs: T, value: 3 },
    ]);
    expect((await readdir(path.join(dir, 'series'))).sort()).toEqual(['E-1', 'a%2Fb']);
    expect(await readdir(path.join(dir, 'series', 'a%2Fb'))).toEqual(['2026-10.arrow', '2026-11.arrow']);
    expect((await readdir(dir)).sort()).toEqual(['series']); // the write lock is gone
  });

  it('persists: a second instance on the same directory reads what the first wrote', async () => {
    const dir = await freshDir();
    const a = await EmbeddedStore.open(dir);
    await a.write([
      { signal: 'E-1', timeMs: T, value: 7 },
      { signal: '电表', timeMs: T - 1, value: 8 },
    ]);
    await a.close();
    const b = await EmbeddedStore.open(dir);
    expect(await b.lastAtOrBefore('E-1', T)).toEqual({ timeMs: T, value: 7 });
    expect(await b.signals()).toEqual(['E-1', '电表']);
    expect(await b.count('电表', 0, T)).toBe(1);
  });

  it('sees a cached partition that another instance rewrote, even at the same size', async () => {
    const dir = await freshDir();
    const reader = await EmbeddedStore.open(dir);
    const writer = await EmbeddedStore.open(dir);
    await writer.write([{ signal: 'E-1', timeMs: T, value: 1 }]);
    const file = partitionFile(dir, 'E-1', '2026-10');
    const old = new Date(Date.now() - 60_000);
    await utimes(file, old, old); // an old file, so the reader caches it
    expect(await reader.lastAtOrBefore('E-1', T)).toEqual({ timeMs: T, value: 1 });
    await writer.write([{ signal: 'E-1', timeMs: T, value: 2 }]); // same size, new file renamed over
    expect(await reader.lastAtOrBefore('E-1', T)).toEqual({ timeMs: T, value: 2 });
    await writer.write([{ signal: 'E-1', timeMs: T + 1, value: 3 }]);
    expect(await reader.count('E-1', T, T + 1000)).toBe(2);
  });

  it('never serves a stale partition when it is rewritten many times in quick succession', async () => {
    const dir = await freshDir();
    const reader = await EmbeddedStore.open(dir);
    const writer = await EmbeddedStore.open(dir);
    for (let i = 0; i < 50; i++) {
      await writer.write([{ signal: 'E-1', timeMs: T, value: i }]);
      expect(await reader.lastAtOrBefore('E-1', T + 1)).toEqual({ timeMs: T, value: i });
    }
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dir = await freshDir();
    const store = await EmbeddedStore.open(dir, { lock: { timeoutMs: 2_000 } });
    await writeFile(path.join(dir, 'write.lock'), `999999999 ${os.hostname()}\n`);
    await store.write([{ signal: 'E-1', timeMs: T, value: 1 }]);
    expect(await store.count('E-1', T, T + 1)).toBe(1);
    expect(await readdir(dir)).toEqual(['series']);
  });

  it('waits for a live lock and says who holds it', async () => {
    const dir = await freshDir();
    const store = await EmbeddedStore.open(dir, { lock: { timeoutMs: 100 } });
    await writeFile(path.join(dir, 'write.lock'), `${process.pid} ${os.hostname()}\n`);
    await expect(store.write([{ signal: 'E-1', timeMs: T, value: 1 }])).rejects.toThrow(
      new RegExp(`locked by process ${process.pid} on .*another writer is running`),
    );
    expect(await store.signals()).toEqual([]);
  });

  it('two processes writing one partition at once lose nothing, and a reader meanwhile sees whole files', async () => {
    const dir = await freshDir();
    await EmbeddedStore.open(dir);
    const writer = path.join(here, 'testdata', 'writer.ts');
    const run = (start: number) =>
      promisify(execFile)(process.execPath, [
        '--import',
        'tsx',
        writer,
        dir,
        'E-1',
        String(start),
        '2',
        '60',
      ]);
    const reader = await EmbeddedStore.open(dir);
    let done = false;
    const both = Promise.all([run(T), run(T + 1)]).finally(() => {
      done = true;
    });
    let last = 0;
    while (!done) {
      const n = await reader.count('E-1', T, T + 1000); // throws if it ever read half a file
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
      await new Promise((r) => setTimeout(r, 5));
    }
    await both;
    const r = await reader.readRange('E-1', T, T + 1000);
    expect([...r.times]).toEqual(Array.from({ length: 120 }, (_, i) => T + i));
  }, 60_000);

  it('rejects a bad point naming it, and writes nothing of that batch', async () => {
    const store = await EmbeddedStore.open(await freshDir());
    const ok = { signal: 'E-1', timeMs: T, value: 1 };
    await expect(store.write([ok, { signal: 'E-1', timeMs: T + 1, value: Number.NaN }])).rejects.toThrow(
      /point 1 \(signal 'E-1', timeMs 1790812800001, value NaN\): value must be a finite number/,
    );
    await expect(
      store.write([ok, { signal: 'E-1', timeMs: Number.POSITIVE_INFINITY, value: 1 }]),
    ).rejects.toThrow(/point 1 .*timeMs must be a finite number/);
    await expect(store.write([{ signal: '', timeMs: T, value: 1 }])).rejects.toThrow(
      /point 0 .*no signal id/,
    );
    await expect(store.write([{ signal: 'E-1', timeMs: 1e16, value: 1 }])).rejects.toThrow(
      /outside the years/,
    );
    await expect(store.write([{ signal: '电'.repeat(100), timeMs: T, value: 1 }])).rejects.toThrow(
      /too long/,
    );
    expect(await store.signals()).toEqual([]);
    await store.write([ok]); // the store is still usable
    expect(await store.count('E-1', T, T + 1)).toBe(1);
  });

  it('orders concurrent writes of one instance as they were called', async () => {
    const store = await EmbeddedStore.open(await freshDir());
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.write([{ signal: 'E-1', timeMs: T, value: i }])),
    );
    expect(await store.lastAtOrBefore('E-1', T)).toEqual({ timeMs: T, value: 19 });
  });

  it('ignores files it did not write: temp files, strangers, folders of undecodable names', async () => {
    const dir = await freshDir();
    const store = await EmbeddedStore.open(dir);
    await store.write([{ signal: 'E-1', timeMs: T, value: 1 }]);
    const folder = path.join(dir, 'series', 'E-1');
    await writeFile(path.join(folder, '.2026-09.arrow.123.abc.tmp'), 'half');
    await writeFile(path.join(folder, 'notes.txt'), 'hello');
    await writeFile(path.join(folder, '2026-13.arrow'), 'no such month');
    await rm(path.join(dir, 'series', 'bad%zz'), { recursive: true, force: true });
    await writeFile(path.join(dir, 'series', 'bad%zz'), '');
    expect(await store.signals()).toEqual(['E-1']);
    expect(await store.lastAtOrBefore('E-1', Date.UTC(2027, 0, 1))).toEqual({ timeMs: T, value: 1 });
    expect(await store.count('E-1', 0, Date.UTC(2030, 0, 1))).toBe(1);
  });

  it('names a damaged partition file in the error', async () => {
    const dir = await freshDir();
    const store = await EmbeddedStore.open(dir);
    await store.write([{ signal: 'E-1', timeMs: T, value: 1 }]);
    await writeFile(partitionFile(dir, 'E-1', '2026-10'), 'not arrow');
    await expect(store.readRange('E-1', T, T + 1)).rejects.toThrow(/2026-10\.arrow: not a readable Arrow/);
    // a write into it fails the same way instead of replacing what it cannot read, and releases the lock
    await expect(store.write([{ signal: 'E-1', timeMs: T + 1, value: 2 }])).rejects.toThrow(/2026-10\.arrow/);
    await store.write([{ signal: 'E-2', timeMs: T, value: 3 }]);
    expect(await store.signals()).toEqual(['E-1', 'E-2']);
  });
});
