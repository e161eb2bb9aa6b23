/** Spool -> InfluxDB with a real private InfluxDB 1.x that goes away and comes back. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InfluxServer, startInflux } from '../../test/services/influxd.ts';
import { waitFor } from '../../test/services/ports.ts';
import { Backoff } from '../retry/backoff.ts';
import { Spool } from '../spool/spool.ts';
import { encodeReadings } from './codec.ts';
import { Forwarder } from './forwarder.ts';
import { InfluxReadingTarget } from './reading-target.ts';
import { V1WriteTarget } from './targets.ts';

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
      target: new InfluxReadingTarget(
        new V1WriteTarget({ url: influx.url, database: db, timeoutMs: 1000 }),
        'S',
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

  it('sends a refused batch to the dead-letter file with the reason, and goes on', async () => {
    const db = 'fwd_dead';
    await influx.query(`CREATE DATABASE ${db}`);
    // `value` becomes a string field first, so float values conflict
    await fetch(`${influx.url}/write?db=${db}&precision=ms`, {
      method: 'POST',
      body: 'reading,site=S,signal=X value="s" 1789999999000',
    });
    const spool = await Spool.open({ dir: path.join(dir, 'dead') });
    const deadFile = path.join(dir, 'dead.jsonl');
    const fwd = new Forwarder({
      spool,
      target: new InfluxReadingTarget(new V1WriteTarget({ url: influx.url, database: db }), 'S'),
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
    expect(await fwd.sendOnce()).toBe(0); // acknowledged: not retried
    await spool.close();
  });
});
