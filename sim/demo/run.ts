/**
 * The one-command demo: the simulated site publishes a month (or `days`) of readings in accelerated time over MQTT
 * (an embedded aedes broker unless PLANTKPI_MQTT_URL is set) and OPC UA (a real node-opcua server); the collector
 * takes them into the embedded store (or InfluxDB when PLANTKPI_INFLUX_URL is set); then the month's and each day's
 * KPIs are computed with the same code as `plantkpi kpi` and the jobs, a summary is printed and the monthly export
 * is written.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { loadPlantConfig } from '../../config/load.ts';
import type { PlantConfig } from '../../config/schema.ts';
import { parseConfigTime } from '../../config/time.ts';
import { startCollector } from '../../ingest/collector.ts';
import { exportMonth } from '../../kpi/export/month.ts';
import { configHash } from '../../kpi/jobs/plan.ts';
import { enqueueCompute } from '../../kpi/jobs/queue.ts';
import { openRuntime } from '../../kpi/jobs/runtime.ts';
import { startWorker } from '../../kpi/jobs/worker.ts';
import { compilePlant } from '../../kpi/plant.ts';
import type { PeriodResult } from '../../kpi/rows.ts';
import { runPeriod } from '../../kpi/run.ts';
import { openSink } from '../../kpi/sink.ts';
import { InfluxSchema } from '../../store/influx/schema.ts';
import { openStore } from '../../store/open.ts';
import type { SeriesStore } from '../../store/port.ts';
import { type Period, parsePeriod, splitPeriod } from '../../transforms/periods.ts';
import { type SimReading, SiteSim } from '../site/model.ts';
import { publishStep } from '../site/publish.ts';

export interface DemoOptions {
  configFile: string;
  dataDir: string;
  /** simulated days from 2026-10-01 (31 = the whole month) */
  days: number;
  seed: number;
  /** real ms between simulated steps (the OPC UA server needs time to report each one) */
  paceMs: number;
  /** every n-th step also publishes a malformed payload (0: none) */
  badPayloadEvery: number;
  /** which faults to stage: rollover (E-ELY), replacement (E-AUX on day 20), outage (W-CMP on day 10) */
  faults: ReadonlySet<'rollover' | 'replacement' | 'outage'>;
  progress: (text: string) => void;
}

export interface DemoResult {
  /** the config as run (sources pointed at the demo's services, the meter replacement recorded) */
  config: PlantConfig;
  month: PeriodResult;
  days: PeriodResult[];
  published: { readings: number; badPayloads: number; opcuaWrites: number };
  stored: number;
  deadLettered: number;
  exportDir: string | null;
}

/** simulated time per step: half an hour, as the site's meters report */
const STEP_MS = 30 * 60_000;
const STEPS_PER_DAY = 86_400_000 / STEP_MS;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const { config } = loadPlantConfig(o.configFile);
  const tz = config.site.timeZone;
  const startMs = parseConfigTime('2026-10-01', tz);
  const endMs = Math.min(parseConfigTime('2026-11-01', tz), startMs + o.days * 86_400_000);
  rmSync(o.dataDir, { recursive: true, force: true });

  // services: an embedded broker unless one is configured, the casting line's OPC UA server
  let broker: { close(): Promise<void> } | null = null;
  let mqttUrl = process.env.PLANTKPI_MQTT_URL;
  if (!mqttUrl) {
    const aedes = await Aedes.createBroker();
    const server = net.createServer(aedes.handle as (s: net.Socket) => void);
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    mqttUrl = `mqtt://127.0.0.1:${port}`;
    broker = { close: () => new Promise((r) => aedes.close(() => server.close(() => r()))) };
  }
  // the casting line's PLC: a real OPC UA server in a process of its own, driven by the simulation over IPC
  const opcuaPort = await freePort();
  const opcua = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('../opcua/main.ts', import.meta.url)),
      '--driven',
      '--port',
      String(opcuaPort),
      '--pki',
      path.join(o.dataDir, 'sim-pki'),
      '--vars',
      'PK-1.state,PK-1.produced,PK-1.good',
      '--min-sampling-ms',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'ignore', 'ipc'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    opcua.stdout?.on('data', (d) => {
      out += d;
      const m = /ready (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    opcua.once('exit', (code) => reject(new Error(`the simulated OPC UA server exited (${code})`)));
  });
  const opcuaSet = (writes: [string, number, number][]) => opcua.send({ set: writes });

  config.sources.mqtt[0]!.url = mqttUrl;
  config.sources.opcua[0]!.endpoint = endpoint;
  config.sources.opcua[0]!.pkiDir = path.join(o.dataDir, 'client-pki');
  config.spool.dir = path.join(o.dataDir, 'spool');
  config.collector.deadLetterDir = path.join(o.dataDir, 'dead-letter');
  // a replay of October 2026: its readings are accepted however old they are by now (the 2000 floor still applies)
  const replayAgeS = Math.ceil((Date.now() - startMs) / 1000) + 86_400;
  config.collector.readingWindow.maxAgeS = Math.max(config.collector.readingWindow.maxAgeS, replayAgeS);
  config.jobs.exportDir = path.join(o.dataDir, 'exports');
  if (process.env.PLANTKPI_INFLUX_URL) {
    // InfluxDB 1.x by URL (database PLANTKPI_INFLUX_DB, default plantkpi): created if missing
    config.influx = InfluxSchema.parse({
      url: process.env.PLANTKPI_INFLUX_URL,
      database: process.env.PLANTKPI_INFLUX_DB ?? 'plantkpi',
    });
    const q = new URLSearchParams({ q: `CREATE DATABASE "${config.influx.database}"` });
    const res = await fetch(`${config.influx.url.replace(/\/$/, '')}/query`, { method: 'POST', body: q });
    if (!res.ok)
      throw new Error(
        `cannot create database ${config.influx.database} at ${config.influx.url}: ${res.status}`,
      );
  }
  const store = await openStore(config, path.join(o.dataDir, 'store'));
  const collector = await startCollector(config, () => {}, { store });

  // the simulated site: the E-AUX meter is replaced on day 20 (when the run gets there), W-CMP is out on day 10
  const day = (d: number, h = 0) => startMs + (d - 1) * 86_400_000 + h * 3_600_000;
  const sim = new SiteSim({
    seed: o.seed,
    startMs,
    stepMs: STEP_MS,
    faults: {
      rolloverAt: 1_000_000_000,
      rollover: o.faults.has('rollover'),
      replaceAuxAtMs: o.faults.has('replacement') && day(20) < endMs ? day(20) : null,
      outage: o.faults.has('outage') ? { fromMs: day(10, 6), toMs: day(10, 12) } : null,
    },
  });
  const pub = await mqtt.connectAsync(mqttUrl, {
    clientId: `plantkpi-demo-sim-${o.seed}`,
    protocolVersion: 4,
  });
  const published = { readings: 0, badPayloads: 0, opcuaWrites: 0 };
  const steps = Math.round((endMs - startMs) / STEP_MS);
  const send = async (readings: SimReading[], stepNo: number) => {
    const done = await publishStep(pub, readings, opcuaSet);
    published.readings += done.mqtt;
    published.opcuaWrites += done.opcua;
    if (o.badPayloadEvery > 0 && stepNo % o.badPayloadEvery === o.badPayloadEvery - 1) {
      await pub.publishAsync('site/cems/data', `{"signal":"SO2","value":"sensor fault #${stepNo}"`, {
        qos: 1,
      });
      published.badPayloads++;
    }
  };
  await send(sim.snapshot(), 0);
  for (let k = 1; k <= steps; k++) {
    await send(sim.step(), k);
    await new Promise((r) => setTimeout(r, o.paceMs));
    if (k % STEPS_PER_DAY === 0 || k === steps) {
      const pct = Math.round((k / steps) * 100);
      const bar = '#'.repeat(Math.round(pct / 4)).padEnd(25, '.');
      const d = Math.ceil(k / STEPS_PER_DAY);
      o.progress(
        `\r模拟 Simulating [${bar}] ${String(pct).padStart(3)}%  day ${d} of ${steps / STEPS_PER_DAY}`,
      );
    }
  }
  await pub.endAsync();
  o.progress('\n');

  // let every reading reach the store
  const expectedMqtt = published.readings;
  await waitUntil(async () => {
    const inMqtt = collector.metrics
      .render()
      .match(/plantkpi_readings_in_total\{source="site-broker"\} (\d+)/);
    const spooled = Number(inMqtt?.[1] ?? 0);
    const st = collector.spool.stats();
    return (
      spooled >= expectedMqtt && collector.forwarder.stats.linesWritten >= spooled && st.oldestAgeMs === 0
    );
  }, 60_000);
  await new Promise((r) => setTimeout(r, 1500)); // the last OPC UA notifications
  await collector.stop();
  await new Promise<void>((r) => {
    opcua.once('exit', () => r());
    opcua.kill('SIGTERM');
  });
  await broker?.close();

  // KPIs: the same code path as `plantkpi kpi` and the jobs
  if (sim.replacement) {
    const aux = config.signals.find((s) => s.id === 'E-AUX');
    if (aux && aux.kind === 'counter') {
      aux.replacements.push({
        at: new Date(sim.replacement.atMs).toISOString(),
        oldFinal: sim.replacement.oldFinal,
        newStart: 0,
        note: '电表更换 meter replaced (recorded by maintenance)',
      });
    }
  }
  const plant = compilePlant(config);
  const label =
    o.days >= 31 ? '2026-10' : `2026-10-01..${new Date(endMs + 8 * 3_600_000).toISOString().slice(0, 10)}`;
  const period = parsePeriod(label, tz);
  if (process.env.PLANTKPI_REDIS_URL) await computeWithJobs(config, o.dataDir, period, o.progress);
  else await computeInProcess(config, store, o.dataDir, period);
  // what the summary prints: the same code, over the readings as stored
  const month = await runPeriod(store, plant, period);
  const days: PeriodResult[] = [];
  for (const d of splitPeriod(period, 'day')) days.push(await runPeriod(store, plant, d));
  const exportDir = period.kind === 'month' ? path.join(config.jobs.exportDir, period.label) : null;
  let stored = 0;
  for (const s of await store.signals()) stored += await store.count(s, startMs - 1, endMs + 1);
  await store.close();
  return {
    config,
    month,
    days,
    published,
    stored,
    deadLettered: collector.metrics
      .render()
      .match(/plantkpi_dead_lettered_total\{source="site-broker"\} (\d+)/)
      ? Number(
          collector.metrics.render().match(/plantkpi_dead_lettered_total\{source="site-broker"\} (\d+)/)![1],
        )
      : 0,
    exportDir,
  };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the collector did not take every reading within ${timeoutMs} ms`);
}

/** Without Redis: the jobs' work done here, in order: days, then the month with its export. */
async function computeInProcess(
  config: PlantConfig,
  store: SeriesStore,
  dataDir: string,
  period: Period,
): Promise<void> {
  const plant = compilePlant(config);
  const sink = openSink(config, path.join(dataDir, 'store'));
  for (const d of splitPeriod(period, 'day')) await sink.write(await runPeriod(store, plant, d), 'day');
  const month = await runPeriod(store, plant, period);
  await sink.write(month, period.kind === 'month' ? 'month' : 'range');
  if (period.kind === 'month')
    await exportMonth(month, plant, { dir: config.jobs.exportDir, configHash: configHash(config) });
}

/** With Redis (PLANTKPI_REDIS_URL): the same periods as BullMQ jobs, run by a worker in this process. */
async function computeWithJobs(
  config: PlantConfig,
  dataDir: string,
  period: Period,
  progress: (t: string) => void,
): Promise<void> {
  config.jobs.redis.url = process.env.PLANTKPI_REDIS_URL!;
  config.jobs.prefix = `plantkpi-demo-${Date.now()}`;
  config.jobs.lockMonthAfterExport = false;
  const rt = await openRuntime(config, path.join(dataDir, 'store'));
  const { worker, queue } = startWorker(rt, () => {});
  try {
    const ids: string[] = [];
    for (const d of splitPeriod(period, 'day')) {
      ids.push(
        (
          await enqueueCompute(
            queue,
            { kind: 'day', period: d.label, configHash: rt.configHash, reason: 'demo' },
            config.jobs,
          )
        ).id,
      );
    }
    const kind = period.kind === 'month' ? 'month' : 'range';
    const month = {
      kind,
      period: period.label,
      configHash: rt.configHash,
      reason: 'demo',
      export: kind === 'month',
    } as const;
    ids.push((await enqueueCompute(queue, month, config.jobs)).id);
    for (;;) {
      const states = await Promise.all(ids.map(async (id) => (await queue.getJob(id))?.getState()));
      const done = states.filter((s) => s === 'completed').length;
      progress(`\r作业 Jobs on Redis: ${done}/${ids.length}`);
      if (states.includes('failed')) throw new Error('a KPI job failed: see the queue');
      if (done === ids.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    progress('\n');
  } finally {
    await worker.close();
    await queue.close();
    await rt.close();
  }
}
