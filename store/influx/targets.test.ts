/**
 * The write targets against a real private InfluxDB 1.x (v1 path) and through the v2 API in front of it: writes,
 * partial writes (exactly the refused lines named, every other one stored), and how failures are judged. A tiny
 * local server stands in only for answers InfluxDB 1.6 cannot give (2.x and 3.x bodies, 401/403 on /write).
 */
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InfluxServer, startInflux } from '../../test/services/influxd.ts';
import { freePort } from '../../test/services/ports.ts';
import { startV2Compat, type V2Compat } from '../../test/services/v2-compat.ts';
import { readingLine } from './line-protocol.ts';
import { PartialWriteError, V1WriteTarget, V2WriteTarget, WriteError, type WriteTarget } from './targets.ts';

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

async function values(db: string, where = ''): Promise<[number, number][]> {
  const r = (await influx.query(`SELECT value FROM reading ${where} ORDER BY time`, db)) as {
    results: { series?: { values: [number, number][] }[] }[];
  };
  return r.results[0]?.series?.[0]?.values ?? [];
}

const kinds: [string, (db: string, rp?: string) => WriteTarget][] = [
  [
    'v1 /write',
    (db, rp) =>
      new V1WriteTarget({
        url: influx.url,
        database: db,
        ...(rp !== undefined ? { retentionPolicy: rp } : {}),
      }),
  ],
  [
    'v2 write API',
    (db, rp) =>
      new V2WriteTarget({
        url: compat.url,
        token: compat.token,
        org: 'plant',
        bucket: `${db}/${rp ?? 'autogen'}`,
      }),
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

  it('a refused batch (field type conflict) is a non-retryable data WriteError with the reason', async () => {
    const t = make(db);
    const err = await t.write(['reading,site=S,signal=E-1 value="text" 1790000009000']).catch((e) => e);
    expect(err).toBeInstanceOf(PartialWriteError);
    expect(err).toBeInstanceOf(WriteError);
    expect(err.retryable).toBe(false);
    expect(err.kind).toBe('data');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/field type conflict/);
    expect(err.refused).toEqual([
      { index: 0, reason: expect.stringMatching(/field type conflict/), status: 400 },
    ]);
  });

  it('points beyond the retention policy: exactly those are refused, every other one is stored', async () => {
    const rdb = `${db}_rp`;
    await influx.query(`CREATE DATABASE ${rdb}`);
    await influx.query(`CREATE RETENTION POLICY short ON ${rdb} DURATION 1h REPLICATION 1 DEFAULT`);
    const now = Math.floor(Date.now() / 1000) * 1000;
    // interleaved: old (3 h ago) and new (within the hour)
    const times = Array.from({ length: 40 }, (_, i) =>
      i % 3 === 0 ? now - 3 * 3600_000 - i * 1000 : now - i * 1000,
    );
    const lines = times.map((t, i) => readingLine('S', { signal: 'E-1', timeMs: t, value: i }));
    const err = await make(rdb, 'short')
      .write(lines)
      .catch((e) => e);
    expect(err).toBeInstanceOf(PartialWriteError);
    const p = err as PartialWriteError;
    const old = times.flatMap((t, i) => (t < now - 3600_000 ? [i] : []));
    expect(p.refused.map((r) => r.index)).toEqual(old);
    expect(p.refused[0]!.reason).toBe('InfluxDB answered 400: points beyond retention policy');
    expect(p.expectedRefused).toBe(old.length);
    expect(p.stored).toBe(40 - old.length);
    expect(await values(rdb)).toHaveLength(40 - old.length);
  });

  it('unparsable lines are taken from the answer; the others are stored', async () => {
    const pdb = `${db}_parse`;
    await influx.query(`CREATE DATABASE ${pdb}`);
    const lines = [
      readingLine('S', { signal: 'A', timeMs: 1_790_000_000_000, value: 1 }),
      'reading,site=S,signal=B value= 1790000001000',
      readingLine('S', { signal: 'A', timeMs: 1_790_000_002_000, value: 2 }),
      "it's garbage",
    ];
    const err = (await make(pdb)
      .write(lines)
      .catch((e) => e)) as PartialWriteError;
    expect(err).toBeInstanceOf(PartialWriteError);
    expect(err.refused).toEqual([
      { index: 1, reason: 'unable to parse: missing field value', status: 400 },
      { index: 3, reason: expect.stringMatching(/^unable to parse: /), status: 400 },
    ]);
    expect(err.requests).toBe(2); // the answer, then the rest once more
    expect(await values(pdb)).toEqual([
      [1_790_000_000_000, 1],
      [1_790_000_002_000, 2],
    ]);
  });

  it('a missing database is a config problem to retry, with what to do', async () => {
    const err = await make('nope')
      .write([readingLine('S', { signal: 'E', timeMs: 1, value: 1 })])
      .catch((e) => e);
    expect(err).toBeInstanceOf(WriteError);
    expect(err).not.toBeInstanceOf(PartialWriteError);
    expect(err.status).toBe(404);
    expect(err.kind).toBe('config');
    expect(err.retryable).toBe(true);
    expect(err.hint).toMatch(/^create database nope \(CREATE DATABASE "nope"/);
  });

  it('an unreachable server is a retryable transient WriteError', async () => {
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
    expect(err.kind).toBe('transient');
  });
});

it('v2: a wrong token (401) is a config problem: check credentials', async () => {
  const t = new V2WriteTarget({ url: compat.url, token: 'wrong', org: 'plant', bucket: 'x/autogen' });
  const err = await t.write([readingLine('S', { signal: 'E', timeMs: 1, value: 1 })]).catch((e) => e);
  expect(err).toMatchObject({ status: 401, kind: 'config', retryable: true });
  expect(err.hint).toMatch(/check credentials: influx.token/);
});

it('the v2 path really went through the v2 API', () => {
  expect(compat.v2Writes).toBeGreaterThan(0);
});

/**
 * A stand-in for answers InfluxDB 1.6 cannot give: InfluxDB 2.x (422 {code, message} partial writes, 404 bucket),
 * InfluxDB 3 (line numbers), and 401/403 on /write. It stores what it does not refuse, so the test can check.
 */
describe('answers of other InfluxDB versions', () => {
  let server: http.Server;
  let url: string;
  const stored: string[] = [];
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const lines = body.toString('utf8').split('\n');
      const q = new URL(req.url ?? '/', url).searchParams;
      const json = (status: number, o: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(o));
      const where = q.get('bucket') ?? q.get('db');
      if (where === 'missing') return json(404, { code: 'not found', message: 'bucket "missing" not found' });
      if (where === 'noauth') return json(401, { error: 'authorization failed' });
      if (where === 'forbidden')
        return json(403, { error: '"u" user is not authorized to write to database "forbidden"' });
      const bad = lines.flatMap((l, i) => (l.includes('signal=old') ? [i] : []));
      for (const [i, l] of lines.entries()) if (!bad.includes(i)) stored.push(l);
      if (bad.length === 0) return res.writeHead(204).end();
      if (req.url?.startsWith('/api/v2/write')) {
        return json(422, {
          code: 'unprocessable entity',
          message: `failure writing points to database: partial write: points beyond retention policy dropped=${bad.length}`,
        });
      }
      return json(400, {
        error: 'partial write of line protocol occurred',
        data: bad.map((i) => ({
          original_line: lines[i],
          line_number: i + 1,
          error_message: 'out of retention',
        })),
      });
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const batch = (tag: string) =>
    Array.from({ length: 10 }, (_, i) =>
      readingLine('S', { signal: i % 4 === 1 ? 'old' : `${tag}-${i}`, timeMs: 1000 + i, value: i }),
    );

  it('InfluxDB 2.x: 422 {code, message} partial write -> exactly the refused lines', async () => {
    stored.length = 0;
    const lines = batch('v2');
    const t = new V2WriteTarget({ url, token: 't', org: 'o', bucket: 'b' });
    const err = (await t.write(lines).catch((e) => e)) as PartialWriteError;
    expect(err).toBeInstanceOf(PartialWriteError);
    expect(err.status).toBe(422);
    expect(err.refused.map((r) => r.index)).toEqual([1, 5, 9]);
    expect(err.refused[0]!.reason).toMatch(/points beyond retention policy$/);
    expect(new Set(stored)).toEqual(new Set(lines.filter((l) => !l.includes('signal=old'))));
  });

  it('InfluxDB 2.x: 404 bucket not found is a config problem', async () => {
    const t = new V2WriteTarget({ url, token: 't', org: 'o', bucket: 'missing' });
    const err = await t.write(batch('x')).catch((e) => e);
    expect(err).toMatchObject({ kind: 'config', status: 404, retryable: true });
    expect(err.hint).toMatch(/create bucket missing in org o/);
  });

  it('InfluxDB 3: refused lines by number, found in one request and one confirmation', async () => {
    stored.length = 0;
    const lines = batch('v3');
    const t = new V1WriteTarget({ url, database: 'plant' });
    const err = (await t.write(lines).catch((e) => e)) as PartialWriteError;
    expect(err.refused).toEqual(
      [1, 5, 9].map((index) => ({ index, reason: 'out of retention', status: 400 })),
    );
    expect(err.requests).toBe(2);
  });

  it('v1: 401 and 403 are config problems: check credentials', async () => {
    for (const [db, status, hint] of [
      ['noauth', 401, /influx.username and influx.password/],
      ['forbidden', 403, /GRANT WRITE ON "forbidden" TO "u"/],
    ] as const) {
      const t = new V1WriteTarget({ url, database: db, username: 'u', password: 'p' });
      const err = await t.write(batch('a')).catch((e) => e);
      expect(err).toMatchObject({ status, kind: 'config', retryable: true });
      expect(err.hint).toMatch(hint);
    }
  });
});
