/** The write targets against a real private InfluxDB 1.x (v1 path) and through the v2 API in front of it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InfluxServer, startInflux } from '../../test/services/influxd.ts';
import { startV2Compat, type V2Compat } from '../../test/services/v2-compat.ts';
import { readingLine } from './line-protocol.ts';
import { V1WriteTarget, V2WriteTarget, WriteError, type WriteTarget } from './targets.ts';

let influx: InfluxServer;
let compat: V2Compat;
beforeAll(async () => {
  influx = await startInflux();
  compat = await startV2Compat(influx.url);
});
afterAll(async () => {
  await compat?.close();
  await influx?.destroy();
});

async function values(db: string): Promise<[number, number][]> {
  const r = (await influx.query('SELECT value FROM reading ORDER BY time', db)) as {
    results: { series?: { values: [number, number][] }[] }[];
  };
  return r.results[0]?.series?.[0]?.values ?? [];
}

const kinds: [string, (db: string) => WriteTarget][] = [
  ['v1 /write', (db) => new V1WriteTarget({ url: influx.url, database: db })],
  [
    'v2 write API',
    (db) =>
      new V2WriteTarget({ url: compat.url, token: compat.token, org: 'plant', bucket: `${db}/autogen` }),
  ],
];

describe.each(kinds)('write target: %s', (name, make) => {
  const db = `t_${name.replace(/\W/g, '_')}`;
  beforeAll(async () => {
    await influx.query(`CREATE DATABASE ${db}`);
  });

  it('writes points with their source time; a replay overwrites instead of doubling', async () => {
    const t = make(db);
    const lines = [1, 2, 3].map((i) =>
      readingLine('S', { signal: 'E-1', timeMs: 1_790_000_000_000 + i * 1000, value: i * 1.5 }),
    );
    await t.write(lines);
    await t.write(lines);
    expect(await values(db)).toEqual([
      [1_790_000_001_000, 1.5],
      [1_790_000_002_000, 3],
      [1_790_000_003_000, 4.5],
    ]);
  });

  it('a refused batch (field type conflict) is a non-retryable WriteError with the reason', async () => {
    const t = make(db);
    const err = await t.write(['reading,site=S,signal=E-1 value="text" 1790000009000']).catch((e) => e);
    expect(err).toBeInstanceOf(WriteError);
    expect(err.retryable).toBe(false);
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/field type conflict/);
  });

  it('an unreachable server is a retryable WriteError', async () => {
    const t =
      name === 'v1 /write'
        ? new V1WriteTarget({ url: 'http://127.0.0.1:9', database: db, timeoutMs: 2000 })
        : new V2WriteTarget({
            url: 'http://127.0.0.1:9',
            token: 'x',
            org: 'o',
            bucket: 'b',
            timeoutMs: 2000,
          });
    const err = await t.write([readingLine('S', { signal: 'E', timeMs: 1, value: 1 })]).catch((e) => e);
    expect(err).toBeInstanceOf(WriteError);
    expect(err.retryable).toBe(true);
  });
});

it('the v2 path really went through the v2 API', () => {
  expect(compat.v2Writes).toBeGreaterThan(0);
});
