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
import { configHash, jobId, periodsBetween } from '../kpi/jobs/plan.ts';
import { enqueueCompute, kpiQueue } from '../kpi/jobs/queue.ts';
import { openRuntime } from '../kpi/jobs/runtime.ts';
import { requestComputes, SCHEDULER_IDS } from '../kpi/jobs/worker.ts';
import { runPeriod } from '../kpi/run.ts';
import { InfluxStore } from '../store/influx/store.ts';
import { V1WriteTarget } from '../store/influx/targets.ts';
import { parsePeriod } from '../transforms/periods.ts';
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
records: { dir: "${tmp.dir}/records-killed" }
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

function startWorkerProcess(file = configFile, command = 'worker', log?: string[]): ChildProcess {
  const child = spawn('node', [path.join(ROOT, 'bin', 'plantkpi.js'), command, '--config', file], {
    stdio: log ? ['ignore', 'pipe', 'pipe'] : 'ignore',
  });
  if (log) {
    child.stdout?.on('data', (b: Buffer) => log.push(b.toString()));
    child.stderr?.on('data', (b: Buffer) => log.push(b.toString()));
  }
  workers.push(child);
  return child;
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null ? Promise.resolve(c.exitCode) : new Promise<number | null>((r) => c.once('exit', r));

async function kpiPoints(kind = 'month'): Promise<{ count: number; series: number }> {
  const c = (await influx.query(`SELECT count("value") FROM kpi WHERE period_kind = '${kind}'`, 'plant')) as {
    results: { series?: { values: [number, number][] }[] }[];
  };
  const s = (await influx.query(`SHOW SERIES FROM kpi WHERE period_kind = '${kind}'`, 'plant')) as {
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
    // the KPI CSV and Arrow and the scorecard CSV of the site and of its two branches
    expect(hashed(m1).length).toBe(9);
    const csv = readFileSync(path.join(out, '2026-10', 'plantkpi-SITE-2026-10.csv'), 'utf8');
    expect(csv).toContain(
      'kpi,intensity.energy,单位产品综合能耗 Energy intensity,area,党员责任区 Responsibility area,A-ELY-1,电解一区党员责任区 Electrolysis area 1,2026-10,259.11,kgce/t,',
    );
    const wrong = await cli('export', '--config', configFile, '--period', '2026-10-05', '--out', out);
    expect(wrong.code).toBe(2);
  }, 60_000);

  it('Redis flushed in the middle of a month close: lock and audit intact, schedulers back, one set of KPI points per period', async () => {
    const recordsDir = path.join(tmp.dir, 'records-flush');
    const file = path.join(tmp.dir, 'flush.yaml');
    writeFileSync(
      file,
      `${readFileSync(REFERENCE_CONFIG, 'utf8')}
influx: { url: "${influx.url}", database: plant }
records: { dir: "${recordsDir}" }
jobs:
  redis: { url: "${redis.url}" }
  prefix: flush
  hourlyCron: "0 0 1 1 *"
  dailyCron: "0 0 1 1 *"
  monthlyCron: "0 0 1 1 *"
  exportDir: "${tmp.dir}/exports-flush"
  schedulerCheckMs: 300
  catchUpDays: 0
`,
    );
    const config = parsePlantConfig(readFileSync(file, 'utf8'));
    const logs: string[] = [];
    const worker = startWorkerProcess(file, 'worker', logs);
    const scheduler = startWorkerProcess(file, 'scheduler', logs);
    // this test asks for the periods as the scheduler and a backfill would: the month's close, then its days
    const rt = await openRuntime(config, tmp.dir, 'backfill');
    const queue = kpiQueue(rt.connection, config.jobs);
    const events = new QueueEvents('kpi', {
      connection: new Redis(redis.url, { maxRetriesPerRequest: null }),
      prefix: 'flush',
    });
    try {
      await waitFor(
        'schedulers installed',
        async () => (await queue.getJobScheduler('kpi-month')) !== undefined,
        30_000,
      );
      await events.waitUntilReady();
      const monthId = jobId('month', '2026-10', rt.configHash);
      const taken = new Promise<void>((resolve) =>
        events.on('active', ({ jobId: id }) => id === monthId && resolve()),
      );
      const days = periodsBetween('day', '2026-10-01', '2026-11-01', config.site.timeZone);
      await requestComputes(rt, queue, [
        {
          data: {
            kind: 'month',
            period: '2026-10',
            configHash: rt.configHash,
            reason: 'schedule',
            export: true,
          },
        },
        ...days.map((d) => ({
          data: { kind: 'day' as const, period: d.label, configHash: rt.configHash, reason: 'backfill' },
        })),
      ]);
      // the worker has taken the month's close: Redis loses everything (a restart without persistence)
      await taken;
      await rt.connection.flushall();

      // the scheduler's watch installs its schedulers again and queues what was asked for and is not computed
      await waitFor(
        'schedulers back',
        async () => (await queue.getJobScheduler('kpi-month')) !== undefined,
        30_000,
      );
      for (const id of SCHEDULER_IDS) expect(await queue.getJobScheduler(id)).toBeDefined();
      // (polling Redis, not the records store: each look at the embedded store would take it from the worker)
      await waitFor(
        'recovery logged',
        async () => /job schedulers installed again/.test(logs.join('')),
        30_000,
      );
      await waitFor(
        'queue drained',
        async () => (await queue.getActiveCount()) + (await queue.getWaitingCount()) === 0,
        120_000,
      );
      expect(await rt.records.pending()).toEqual([]);
      expect((await rt.records.computed()).length).toBe(32);

      // the month's close happened once: K-1 closed by its KPI (the reference plant's key task), exported, locked,
      // audited; nothing refused, the chain whole
      expect(await rt.records.isLocked('2026-10')).toBe(true);
      expect((await rt.records.list({ period: '2026-10' })).map((e) => e.action)).toEqual([
        'task-close',
        'export',
        'lock',
      ]);
      expect((await rt.records.manifest('2026-10'))?.manifestJson).toBe(
        readFileSync(path.join(tmp.dir, 'exports-flush', '2026-10', 'manifest.json'), 'utf8'),
      );
      expect(await rt.records.verify()).toMatchObject({ ok: true });
      // the month's export carries its settled scorecard: K-1 closed in 2026-10, in the site's set and its branch's
      const files = JSON.parse(
        readFileSync(path.join(tmp.dir, 'exports-flush', '2026-10', 'manifest.json'), 'utf8'),
      ).files.map((f: { path: string }) => f.path);
      expect(files).toContain(`plantkpi-${rt.plant.site.id}-2026-10-scorecard.csv`);
      const siteCsv = readFileSync(
        path.join(tmp.dir, 'exports-flush', '2026-10', `plantkpi-${rt.plant.site.id}-2026-10-scorecard.csv`),
        'utf8',
      );
      expect(siteCsv).toMatch(/\ntask,K-1,team,T-BLR,[^\n]*,已销号 closed,2026-10,/);

      // InfluxDB holds exactly one set of KPI points per period: as many as one computation of it gives
      await waitFor(
        'workers idle',
        async () => (await queue.getActiveCount()) + (await queue.getWaitingCount()) === 0,
        60_000,
      );
      let expectedDayRows = 0;
      for (const d of days) expectedDayRows += (await runPeriod(rt.store, rt.plant, d)).kpis.length;
      const monthRows = (await runPeriod(rt.store, rt.plant, parsePeriod('2026-10', config.site.timeZone)))
        .kpis.length;
      expect(await kpiPoints('month')).toEqual({ count: monthRows, series: monthRows });
      expect((await kpiPoints('day')).count).toBe(expectedDayRows);
    } finally {
      await events.close();
      await queue.close();
      await rt.close();
      worker.kill('SIGTERM');
      scheduler.kill('SIGTERM');
      expect(await exited(worker)).toBe(0);
      expect(await exited(scheduler)).toBe(0);
    }
  }, 240_000);
});
