/**
 * Spool -> InfluxDB with a real private InfluxDB 1.x that goes away and comes back; and, against small fake targets,
 * how the forwarder judges failures: refused readings dead-lettered (its folder created, its budget kept),
 * config problems retried and reported in stats, never dead-lettered.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxStore } from '../../store/influx/store.ts';
import { V1WriteTarget } from '../../store/influx/targets.ts';
import { classify, WriteError } from '../../store/influx/write-error.ts';
import type { Reading, ReadingWriter } from '../../store/port.ts';
import { type InfluxServer, startInflux } from '../../test/services/influxd.ts';
import { waitFor } from '../../test/services/ports.ts';
import { Backoff } from '../retry/backoff.ts';
import { Spool } from '../spool/spool.ts';
import { encodeReadings } from './codec.ts';
import { Forwarder } from './forwarder.ts';

let influx: InfluxServer;
let dir: string;
beforeAll(async () => {
  influx = await startInflux();
  dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-fwd-'));
});
afterAll(async () => {
  await influx?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function count(db: string): Promise<number> {
  const r = (await influx.query('SELECT count(value) FROM reading', db)) as {
    results: { series?: { values: [number, number][] }[] }[];
  };
  return r.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}

describe('forwarder', () => {
  it('loses nothing while InfluxDB is down: everything arrives exactly once after it returns', async () => {
    const db = 'fwd_outage';
    await influx.query(`CREATE DATABASE ${db}`);
    const spool = await Spool.open({ dir: path.join(dir, 'outage') });
    const fwd = new Forwarder({
      spool,
      store: new InfluxStore(
        { url: influx.url, database: db, site: 'S' },
        new V1WriteTarget({ url: influx.url, database: db, timeoutMs: 1000 }),
      ),
      deadLetterFile: path.join(dir, 'outage-dead.jsonl'),
      maxLines: 500,
      flushIntervalMs: 50,
      backoff: new Backoff({ minDelayMs: 50, maxDelayMs: 300 }),
    });
    fwd.start();
    const t0 = 1_790_000_000_000;
    let n = 0;
    const put = async (k: number) => {
      for (let i = 0; i < k; i++) {
        const batch = Array.from({ length: 100 }, () => ({
          signal: `E-${n % 7}`,
          timeMs: t0 + n++ * 1000,
          value: n,
        }));
        await spool.append([encodeReadings(batch)]);
      }
    };
    await put(5);
    await waitFor('first 500', async () => (await count(db)) === 500);
    await influx.stop();
    await put(1);
    await put(1);
    await put(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(fwd.stats.retries).toBeGreaterThan(0);
    await influx.start();
    await waitFor('all 800', async () => (await count(db)) === 800, 30_000);
    await fwd.stop();
    expect(await count(db)).toBe(800);
    expect(fwd.stats.deadLetteredLines).toBe(0);
    await spool.close();
  });

  it('sends a refused batch to the dead-letter file with the reason, and goes on (its folder created)', async () => {
    const db = 'fwd_dead';
    await influx.query(`CREATE DATABASE ${db}`);
    // `value` becomes a string field first, so float values conflict
    await fetch(`${influx.url}/write?db=${db}&precision=ms`, {
      method: 'POST',
      body: 'reading,site=S,signal=X value="s" 1789999999000',
    });
    const spool = await Spool.open({ dir: path.join(dir, 'dead') });
    // the folder does not exist yet: the forwarder creates it (it used to fail with ENOENT and retry forever)
    const deadFile = path.join(dir, 'not-yet', 'dead-letter', 'influx-refused.jsonl');
    expect(existsSync(path.dirname(deadFile))).toBe(false);
    const fwd = new Forwarder({
      spool,
      store: new InfluxStore(
        { url: influx.url, database: db, site: 'S' },
        new V1WriteTarget({ url: influx.url, database: db }),
      ),
      deadLetterFile: deadFile,
      flushIntervalMs: 20,
    });
    await spool.append([encodeReadings([{ signal: 'X', timeMs: 1_790_000_000_000, value: 1 }])]);
    expect(await fwd.sendOnce()).toBe(1);
    const entry = JSON.parse(readFileSync(deadFile, 'utf8').trim());
    expect(entry.status).toBe(400);
    expect(entry.reason).toMatch(/field type conflict/);
    expect(entry.readings).toEqual([{ signal: 'X', timeMs: 1_790_000_000_000, value: 1 }]);
    expect(fwd.stats.deadLetteredLines).toBe(1);
    expect(fwd.stats).toMatchObject({ lastErrorKind: 'data', failingSinceMs: null, partialWrites: 0 });
    expect(await fwd.sendOnce()).toBe(0); // acknowledged: not retried
    await spool.close();
  });
});

/** A target that refuses readings `refuse` says no to, with a plain data WriteError (it does not search itself). */
class FakeTarget implements ReadingWriter {
  readonly description = 'fake';
  readonly stored: Reading[] = [];
  requests = 0;
  failWith: WriteError | null = null;
  constructor(private readonly refuse: (r: Reading) => boolean = () => false) {}
  async write(readings: readonly Reading[]): Promise<void> {
    this.requests++;
    if (this.failWith) throw this.failWith;
    const bad = readings.filter(this.refuse);
    if (bad.length > 0) throw new WriteError(`refused ${bad.length}`, false, 400);
    this.stored.push(...readings);
  }
}

describe('forwarder, judged by kind', () => {
  const readings = (n: number, t0 = 1_790_000_000_000) =>
    Array.from({ length: n }, (_, i) => ({ signal: `S-${i % 3}`, timeMs: t0 + i * 1000, value: i }));

  it('a target that cannot say which readings it refused: found by bisection, only they dead-lettered', async () => {
    const spool = await Spool.open({ dir: path.join(dir, 'bisect') });
    const target = new FakeTarget((r) => r.value % 17 === 3);
    const deadFile = path.join(dir, 'bisect-dead', 'refused.jsonl');
    const fwd = new Forwarder({ spool, store: target, deadLetterFile: deadFile, maxLines: 1000 });
    const all = readings(200);
    await spool.append([encodeReadings(all)]);
    expect(await fwd.sendOnce()).toBe(200);
    const bad = all.filter((r) => r.value % 17 === 3);
    const entries = readFileSync(deadFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries.flatMap((e) => e.readings)).toEqual(bad);
    expect(entries[0]).toMatchObject({ target: 'fake', status: 400, reason: 'refused 1' });
    expect(new Set(target.stored.map((r) => r.value))).toEqual(
      new Set(all.filter((r) => r.value % 17 !== 3).map((r) => r.value)),
    );
    expect(fwd.stats).toMatchObject({
      linesWritten: 200 - bad.length,
      deadLetteredLines: bad.length,
      deadLetteredBatches: 1,
      partialWrites: 1,
      failingSinceMs: null,
    });
    await spool.close();
  });

  it('a config problem (database missing) is retried with backoff, logged as an error with the fix, never dead-lettered', async () => {
    const spool = await Spool.open({ dir: path.join(dir, 'config') });
    const target = new FakeTarget();
    target.failWith = classify(404, '{"error":"database not found: \\"plant\\""}', null, {
      api: 1,
      database: 'plant',
    });
    const deadFile = path.join(dir, 'config-dead', 'refused.jsonl');
    const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
    const fwd = new Forwarder({
      spool,
      store: target,
      deadLetterFile: deadFile,
      flushIntervalMs: 10,
      backoff: new Backoff({ minDelayMs: 10, maxDelayMs: 30 }),
      log: (level, msg, fields) => logs.push({ level, msg, ...(fields ? { fields } : {}) }),
    });
    await spool.append([encodeReadings(readings(50))]);
    const before = Date.now();
    fwd.start();
    await waitFor('retries', async () => fwd.stats.retries >= 3);
    expect(fwd.stats.failingSinceMs).toBeGreaterThanOrEqual(before);
    expect(fwd.stats).toMatchObject({
      lastErrorKind: 'config',
      lastErrorHint: 'create database plant (CREATE DATABASE "plant") or fix influx.database',
      deadLetteredLines: 0,
      linesWritten: 0,
    });
    const failingSince = fwd.stats.failingSinceMs;
    const err = logs.find((l) => l.level === 'error')!;
    expect(err.msg).toMatch(/CREATE DATABASE "plant"/);
    expect(err.fields).toMatchObject({ reason: expect.stringMatching(/404: database not found/) });
    expect(existsSync(deadFile)).toBe(false);
    await waitFor('more retries', async () => fwd.stats.retries >= 5);
    expect(fwd.stats.failingSinceMs).toBe(failingSince); // the first failure in a row
    target.failWith = null; // somebody created the database
    await waitFor('delivered', async () => target.stored.length === 50);
    expect(fwd.stats.failingSinceMs).toBeNull();
    expect(logs.some((l) => l.msg === 'InfluxDB writes work again')).toBe(true);
    await fwd.stop();
    await spool.close();
  });

  it('past the dead-letter budget, refused readings are counted in deadLetterOverflow and the batch goes on', async () => {
    const spool = await Spool.open({ dir: path.join(dir, 'budget') });
    const target = new FakeTarget((r) => r.signal === 'S-0');
    const deadFile = path.join(dir, 'budget-dead', 'refused.jsonl');
    const warnings: string[] = [];
    const fwd = new Forwarder({
      spool,
      store: target,
      deadLetterFile: deadFile,
      deadLetterMaxBytes: 1500,
      maxLines: 1, // one spool record (30 readings) a batch
      log: (level, msg) => level === 'warn' && warnings.push(msg),
    });
    for (let k = 0; k < 5; k++)
      await spool.append([encodeReadings(readings(30, 1_790_000_000_000 + k * 60_000))]);
    let n = 0;
    for (let k = 0; k < 5; k++) n += await fwd.sendOnce();
    expect(n).toBe(150);
    expect(await fwd.sendOnce()).toBe(0); // all acknowledged
    const kept = readFileSync(deadFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const keptReadings = kept.flatMap((e) => e.readings).length;
    expect(fwd.stats.deadLetteredLines).toBe(keptReadings);
    expect(fwd.stats.deadLetterOverflow).toBe(50 - keptReadings);
    expect(fwd.stats.deadLetterOverflow).toBeGreaterThan(0);
    expect(fwd.stats.linesWritten).toBe(100);
    expect(fwd.deadLetters.overflow).toBeGreaterThan(0);
    expect(warnings.filter((w) => /past its size budget/.test(w))).toHaveLength(1);
    await spool.close();
  });

  it('a reading without a finite value is dead-lettered instead of blocking the spool', async () => {
    const spool = await Spool.open({ dir: path.join(dir, 'nan') });
    const target = new FakeTarget();
    const deadFile = path.join(dir, 'nan-dead', 'refused.jsonl');
    const fwd = new Forwarder({ spool, store: target, deadLetterFile: deadFile });
    await spool.append([encodeReadings([...readings(2), { signal: 'X', timeMs: 5, value: Number.NaN }])]);
    expect(await fwd.sendOnce()).toBe(3);
    expect(target.stored).toHaveLength(2);
    expect(JSON.parse(readFileSync(deadFile, 'utf8'))).toMatchObject({
      reason: 'value is not a finite number',
      readings: [{ signal: 'X', timeMs: 5, value: null }],
    });
    await spool.close();
  });
});
