/**
 * KPI jobs with real Redis and InfluxDB and worker processes: a worker SIGKILLed in the middle of a job leaves exactly
 * one set of KPI points for the period once another worker has taken the job over; `plantkpi export` on demand.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlantConfig } from '../config/load.ts';
import { importCsvFile } from '../ingest/csv/import.ts';
import { configHash } from '../kpi/jobs/plan.ts';
import { enqueueCompute } from '../kpi/jobs/queue.ts';
import { InfluxStore } from '../store/influx/store.ts';
import { V1WriteTarget } from '../store/influx/targets.ts';
import { cli, REFERENCE, REFERENCE_CONFIG, ROOT, tempDir } from './helpers.ts';
import { type InfluxServer, startInflux } from './services/influxd.ts';
import { waitFor } from './services/ports.ts';
import { type RedisServer, startRedis } from './services/redis.ts';

const tmp = tempDir('plantkpi-jobsinflux-');
let influx: InfluxServer;
let redis: RedisServer;
let configFile: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  [influx, redis] = await Promise.all([startInflux(), startRedis()]);
  await influx.query('CREATE DATABASE plant');
  configFile = path.join(tmp.dir, 'plant.yaml');
  writeFileSync(
    configFile,
    `${readFileSync(REFERENCE_CONFIG, 'utf8')}
influx: { url: "${influx.url}", database: plant }
jobs:
  redis: { url: "${redis.url}" }
  prefix: killed
  hourlyCron: "0 0 1 1 *"
  dailyCron: "0 0 1 1 *"
  monthlyCron: "0 0 1 1 *"
  exportDir: "${tmp.dir}/exports"
  lockDurationMs: 1500
`,
  );
  const store = new InfluxStore(
    { url: influx.url, database: 'plant', site: 'SITE' },
    new V1WriteTarget({ url: influx.url, database: 'plant' }),
  );
  const rep = await importCsvFile(path.join(REFERENCE, 'readings.csv'), store);
  expect(rep.pointsWritten).toBe(5960);
});
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await Promise.all([influx?.destroy(), redis?.destroy()]);
  tmp.cleanup();
});

function startWorkerProcess(): ChildProcess {
  const child = spawn('node', [path.join(ROOT, 'bin', 'plantkpi.js'), 'worker', '--config', configFile], {
    stdio: 'ignore',
  });
  workers.push(child);
  return child;
}

async function kpiPoints(): Promise<{ count: number; series: number }> {
  const c = (await influx.query(`SELECT count("value") FROM kpi WHERE period_kind = 'month'`, 'plant')) as {
    results: { series?: { values: [number, number][] }[] }[];
  };
  const s = (await influx.query(`SHOW SERIES FROM kpi WHERE period_kind = 'month'`, 'plant')) as {
    results: { series?: { values: unknown[][] }[] }[];
  };
  return {
    count: c.results[0]?.series?.[0]?.values[0]?.[1] ?? 0,
    series: s.results[0]?.series?.[0]?.values.length ?? 0,
  };
}

describe('KPI jobs with worker processes and InfluxDB', () => {
  it('a worker killed mid-job leaves exactly one set of KPI points for the month once restarted', async () => {
    const config = parsePlantConfig(readFileSync(configFile, 'utf8'));
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('kpi', { connection, prefix: 'killed' });
    const { id } = await enqueueCompute(
      queue,
      { kind: 'month', period: '2026-10', configHash: configHash(config), reason: 'test' },
      config.jobs,
    );

    // the 'active' event is pushed as the worker takes the job, so the kill lands in the middle of it
    const eventsConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const events = new QueueEvents('kpi', { connection: eventsConnection, prefix: 'killed' });
    await events.waitUntilReady();
    const taken = new Promise<void>((resolve) =>
      events.on('active', ({ jobId }) => jobId === id && resolve()),
    );
    const first = startWorkerProcess();
    await taken;
    first.kill('SIGKILL');
    await events.close();
    eventsConnection.disconnect();
    startWorkerProcess();
    await waitFor(
      'job completed by the second worker',
      async () => (await (await queue.getJob(id))?.getState()) === 'completed',
      60_000,
    );

    const job = (await queue.getJob(id))!;
    const rows = (job.returnvalue as { rows: number }).rows;
    expect(rows).toBeGreaterThan(40);
    expect(await kpiPoints()).toEqual({ count: rows, series: rows });

    // the same month again (a recompute) overwrites: still one set
    await enqueueCompute(
      queue,
      { kind: 'month', period: '2026-10', configHash: configHash(config), reason: 'again' },
      config.jobs,
      '_again',
    );
    await waitFor(
      'second run',
      async () => (await (await queue.getJob(`${id}_again`))?.getState()) === 'completed',
      30_000,
    );
    expect(await kpiPoints()).toEqual({ count: rows, series: rows });

    // and the points are the reference values
    const r = (await influx.query(
      `SELECT "value" FROM kpi WHERE kpi = 'intensity.energy' AND scope_id = 'A-BLR'`,
      'plant',
    )) as {
      results: { series?: { values: [number, number][] }[] }[];
    };
    expect(r.results[0]?.series?.[0]?.values[0]?.[1]).toBeCloseTo(16.2726, 6);
    await queue.close();
    connection.disconnect();
  }, 120_000);

  it('plantkpi export --period writes the month on demand from InfluxDB, identical CSV and Arrow when run twice', async () => {
    const out = path.join(tmp.dir, 'ondemand');
    const a = await cli('export', '--config', configFile, '--period', '2026-10', '--out', out);
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    const m1 = JSON.parse(readFileSync(path.join(out, '2026-10', 'manifest.json'), 'utf8'));
    await cli('export', '--config', configFile, '--period', '2026-10', '--out', out);
    const m2 = JSON.parse(readFileSync(path.join(out, '2026-10', 'manifest.json'), 'utf8'));
    const hashed = (m: { files: { path: string; sha256: string | null }[] }) =>
      m.files.filter((f) => f.sha256 !== null);
    expect(hashed(m2)).toEqual(hashed(m1));
    expect(hashed(m1).length).toBe(6);
    const csv = readFileSync(path.join(out, '2026-10', 'plantkpi-SITE-2026-10.csv'), 'utf8');
    expect(csv).toContain(
      'kpi,intensity.energy,单位产品综合能耗 Energy intensity,area,A-ELY-1,2026-10,259.11416666666',
    );
    const wrong = await cli('export', '--config', configFile, '--period', '2026-10-05', '--out', out);
    expect(wrong.code).toBe(2);
  }, 60_000);
});
