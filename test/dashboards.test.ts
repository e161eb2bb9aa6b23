/**
 * Every panel query and variable query of every shipped board runs against a real InfluxDB loaded with the demo's
 * output (a simulated month: readings through the collector, KPI, target and completeness points from the jobs on
 * real Redis, job outcomes, the collector's own counters) and returns rows. Grafana's macros and variables are
 * substituted as Grafana would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOARDS, grafanaJson } from '../dashboards/boards.ts';
import { cli, ROOT, tempDir } from './helpers.ts';
import { type InfluxServer, startInflux } from './services/influxd.ts';
import { type Broker, startMosquitto } from './services/mosquitto.ts';
import { type RedisServer, startRedis } from './services/redis.ts';

const tmp = tempDir('plantkpi-boards-');
let influx: InfluxServer;
let redis: RedisServer;
const BOARD_DIR = path.join(ROOT, 'dashboards', 'boards');

interface Target {
  query: string;
}
interface Panel {
  title: string;
  targets: Target[];
}
interface Board {
  title: string;
  panels: Panel[];
  templating: { list: { name: string; query: string }[] };
}

let broker: Broker;

beforeAll(async () => {
  [influx, redis, broker] = await Promise.all([startInflux(), startRedis(), startMosquitto()]);
  // the demo's output: a simulated month through the collector into InfluxDB, KPI jobs on Redis
  const r = await cli(
    'demo',
    '--data',
    path.join(tmp.dir, 'demo'),
    '--mqtt',
    broker.url,
    '--influx',
    influx.url,
    '--redis',
    redis.url,
  );
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
}, 240_000);

afterAll(async () => {
  await Promise.all([influx?.destroy(), redis?.destroy(), broker?.destroy()]);
  tmp.cleanup();
});

/** Grafana's macros and variables, as Grafana expands them for a 90-day range ending now. */
function expand(q: string): string {
  return q
    .replaceAll('$timeFilter', "time >= '2026-09-01T00:00:00Z' AND time <= now() + 1d")
    .replaceAll('$__interval', '1h')
    .replaceAll('$branch', '(B-PWR|B-ELY)')
    .replaceAll('$area', '(A-BLR|A-CA)');
}

async function rows(q: string): Promise<number> {
  const r = (await influx.query(expand(q), 'plantkpi')) as {
    results: { error?: string; series?: { values: unknown[][] }[] }[];
  };
  const res = r.results[0]!;
  if (res.error) throw new Error(`${res.error}: ${expand(q)}`);
  return (res.series ?? []).reduce((n, s) => n + s.values.length, 0);
}

describe('Grafana boards', () => {
  const files = readdirSync(BOARD_DIR).filter((f) => f.endsWith('.json'));

  it('the shipped JSON is generated from dashboards/boards.ts (npm run dashboards) and has six boards', () => {
    expect(files.sort()).toEqual(BOARDS.map((b) => `${b.uid}.json`).sort());
    for (const b of BOARDS) {
      expect(JSON.parse(readFileSync(path.join(BOARD_DIR, `${b.uid}.json`), 'utf8'))).toEqual(grafanaJson(b));
    }
    expect(BOARDS).toHaveLength(6);
  });

  it('titles are zh-CN with English beside', () => {
    for (const b of BOARDS) {
      expect(b.title).toMatch(/[\u4e00-\u9fff].* [A-Za-z]/);
      for (const p of b.panels) expect(p.title, p.title).toMatch(/[\u4e00-\u9fff].* [A-Za-z]/);
    }
  });

  for (const f of readdirSync(BOARD_DIR).filter((x) => x.endsWith('.json'))) {
    it(`every query of ${f} returns rows`, async () => {
      const board = JSON.parse(readFileSync(path.join(BOARD_DIR, f), 'utf8')) as Board;
      for (const v of board.templating.list)
        expect(await rows(v.query), `${board.title} / variable ${v.name}`).toBeGreaterThan(0);
      for (const p of board.panels) {
        for (const t of p.targets)
          expect(await rows(t.query), `${board.title} / ${p.title}`).toBeGreaterThan(0);
      }
    });
  }

  it('provisioning names the data source uid the boards use, and the boards folder', () => {
    const ds = parse(
      readFileSync(path.join(ROOT, 'dashboards', 'provisioning', 'datasources', 'influxdb.yaml'), 'utf8'),
    );
    expect(ds.datasources[0]).toMatchObject({
      uid: 'plantkpi-influxdb',
      type: 'influxdb',
      database: 'plantkpi',
    });
    const prov = parse(
      readFileSync(path.join(ROOT, 'dashboards', 'provisioning', 'dashboards', 'plantkpi.yaml'), 'utf8'),
    );
    expect(prov.providers[0].options.path).toBe('/var/lib/grafana/dashboards/plantkpi');
  });
});
