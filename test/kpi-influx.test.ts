/**
 * `plantkpi import` and `plantkpi kpi` honour the config's `influx:` section (store/open.ts): the readings go into a
 * real private InfluxDB, not into --data, and the KPIs are computed from it, the same rows as from the embedded store.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, REFERENCE, REFERENCE_CONFIG, tempDir } from './helpers.ts';
import { type InfluxServer, startInflux } from './services/influxd.ts';

const tmp = tempDir('plantkpi-kpiinflux-');
let influx: InfluxServer;
let influxConfig: string;

beforeAll(async () => {
  influx = await startInflux();
  await influx.query('CREATE DATABASE plant');
  influxConfig = path.join(tmp.dir, 'plant.yaml');
  writeFileSync(
    influxConfig,
    `${readFileSync(REFERENCE_CONFIG, 'utf8')}\ninflux: { url: "${influx.url}", database: plant }\n`,
  );
});
afterAll(async () => {
  await influx?.destroy();
  tmp.cleanup();
});

async function readingsInInflux(): Promise<number> {
  const r = (await influx.query('SELECT count("value") FROM reading', 'plant')) as {
    results: { series?: { values: [number, number][] }[] }[];
  };
  return r.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}

interface KpiJson {
  kpis: { kpi: string; scope_id: string; period: string; value: number; provisional: boolean }[];
}

describe('plantkpi import and kpi with influx: in the config', () => {
  it('import writes the readings into InfluxDB, nothing into --data', async () => {
    const data = path.join(tmp.dir, 'influx-data');
    const csv = path.join(REFERENCE, 'readings.csv');
    const r = await cli('import', csv, '--config', influxConfig, '--data', data);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/5960 readings imported/);
    expect(await readingsInInflux()).toBe(5960);
    expect(existsSync(data)).toBe(false);
  });

  it('kpi reads from InfluxDB: the same rows as the embedded store gives, though --data is empty', async () => {
    const embedded = path.join(tmp.dir, 'embedded-data');
    const csv = path.join(REFERENCE, 'readings.csv');
    expect((await cli('import', csv, '--config', REFERENCE_CONFIG, '--data', embedded)).code).toBe(0);
    const empty = path.join(tmp.dir, 'empty');
    mkdirSync(empty);
    for (const period of ['2026-10', '2026-10-05']) {
      const fromEmbedded = await cli(
        'kpi',
        '--config',
        REFERENCE_CONFIG,
        '--data',
        embedded,
        '--period',
        period,
        '--format',
        'json',
      );
      const fromInflux = await cli(
        'kpi',
        '--config',
        influxConfig,
        '--data',
        empty,
        '--period',
        period,
        '--format',
        'json',
      );
      expect([fromInflux.code, fromInflux.err]).toEqual([0, '']);
      const want = (JSON.parse(fromEmbedded.out) as KpiJson).kpis;
      const got = (JSON.parse(fromInflux.out) as KpiJson).kpis;
      expect(want.length).toBeGreaterThan(10);
      expect(want.some((r) => r.value > 0 && !r.provisional)).toBe(true);
      expect(got.map((r) => [r.kpi, r.scope_id, r.period, r.provisional])).toEqual(
        want.map((r) => [r.kpi, r.scope_id, r.period, r.provisional]),
      );
      for (const [i, r] of want.entries()) {
        expect(Math.abs(got[i]!.value - r.value)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(r.value)));
      }
    }
    // nothing was opened in --data (the embedded store would have created its series folder)
    expect(readdirSync(empty)).toEqual([]);
  });
});
