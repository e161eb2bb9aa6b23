/**
 * The one-command demo, in five steps: start the services (services.ts), publish a month (or `days`) of the
 * simulated site's readings in accelerated time over MQTT and OPC UA (publish.ts), drain the collector into the store
 * (drain.ts), compute the KPIs as `plantkpi kpi` and the jobs do, and summarise them (compute.ts). Every input is an
 * option: a broker, an InfluxDB and a Redis to use instead of the embedded broker, the embedded store and computing
 * in this process.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadPlantConfig } from '../../config/load.ts';
import type { PlantConfig } from '../../config/schema.ts';
import { startCollector } from '../../ingest/collector.ts';
import type { SavingsResult } from '../../kpi/baseline/stage.ts';
import { compilePlant } from '../../kpi/plant.ts';
import type { PeriodResult } from '../../kpi/rows.ts';
import type { Scorecard } from '../../kpi/scorecard/build.ts';
import { recordsTarget } from '../../records/open.ts';
import { openStore } from '../../store/open.ts';
import { computeInProcess, computeWithJobs, summarise } from './compute.ts';
import { demoWindow, jobsConfig, runConfig, withReplacement } from './config.ts';
import { drainCollector } from './drain.ts';
import { type DemoFault, type Published, publishSite } from './publish.ts';
import { createInfluxDatabase, startServices } from './services.ts';

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
  faults: ReadonlySet<DemoFault>;
  /** an MQTT broker to publish to and collect from; absent: an embedded broker */
  mqttUrl?: string;
  /** an InfluxDB 1.x to store readings and KPIs in (the database is created if missing); absent: the embedded store */
  influx?: { url: string; database: string };
  /** a Redis to run the KPI jobs on (BullMQ, a worker in this process); absent: computed in this process */
  redisUrl?: string;
  /** the wall-clock time of the run: sizes the collector's reading window and names the demo's job queue */
  nowMs: number;
  progress: (text: string) => void;
}

export interface DemoResult {
  /** the config as run (sources pointed at the demo's services, the meter replacement recorded) */
  config: PlantConfig;
  /** where the store and the embedded records are: what `--data` is to the other commands (`serve`, `user`) */
  storeDir: string;
  month: PeriodResult;
  days: PeriodResult[];
  /** the month's scorecard (null for part of a month, or a site without a responsibility loop) */
  scorecard: Scorecard | null;
  /** the month's savings against the configured baselines (null for part of a month, or without baselines) */
  savings: SavingsResult | null;
  published: Published;
  stored: number;
  /** malformed payloads the collector dead-lettered */
  deadLettered: number;
  exportDir: string | null;
}

/** the casting line's PLC variables, driven over OPC UA */
const OPCUA_VARS = ['PK-1.state', 'PK-1.produced', 'PK-1.good'];

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const { config: loaded } = loadPlantConfig(o.configFile);
  const { startMs, endMs, period } = demoWindow(loaded.site.timeZone, o.days);
  rmSync(o.dataDir, { recursive: true, force: true });
  const storeDir = path.join(o.dataDir, 'store');

  // 1. services, and the config the collector runs with
  const services = await startServices({ dataDir: o.dataDir, mqttUrl: o.mqttUrl, opcuaVars: OPCUA_VARS });
  const config = runConfig(loaded, {
    dataDir: o.dataDir,
    mqttUrl: services.mqttUrl,
    opcuaEndpoint: services.opcuaEndpoint,
    influx: o.influx,
    startMs,
    nowMs: o.nowMs,
  });
  if (o.influx) await createInfluxDatabase(o.influx);
  const store = await openStore(config, storeDir);
  const collector = await startCollector(config, () => {}, { store });

  // 2. publish
  const { published, replacement } = await publishSite({
    mqttUrl: services.mqttUrl,
    opcuaSet: services.opcuaSet,
    seed: o.seed,
    startMs,
    endMs,
    faults: o.faults,
    badPayloadEvery: o.badPayloadEvery,
    paceMs: o.paceMs,
    progress: o.progress,
  });

  // 3. drain: every reading in the store
  const mqttSource = config.sources.mqtt[0]!.id;
  const counts = await drainCollector(collector, {
    mqttSource,
    mqttReadings: published.readings,
    timeoutMs: 60_000,
    opcuaSettleMs: 1500,
  });
  await services.stop();

  // 4. compute: the same code path as `plantkpi kpi` and the jobs
  const kpiConfig = withReplacement(config, replacement);
  const plant = compilePlant(kpiConfig);
  if (o.redisUrl)
    await computeWithJobs(
      jobsConfig(kpiConfig, o.redisUrl, `plantkpi-demo-${o.nowMs}`),
      o.dataDir,
      period,
      o.progress,
    );
  else await computeInProcess(kpiConfig, plant, store, o.dataDir, period);

  // 5. summarise: the same code, over the readings as stored
  const kpis = await summarise(
    store,
    plant,
    period,
    { fromMs: startMs - 1, toMs: endMs + 1 },
    recordsTarget(kpiConfig, storeDir),
  );
  await store.close();
  return {
    config: kpiConfig,
    storeDir,
    ...kpis,
    published,
    deadLettered: counts.deadLettered[mqttSource] ?? 0,
    exportDir: period.kind === 'month' ? path.join(kpiConfig.jobs.exportDir, period.label) : null,
  };
}
