import { V1WriteTarget } from './ingest/influx/targets.ts';
import { InfluxStore } from './store/influx/store.ts';
import { startInflux } from './test/services/influxd.ts';

const influx = await startInflux();
await influx.query('CREATE DATABASE b');
const target = new V1WriteTarget({ url: influx.url, database: 'b' });
const store = new InfluxStore({ url: influx.url, database: 'b', site: 'S', timeoutMs: 600000 }, target);
const start = Date.parse('2026-09-30T16:00:00Z');
const n = 44641;
for (let s = 0; s < 100; s++) {
  let lines: string[] = [];
  for (let k = 0; k < n; k++) {
    lines.push(`reading,signal=M${s},site=S quality="Good",value=${k} ${start + k * 60000}`);
    if (lines.length === 5000) {
      await target.write(lines);
      lines = [];
    }
  }
  await target.write(lines);
}
const end = start + 31 * 86400000;
const time = async (name: string, f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  console.log(name, ((performance.now() - t) / 1000).toFixed(2), 's');
};
await time('around', () => store.around(start, 3 * 3600000));
await time('decreases', () => store.decreases(start - 3600000, end + 3600000));
await time('slots', () => store.slotsPresent(start, end, 60000));
await time('count', () =>
  store.query(
    `SELECT count("value") FROM "reading" WHERE "site"='S' AND time >= ${start}ms AND time < ${end}ms GROUP BY "signal"`,
  ),
);
await time('readRange one', () => store.readRange('M1', start, end));
await influx.destroy();
process.exit(0);
