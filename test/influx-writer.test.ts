/**
 * The collector's InfluxDB writer against a real private InfluxDB 1.6, through the v1 /write API and through the v2
 * write API (test/services/v2-compat.ts in front of it):
 *  - partial writes (a field type conflict; points beyond a retention policy): exactly the refused readings are
 *    dead-lettered, every good one is stored (counted with InfluxQL);
 *  - a missing database is retried, never dead-lettered, reported in stats, and everything (also the batch sent
 *    while it was missing) is delivered by itself once the database is created; a wrong token likewise is config;
 *  - `plantkpi deadletter replay` after a fix: replayed readings are stored and leave the file, the ones still
 *    refused stay; running it twice changes nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeReadings } from '../ingest/influx/codec.ts';
import { Forwarder } from '../ingest/influx/forwarder.ts';
import { Backoff } from '../ingest/retry/backoff.ts';
import { Spool } from '../ingest/spool/spool.ts';
import { InfluxStore } from '../store/influx/store.ts';
import { V1WriteTarget, V2WriteTarget, type WriteTarget } from '../store/influx/targets.ts';
import type { Reading } from '../store/port.ts';
import { cli, tempDir } from './helpers.ts';
import { type InfluxServer, startInflux } from './services/influxd.ts';
import { waitFor } from './services/ports.ts';
import { startV2Compat, type V2Compat } from './services/v2-compat.ts';

let influx: InfluxServer;
let compat: V2Compat;
const tmp = tempDir('plantkpi-writer-');
beforeAll(async () => {
  influx = await startInflux();
  compat = await startV2Compat(influx.url);
});
afterAll(async () => {
  await compat?.close();
  await influx?.destroy();
  tmp.cleanup();
});

type Make = (db: string, token?: string) => WriteTarget;
const kinds: [string, Make][] = [
  ['v1', (db) => new V1WriteTarget({ url: influx.url, database: db, timeoutMs: 5000 })],
  // bucket "db" without "/rp": the database's default retention policy, as with InfluxDB 1.8's v2 API
  [
    'v2',
    (db, token) =>
      new V2WriteTarget({
        url: compat.url,
        token: token ?? compat.token,
        org: 'plant',
        bucket: db,
        timeoutMs: 5000,
      }),
  ],
];

async function count(db: string, where = ''): Promise<number> {
  const r = (await influx.query(`SELECT count(value) FROM reading ${where}`, db)) as {
    results: { series?: { values: [number, number][] }[]; error?: string }[];
  };
  if (r.results[0]?.error) throw new Error(r.results[0].error);
  return r.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}

interface Logged {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

async function forwarder(name: string, target: WriteTarget) {
  const dir = path.join(tmp.dir, name);
  const spool = await Spool.open({ dir: path.join(dir, 'spool') });
  const deadDir = path.join(dir, 'dead-letter');
  const deadFile = path.join(deadDir, 'influx-refused.jsonl');
  const logs: Logged[] = [];
  const fwd = new Forwarder({
    spool,
    // the forwarder only writes: the store's query side (url, database) is never used here
    store: new InfluxStore({ url: influx.url, database: name, site: 'S' }, target),
    deadLetterFile: deadFile,
    flushIntervalMs: 20,
    backoff: new Backoff({ minDelayMs: 50, maxDelayMs: 300 }),
    log: (level, msg, fields) => logs.push({ level, msg, ...(fields ? { fields } : {}) }),
  });
  return { fwd, spool, deadDir, deadFile, logs };
}

async function drain(fwd: Forwarder): Promise<number> {
  let n = 0;
  for (let k = await fwd.sendOnce(); k > 0; k = await fwd.sendOnce()) n += k;
  return n;
}

function deadReadings(file: string): Reading[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => JSON.parse(l).readings as Reading[]);
}

const byTime = (a: Reading, b: Reading) => a.timeMs - b.timeMs || a.signal.localeCompare(b.signal);

/** good and bad readings interleaved, appended as several spool records (one batch for the forwarder) */
async function appendMixed(spool: Spool, good: Reading[], bad: Reading[]): Promise<void> {
  const mixed: Reading[] = [];
  for (let i = 0; i < Math.max(good.length, bad.length); i++) {
    if (good[i]) mixed.push(good[i]!);
    if (bad[i]) mixed.push(bad[i]!);
  }
  for (let i = 0; i < mixed.length; i += 13) await spool.append([encodeReadings(mixed.slice(i, i + 13))]);
}

const sec = (ms: number) => Math.floor(ms / 1000) * 1000;

describe.each(kinds)('InfluxDB writer through the %s API', (kind, make) => {
  it('a field type conflict: only the conflicting readings are dead-lettered, all good ones stored', async () => {
    const db = `w_${kind}_conflict`;
    await influx.query(`CREATE DATABASE ${db}`);
    // `value` is a string in the shard of this week, so floats there conflict; other weeks are fine
    const tBad = Date.parse('2026-06-10T00:00:00Z');
    const tGood = Date.parse('2026-10-01T00:00:00Z');
    const raw = await fetch(`${influx.url}/write?db=${db}&precision=ms`, {
      method: 'POST',
      body: `reading,site=S,signal=X value="s" ${tBad}`,
    });
    expect(raw.status).toBe(204);
    const bad = Array.from({ length: 20 }, (_, i) => ({
      signal: i % 2 ? 'X' : 'Y',
      timeMs: tBad + (i + 1) * 60_000,
      value: i,
    }));
    const good = Array.from({ length: 40 }, (_, i) => ({
      signal: `E-${i % 4}`,
      timeMs: tGood + i * 60_000,
      value: i,
    }));
    const { fwd, spool, deadFile } = await forwarder(`${kind}-conflict`, make(db));
    await appendMixed(spool, good, bad);
    expect(await drain(fwd)).toBe(60);

    expect(deadReadings(deadFile).sort(byTime)).toEqual(bad);
    const entries = readFileSync(deadFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const e of entries) {
      expect(e.status).toBe(400);
      expect(e.reason).toMatch(
        /field type conflict: input field "value" on measurement "reading" is type float/,
      );
    }
    expect(await count(db, "WHERE time >= '2026-09-01T00:00:00Z'")).toBe(40);
    expect(await count(db, "WHERE time < '2026-09-01T00:00:00Z'")).toBe(1); // only the string point
    expect(fwd.stats).toMatchObject({
      linesWritten: 40,
      deadLetteredLines: 20,
      deadLetteredBatches: 1,
      partialWrites: 1,
      retries: 0,
      failingSinceMs: null,
      lastErrorKind: 'data',
    });
    await spool.close();
  });

  it('points beyond the retention policy: exactly the old readings are dead-lettered, the new ones stored', async () => {
    const db = `w_${kind}_rp`;
    await influx.query(`CREATE DATABASE ${db}`);
    await influx.query(`CREATE RETENTION POLICY short ON ${db} DURATION 1h REPLICATION 1 DEFAULT`);
    const now = sec(Date.now());
    const old = Array.from({ length: 15 }, (_, i) => ({
      signal: 'A',
      timeMs: now - 3 * 3600_000 + i * 1000,
      value: i,
    }));
    const fresh = Array.from({ length: 30 }, (_, i) => ({
      signal: `B-${i % 3}`,
      timeMs: now - 10 * 60_000 + i * 1000,
      value: i,
    }));
    const { fwd, spool, deadFile } = await forwarder(`${kind}-rp`, make(db));
    await appendMixed(spool, fresh, old);
    expect(await drain(fwd)).toBe(45);

    expect(deadReadings(deadFile).sort(byTime)).toEqual(old);
    const entry = JSON.parse(readFileSync(deadFile, 'utf8').trim().split('\n')[0]!);
    expect(entry).toMatchObject({
      status: 400,
      reason: 'InfluxDB answered 400: points beyond retention policy',
    });
    expect(await count(db)).toBe(30);
    expect(fwd.stats).toMatchObject({ linesWritten: 30, deadLetteredLines: 15, partialWrites: 1 });
    await spool.close();
  });

  it('a missing database: retried and reported, never dead-lettered; delivered by itself once created', async () => {
    const db = `w_${kind}_missing`;
    const { fwd, spool, deadFile, logs } = await forwarder(`${kind}-missing`, make(db));
    const t0 = Date.parse('2026-10-02T00:00:00Z');
    const batch = (from: number) =>
      encodeReadings(
        Array.from({ length: 50 }, (_, i) => ({ signal: 'E-1', timeMs: t0 + (from + i) * 1000, value: i })),
      );
    const started = Date.now();
    fwd.start();
    await spool.append([batch(0)]); // refused while the database is missing: must not be lost
    await waitFor('retries', async () => fwd.stats.retries >= 3);
    expect(fwd.stats.failingSinceMs).toBeGreaterThanOrEqual(started);
    expect(fwd.stats.lastErrorKind).toBe('config');
    expect(fwd.stats.lastErrorHint).toMatch(new RegExp(`^create database ${db} \\(CREATE DATABASE "${db}"`));
    expect(fwd.stats.lastError).toMatch(/404/);
    const error = logs.find((l) => l.level === 'error');
    expect(error?.msg).toMatch(`create database ${db}`);
    expect(error?.fields).toMatchObject({ reason: expect.stringMatching(/database not found/) });
    expect(existsSync(deadFile)).toBe(false);
    expect(fwd.stats.deadLetteredLines).toBe(0);

    await spool.append([batch(50)]);
    await influx.query(`CREATE DATABASE ${db}`);
    await waitFor('all 100 delivered', async () => (await count(db)) === 100, 30_000);
    await waitFor('stats', async () => fwd.stats.failingSinceMs === null);
    expect(fwd.stats).toMatchObject({ linesWritten: 100, deadLetteredLines: 0 });
    expect(existsSync(deadFile)).toBe(false);
    await fwd.stop();
    await spool.close();
  });
});

it('v2: a wrong token is a config problem: retried, check credentials, never dead-lettered', async () => {
  const db = 'w_v2_token';
  await influx.query(`CREATE DATABASE ${db}`);
  const { fwd, spool, deadFile } = await forwarder('v2-token', kinds[1]![1](db, 'wrong-token'));
  await spool.append([encodeReadings([{ signal: 'E-1', timeMs: 1_790_000_000_000, value: 1 }])]);
  fwd.start();
  await waitFor('retries', async () => fwd.stats.retries >= 2);
  expect(fwd.stats).toMatchObject({ lastErrorKind: 'config', deadLetteredLines: 0, linesWritten: 0 });
  expect(fwd.stats.lastErrorHint).toMatch(/check credentials: influx.token/);
  expect(fwd.stats.failingSinceMs).not.toBeNull();
  expect(existsSync(deadFile)).toBe(false);
  await fwd.stop();
  await spool.close();
});

function plantConfig(name: string, influxYaml: string, deadDir: string): string {
  const file = path.join(tmp.dir, `${name}.yaml`);
  writeFileSync(
    file,
    `
site: { id: S }
carriers: [{ id: electricity, unit: kWh, emissionScope: 2 }]
signals:
  - { id: E-1, kind: counter, unit: kWh, carrier: electricity }
organisation: { committee: { id: C }, branches: [{ id: B }] }
influx: ${influxYaml}
collector: { deadLetterDir: "${deadDir}" }
`,
  );
  return file;
}

describe('plantkpi deadletter replay', () => {
  it('after a retention policy change: replayed readings are stored and leave the file; twice changes nothing', async () => {
    const db = 'replay_v1';
    await influx.query(`CREATE DATABASE ${db}`);
    await influx.query(`CREATE RETENTION POLICY short ON ${db} DURATION 1h REPLICATION 1 DEFAULT`);
    const now = sec(Date.now());
    const hoursOld = Array.from({ length: 10 }, (_, i) => ({
      signal: 'A',
      timeMs: now - 3 * 3600_000 + i * 1000,
      value: i,
    }));
    const monthOld = Array.from({ length: 5 }, (_, i) => ({
      signal: 'B',
      timeMs: now - 30 * 86400_000 + i * 1000,
      value: i,
    }));
    const fresh = Array.from({ length: 10 }, (_, i) => ({
      signal: 'C',
      timeMs: now - 60_000 + i * 1000,
      value: i,
    }));
    const { fwd, spool, deadDir, deadFile } = await forwarder('replay-v1', kinds[0]![1](db));
    await appendMixed(spool, fresh, [...hoursOld, ...monthOld]);
    expect(await drain(fwd)).toBe(25);
    await spool.close();
    expect(deadReadings(deadFile)).toHaveLength(15);
    expect(await count(db)).toBe(10);

    // InfluxDB unusable for the replay (database missing): exit 1 with the fix, file untouched
    const original = readFileSync(deadFile, 'utf8');
    const broken = plantConfig('replay-absent', `{ url: "${influx.url}", database: absent }`, deadDir);
    const r0 = await cli('deadletter', 'replay', '--config', broken);
    expect(r0.code).toBe(1);
    expect(r0.err).toMatch(/create database absent/);
    expect(readFileSync(deadFile, 'utf8')).toBe(original);

    // a week of retention: the hours-old readings now fit, the month-old ones still do not
    await influx.query(`ALTER RETENTION POLICY short ON ${db} DURATION 7d`);
    const config = plantConfig(
      'replay-v1',
      `{ url: "${influx.url}", database: ${db}, batchLines: 4 }`,
      deadDir,
    );
    const r1 = await cli('deadletter', 'replay', '--config', config);
    expect(r1.err).toBe('');
    expect(r1.code).toBe(4);
    expect(r1.out).toMatch(/: 10 of 15 readings replayed .*; 5 still refused \(kept\)/);
    expect(r1.out).toMatch(/still refused: InfluxDB answered 400: points beyond retention policy/);
    expect(await count(db)).toBe(20);
    expect(deadReadings(deadFile).sort(byTime)).toEqual(monthOld);

    const kept = readFileSync(deadFile, 'utf8');
    const r2 = await cli('deadletter', 'replay', '--config', config, '--file', 'influx-refused.jsonl');
    expect(r2.code).toBe(4);
    expect(r2.out).toMatch(/: 0 of 5 readings replayed/);
    expect(readFileSync(deadFile, 'utf8')).toBe(kept);
    expect(await count(db)).toBe(20);

    await influx.query(`ALTER RETENTION POLICY short ON ${db} DURATION INF`);
    const r3 = await cli('deadletter', 'replay', '--config', config, '--file', deadFile);
    expect(r3.code).toBe(0);
    expect(r3.out).toMatch(/: 5 of 5 readings replayed .*; 0 still refused/);
    expect(await count(db)).toBe(25);
    expect(readFileSync(deadFile, 'utf8')).toBe('');

    const r4 = await cli('deadletter', 'replay', '--config', config);
    expect(r4.code).toBe(0);
    expect(r4.out).toMatch(/nothing to replay/);
    expect(await count(db)).toBe(25);
  });

  it('through the v2 API (token from the environment), after the database was given room', async () => {
    const db = 'replay_v2';
    await influx.query(`CREATE DATABASE ${db}`);
    await influx.query(`CREATE RETENTION POLICY short ON ${db} DURATION 1h REPLICATION 1 DEFAULT`);
    const now = sec(Date.now());
    const old = Array.from({ length: 12 }, (_, i) => ({
      signal: 'A',
      timeMs: now - 5 * 3600_000 + i * 1000,
      value: i,
    }));
    const fresh = Array.from({ length: 6 }, (_, i) => ({
      signal: 'C',
      timeMs: now - 60_000 + i * 1000,
      value: i,
    }));
    const { fwd, spool, deadDir, deadFile } = await forwarder('replay-v2', kinds[1]![1](db));
    await appendMixed(spool, fresh, old);
    expect(await drain(fwd)).toBe(18);
    await spool.close();
    expect(deadReadings(deadFile).sort(byTime)).toEqual(old);

    await influx.query(`ALTER RETENTION POLICY short ON ${db} DURATION INF`);
    process.env.PLANTKPI_TEST_V2_TOKEN = compat.token;
    const config = plantConfig(
      'replay-v2',
      `{ url: "${compat.url}", version: 2, token: { env: PLANTKPI_TEST_V2_TOKEN }, org: plant, bucket: ${db} }`,
      deadDir,
    );
    const writesBefore = compat.v2Writes;
    const r1 = await cli('deadletter', 'replay', '--config', config);
    expect(r1.code).toBe(0);
    expect(r1.out).toMatch(/12 of 12 readings replayed \(stored in InfluxDB v2 /);
    expect(compat.v2Writes).toBeGreaterThan(writesBefore);
    expect(await count(db)).toBe(18);
    expect(deadReadings(deadFile)).toEqual([]);
    const r2 = await cli('deadletter', 'replay', '--config', config);
    expect(r2.code).toBe(0);
    expect(await count(db)).toBe(18);
  });

  it('usage and config mistakes', async () => {
    expect((await cli('deadletter')).code).toBe(2);
    expect((await cli('deadletter', 'replay')).code).toBe(2);
    const noInflux = path.join(tmp.dir, 'no-influx.yaml');
    mkdirSync(tmp.dir, { recursive: true });
    writeFileSync(
      noInflux,
      `site: { id: S }
carriers: [{ id: electricity, unit: kWh, emissionScope: 2 }]
signals: [{ id: E-1, kind: counter, unit: kWh, carrier: electricity }]
organisation: { committee: { id: C }, branches: [{ id: B }] }
`,
    );
    const r = await cli('deadletter', 'replay', '--config', noInflux);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/has no influx section/);
  });
});
