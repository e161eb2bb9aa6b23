/**
 * bench:month — month close (all KPIs, all scopes, KPI points written back, the export) for N counter meters
 * (default 2,000) of 1-minute data held in a private InfluxDB 1.x. Aggregation is pushed down to InfluxDB: counters
 * settle from values around each cut, decrease counts and slot counts computed there.
 * Usage: npm run bench:month [-- --meters 2000]
 */
import { parseArgs } from 'node:util';
import { exportMonth } from '../kpi/export/month.ts';
import { configHash } from '../kpi/jobs/plan.ts';
import { compilePlant } from '../kpi/plant.ts';
import { runDays, runPeriod } from '../kpi/run.ts';
import { InfluxKpiSink } from '../kpi/sink.ts';
import { InfluxStore } from '../store/influx/store.ts';
import { V1WriteTarget } from '../store/influx/targets.ts';
import { tempDir } from '../test/helpers.ts';
import { startInflux } from '../test/services/influxd.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { AREAS, syntheticPlant } from './synthetic-plant.ts';

const { values } = parseArgs({ options: { meters: { type: 'string' } } });
const METERS = Number(values.meters ?? 2000);
const MIN = 60_000;

const { config, ids } = syntheticPlant(METERS);
const plant = compilePlant(config);
const month = parsePeriod('2026-10', 'Asia/Shanghai');

const tmp = tempDir('plantkpi-bench-month-');
const influx = await startInflux();
await influx.query('CREATE DATABASE bench');
const target = new V1WriteTarget({ url: influx.url, database: 'bench', timeoutMs: 120_000 });
const store = new InfluxStore(
  { url: influx.url, database: 'bench', site: 'BENCH', timeoutMs: 600_000 },
  target,
);

// load: one month and both boundaries of 1-minute readings, 5,000-line batches, two writes in flight
const n = Math.round((month.endMs - month.startMs) / MIN) + 1;
const t0 = performance.now();
let lines: string[] = [];
const inflight: Promise<void>[] = [];
for (const signal of ids) {
  let v = 1000;
  for (let k = 0; k < n; k++) {
    lines.push(`reading,signal=${signal},site=BENCH quality="Good",value=${v} ${month.startMs + k * MIN}`);
    v += 1 + (k % 7);
    if (lines.length === 5000) {
      inflight.push(target.write(lines));
      lines = [];
      if (inflight.length >= 2) await inflight.shift();
    }
  }
}
inflight.push(target.write(lines));
await Promise.all(inflight);
const loadS = (performance.now() - t0) / 1000;
const points = ids.length * n;

const t1 = performance.now();
const result = await runPeriod(store, plant, month);
const computeS = (performance.now() - t1) / 1000;
const t2 = performance.now();
await new InfluxKpiSink(target, 'BENCH', plant.timeZone).write(result, 'month');
const days = await runDays(store, plant, month);
const manifest = await exportMonth(result, plant, { dir: tmp.dir, configHash: configHash(config), days });
const writeS = (performance.now() - t2) / 1000;
const peakRssMb = process.resourceUsage().maxRSS / 1024;

console.log(
  `bench:month  meters=${METERS} (+${AREAS} product counters)  readings in InfluxDB=${points.toLocaleString('en-US')}`,
);
console.log(
  `  load into InfluxDB 1.6: ${loadS.toFixed(0)} s (${Math.round(points / loadS).toLocaleString('en-US')} points/s)`,
);
console.log(
  `  month close: KPIs of all scopes ${computeS.toFixed(2)} s (${result.kpis.length} rows, aggregates pushed down)`,
);
console.log(
  `               KPI points written back and export (${manifest.files.length} files) ${writeS.toFixed(2)} s`,
);
console.log(
  `  wall time of the month close: ${(computeS + writeS).toFixed(2)} s; peak RSS of this process: ${peakRssMb.toFixed(0)} MB`,
);

await influx.destroy();
tmp.cleanup();
process.exit(0);
