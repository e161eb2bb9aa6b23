/**
 * bench:kpi — one month of 1-minute readings for N counter meters (default 2,000) through KPI computation on the
 * embedded store. Prints the wall time of writing the data and of the month's KPI run, and the peak RSS.
 * Usage: npm run bench:kpi [-- --meters 2000 --data DIR [--reuse]]
 * With --reuse and a --data directory written by an earlier run, only the KPI computation runs, so the peak RSS
 * printed is the KPI run's own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compilePlant } from '../kpi/plant.ts';
import { runPeriod } from '../kpi/run.ts';
import { EmbeddedStore } from '../store/embedded/store.ts';
import type { Reading } from '../store/port.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { AREAS, syntheticPlant } from './synthetic-plant.ts';

const { values } = parseArgs({
  options: { meters: { type: 'string' }, data: { type: 'string' }, reuse: { type: 'boolean' } },
});
const METERS = Number(values.meters ?? 2000);
const MIN = 60_000;
const dir = values.data ?? mkdtempSync(path.join(os.tmpdir(), 'plantkpi-bench-'));

const { config, ids } = syntheticPlant(METERS);
const plant = compilePlant(config);
const month = parsePeriod('2026-10', 'Asia/Shanghai');

const store = await EmbeddedStore.open(dir);
const n = Math.round((month.endMs - month.startMs) / MIN) + 1;
const t0 = performance.now();
const reuse = values.reuse === true && (await store.signals()).length === ids.length;
for (let i = 0; i < (reuse ? 0 : ids.length); i += 20) {
  const batch: Reading[] = [];
  for (const signal of ids.slice(i, i + 20)) {
    let v = 0;
    for (let k = 0; k < n; k++) {
      batch.push({ signal, timeMs: month.startMs + k * MIN, value: v });
      v += 1 + (k % 7);
    }
  }
  await store.write(batch);
}
const writeS = (performance.now() - t0) / 1000;
const points = ids.length * n;

const t1 = performance.now();
const result = await runPeriod(store, plant, month);
const kpiS = (performance.now() - t1) / 1000;
await store.close();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
if (values.data === undefined) rmSync(dir, { recursive: true, force: true });

console.log(
  `bench:kpi  meters=${METERS} (+${AREAS} product counters)  readings=${points.toLocaleString('en-US')}`,
);
if (reuse) console.log('  write to embedded store: skipped (--reuse)');
else {
  const rate = Math.round(points / writeS).toLocaleString('en-US');
  console.log(`  write to embedded store: ${writeS.toFixed(1)} s (${rate} points/s)`);
}
console.log(`  KPI computation, month:  ${kpiS.toFixed(2)} s  (${result.kpis.length} KPI rows)`);
console.log(`  peak RSS:                ${peakRssMb.toFixed(0)} MB`);
