/**
 * bench:ingest — private InfluxDB 1.x and Mosquitto on free ports, the collector as a child process.
 * 1. Raw ceiling: line protocol posted straight to InfluxDB in 5,000-line batches.
 * 2. MQTT (QoS 1, JSON, one reading per message) -> collector -> InfluxDB: throughput, the collector's CPU per
 *    1,000 points, and the ratio to the raw ceiling.
 * 3. OPC UA: 10,000 monitored items sampled at 1 s on one collector: its CPU and RSS.
 * Usage: npm run bench:ingest [-- --messages 50000 --items 10000 --seconds 30]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { SimOpcuaServer } from '../sim/opcua/server.ts';
import { tempDir } from '../test/helpers.ts';
import { startInflux } from '../test/services/influxd.ts';
import { startMosquitto } from '../test/services/mosquitto.ts';
import { freePort, waitFor } from '../test/services/ports.ts';

const { values } = parseArgs({
  options: { messages: { type: 'string' }, items: { type: 'string' }, seconds: { type: 'string' } },
});
const MESSAGES = Number(values.messages ?? 50_000);
const ITEMS = Number(values.items ?? 10_000);
const SECONDS = Number(values.seconds ?? 30);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const T0 = Date.parse('2026-10-01T00:00:00Z');
const TICK_HZ = 100;

const tmp = tempDir('plantkpi-bench-ingest-');
const influx = await startInflux();
const broker = await startMosquitto();

function procStats(pid: number): { cpuS: number; sysS: number; rssMb: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(fields[11]) + Number(fields[12])) / TICK_HZ;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { cpuS, sysS: Number(fields[12]) / TICK_HZ, rssMb: kb('VmRSS'), peakRssMb: kb('VmHWM') };
}

async function count(db: string): Promise<number> {
  const r = (await influx.query('SELECT count(value) FROM reading', db)) as {
    results: { series?: { values: [number, number][] }[] }[];
  };
  return r.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}

async function startCollector(config: string): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const file = path.join(tmp.dir, `plant-${Date.now()}.yaml`);
  writeFileSync(file, config);
  const child = spawn('node', [path.join(ROOT, 'bin', 'plantkpi.js'), 'collect', '--config', file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  await waitFor('collector', async () => out.includes('collecting'), 60_000);
  return {
    child,
    stop: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

// 1. raw ceiling
await influx.query('CREATE DATABASE raw');
const RAW = 200_000;
const t1 = performance.now();
for (let i = 0; i < RAW; i += 5000) {
  const lines: string[] = [];
  for (let k = i; k < i + 5000; k++)
    lines.push(`reading,site=B,signal=M-${k % 100} value=${k},quality="Good" ${T0 + k * 1000}`);
  const res = await fetch(`${influx.url}/write?db=raw&precision=ms`, {
    method: 'POST',
    body: lines.join('\n'),
  });
  if (res.status !== 204) throw new Error(`raw write: ${res.status} ${await res.text()}`);
}
const rawRate = RAW / ((performance.now() - t1) / 1000);

// 2. MQTT QoS 1 JSON -> collector -> InfluxDB, with the spool fsynced per message (default) and without
const signals = Array.from(
  { length: 100 },
  (_, i) => `  - { id: M-${i}, kind: counter, unit: kWh, carrier: electricity }`,
);
const base = `
site: { id: B }
carriers: [{ id: electricity, unit: kWh, emissionScope: 2 }]
organisation: { committee: { id: C }, branches: [{ id: B }] }
collector: { httpPort: 0, deadLetterDir: "${tmp.dir}/dead", logLevel: warn }
`;
interface MqttRun {
  fsync: boolean;
  seconds: number;
  rate: number;
  cpuMsPer1000: number;
  sysMsPer1000: number;
  peakRssMb: number;
}
async function mqttRun(fsync: boolean): Promise<MqttRun> {
  const db = `mqtt_${fsync ? 'fsync' : 'nofsync'}`;
  await influx.query(`CREATE DATABASE ${db}`);
  const mq = await startCollector(`${base}
signals:
${signals.join('\n')}
sources:
  mqtt:
    - id: broker
      url: ${broker.url}
      clientId: bench-collector-${db}
      subscriptions: [{ topic: "${db}/{m}", signal: "{m}", timePath: ts }]
influx: { url: "${influx.url}", database: ${db} }
spool: { dir: "${tmp.dir}/spool-${db}", fsync: ${fsync} }
`);
  const pub = await mqtt.connectAsync(broker.url, { clientId: `bench-pub-${db}` });
  const s0 = procStats(mq.child.pid!);
  const t = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let k = 0; k < MESSAGES; k++) {
    inflight.push(
      pub.publishAsync(`${db}/M-${k % 100}`, JSON.stringify({ value: k, ts: T0 + k * 1000 }), { qos: 1 }),
    );
    if (inflight.length >= 500) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
  await waitFor('all MQTT readings in InfluxDB', async () => (await count(db)) >= MESSAGES, 600_000);
  const seconds = (performance.now() - t) / 1000;
  const s1 = procStats(mq.child.pid!);
  await pub.endAsync();
  await mq.stop();
  return {
    fsync,
    seconds,
    rate: MESSAGES / seconds,
    cpuMsPer1000: ((s1.cpuS - s0.cpuS) * 1e6) / MESSAGES,
    sysMsPer1000: ((s1.sysS - s0.sysS) * 1e6) / MESSAGES,
    peakRssMb: s1.peakRssMb,
  };
}
const mqttRuns = [await mqttRun(true), await mqttRun(false)];

// 3. OPC UA: ITEMS items at 1 s
await influx.query('CREATE DATABASE opcua');
const ids = Array.from({ length: ITEMS }, (_, i) => `V-${i}`);
const sim = new SimOpcuaServer({
  port: await freePort(),
  pkiDir: path.join(tmp.dir, 'sim-pki'),
  variables: ids,
});
await sim.start();
let tick = 0;
const ticker = setInterval(() => {
  tick++;
  const now = Date.now();
  for (const [i, id] of ids.entries()) sim.set(id, tick * 10 + (i % 7), now);
}, 1000);
const oc = await startCollector(`${base}
signals:
${ids.map((id) => `  - { id: ${id}, kind: gauge, unit: kW }`).join('\n')}
sources:
  opcua:
    - id: sim
      endpoint: ${sim.endpoint}
      pkiDir: "${tmp.dir}/client-pki"
      maxItemsPerSubscription: 1000
      items:
${ids.map((id) => `        - { signal: ${id}, nodeId: "ns=1;s=${id}", samplingIntervalMs: 1000 }`).join('\n')}
influx: { url: "${influx.url}", database: opcua }
spool: { dir: "${tmp.dir}/spool-opcua" }
`);
await waitFor('OPC UA readings flowing', async () => (await count('opcua')) > ITEMS, 120_000);
const before = procStats(oc.child.pid!);
const c0 = await count('opcua');
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const after = procStats(oc.child.pid!);
const c1 = await count('opcua');
clearInterval(ticker);
await oc.stop();
await sim.stop();

console.log(`bench:ingest  (InfluxDB 1.6 and Mosquitto on this machine, 2 cores)`);
console.log(
  `  raw ceiling: ${Math.round(rawRate).toLocaleString('en-US')} points/s (line protocol, 5,000-line batches)`,
);
for (const r of mqttRuns) {
  console.log(
    `  MQTT QoS 1 JSON -> InfluxDB, spool fsync ${r.fsync ? 'on (default)' : 'off'}: ` +
      `${MESSAGES.toLocaleString('en-US')} messages in ${r.seconds.toFixed(1)} s = ` +
      `${Math.round(r.rate).toLocaleString('en-US')} points/s, ${(r.rate / rawRate).toFixed(4)} of the raw ceiling`,
  );
  console.log(
    `    collector CPU ${r.cpuMsPer1000.toFixed(0)} ms per 1,000 points (of which kernel ${r.sysMsPer1000.toFixed(0)} ms), ` +
      `peak RSS ${r.peakRssMb.toFixed(0)} MB`,
  );
}
console.log(
  `  OPC UA ${ITEMS.toLocaleString('en-US')} items at 1 s: ${((c1 - c0) / SECONDS).toFixed(0)} readings/s stored, ` +
    `collector CPU ${(((after.cpuS - before.cpuS) / SECONDS) * 100).toFixed(1)} % of one core, ` +
    `RSS ${after.rssMb.toFixed(0)} MB (peak ${after.peakRssMb.toFixed(0)} MB)`,
);

await Promise.all([influx.destroy(), broker.destroy()]);
tmp.cleanup();
process.exit(0);
