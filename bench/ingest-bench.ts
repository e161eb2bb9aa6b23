/**
 * bench:ingest — the collector (`node bin/plantkpi.js collect`, a child process whose CPU, utime + stime, and peak
 * RSS, VmHWM, are read from /proc) against a private InfluxDB 1.x and Mosquitto on free ports:
 *   1. raw ceiling: line protocol posted straight to InfluxDB in 5,000-line batches (the baseline, measured first);
 *   1b. MQTT ceiling: the same publishers and broker with mosquitto_sub as the subscriber, no collector, live and
 *      draining a backlog: what the broker manages on this machine (the second ratio column, × mqtt);
 *   2. MQTT live, spool fsync on: 4 mosquitto_pub processes at once, QoS 1 JSON, one reading per message;
 *   3. MQTT backlog, fsync on: the same messages queued by the broker while the collector is away, then drained;
 *   4. MQTT live, fsync off;
 *   5. OPC UA: --items monitored items sampled at 1 s from the simulated server, over --seconds.
 * Each case runs --runs times (the machine is shared and noisy); the table gives min / median / max, the targets
 * with PASS or MISS on the median (figures, not assertions) and the ratios of the median to the raw ceiling's
 * (× raw) and to the MQTT ceiling's in the same mode (× mqtt).
 * Every MQTT run compares the readings stored with the messages sent; a loss is printed loudly and the bench exits 1.
 * Usage: npm run bench:ingest [-- --runs 3 --messages 200000 --items 20000 --seconds 30
 *          --cases raw,ceiling,live,backlog,nofsync,opcua]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { tempDir } from '../test/helpers.ts';
import { startInflux } from '../test/services/influxd.ts';
import { startMosquitto } from '../test/services/mosquitto.ts';
import { type Bench, type MqttRun, mqttBacklog, mqttLive, rawCeiling } from './ingest/cases.ts';
import { ceilingBacklog, ceilingLive } from './ingest/mqtt-ceiling.ts';
import { type OpcuaRun, opcua, startSim } from './ingest/opcua.ts';
import { PUBLISHERS } from './ingest/publish.ts';
import { median, type RowSpec, Table } from './ingest/report.ts';

const CASES = ['raw', 'ceiling', 'live', 'backlog', 'nofsync', 'opcua'] as const;
const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    messages: { type: 'string' },
    items: { type: 'string' },
    seconds: { type: 'string' },
    cases: { type: 'string' },
  },
});
const RUNS = Number(values.runs ?? 3);
const MESSAGES = Number(values.messages ?? 200_000);
const ITEMS = Number(values.items ?? 20_000);
const SECONDS = Number(values.seconds ?? 30);
const only = new Set((values.cases ?? CASES.join(',')).split(','));
for (const c of only)
  if (!(CASES as readonly string[]).includes(c)) throw new Error(`--cases: ${c}? (${CASES.join(', ')})`);

const TARGET = {
  liveMsgsPerS: 40_000,
  backlogMsgsPerS: 80_000,
  cpuUsPerMsg: 30,
  peakRssMb: 300,
  opcuaCpuPct: 25,
};

const tmp = tempDir('plantkpi-bench-ingest-');
// A collector that acknowledges a group of messages at once (after one spool commit) can only have as many
// unacknowledged as the broker's per-client window lets through: mosquitto's max_inflight_messages (the fixture's
// 100) would cap each commit at 100 messages. 1000 lets a group commit fill up. The window binds clients that
// advertise no MQTT 5 Receive Maximum (the collector's MQTT 5 Receive Maximum, where set, replaces it).
const broker = await startMosquitto({ maxInflight: 1000, autosaveIntervalS: 1800 });
const influx = await startInflux();
const bench: Bench = { influx, broker, dir: tmp.dir, messages: MESSAGES };
const table = new Table();
const load0 = os.loadavg();

/** runs a case RUNS times; a failed run is an alarm, not the end of the bench */
async function runs<T>(name: string, f: (run: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let run = 1; run <= RUNS; run++) {
    process.stderr.write(`bench:ingest ${name}, run ${run} of ${RUNS} ...\n`);
    try {
      out.push(await f(run));
    } catch (err) {
      table.alarm(`${name}, run ${run} FAILED: ${(err as Error).message.slice(0, 2000)}`);
    }
  }
  return out;
}

const pubs = `${PUBLISHERS} × mosquitto_pub -l -q 1`;

// 1. raw ceiling, first: the baseline of every ratio
let baseline: number | undefined;
if (only.has('raw')) {
  const raw = await runs('raw ceiling', (run) => rawCeiling(bench, run));
  if (raw.length) {
    baseline = median(raw);
    table.addCase(
      ['1 raw ceiling', '  line protocol, 5,000-line posts'],
      [{ figure: 'points/s', values: raw, baseline }],
    );
  }
}

// 1b. MQTT ceiling: the broker and the publishers with mosquitto_sub as the subscriber, no collector
const ceiling: { live?: number; backlog?: number } = {};
if (only.has('ceiling')) {
  const live = await runs('MQTT ceiling, live', (run) => ceilingLive(bench, run));
  const backlog = await runs('MQTT ceiling, backlog', (run) => ceilingBacklog(bench, run));
  if (live.length) ceiling.live = median(live);
  if (backlog.length) ceiling.backlog = median(backlog);
  const rows: RowSpec[] = [];
  if (live.length) rows.push({ figure: 'live msgs/s', values: live, ...(baseline ? { baseline } : {}) });
  if (backlog.length)
    rows.push({ figure: 'backlog msgs/s', values: backlog, ...(baseline ? { baseline } : {}) });
  table.addCase(['1b MQTT ceiling, no collector', `  ${pubs}`, '  -> mosquitto_sub -q 1'], rows);
}

function mqttCase(label: string[], rs: MqttRun[], rateTarget: number, mqttBaseline?: number): void {
  if (rs.length === 0) {
    table.addCase(label, [], ['no run completed']);
    return;
  }
  const rows: RowSpec[] = [
    {
      figure: 'msgs/s',
      values: rs.map((r) => r.msgsPerS),
      target: { op: '>=', value: rateTarget },
      ...(baseline ? { baseline } : {}),
      ...(mqttBaseline ? { mqttBaseline } : {}),
    },
    {
      figure: 'CPU µs/msg',
      values: rs.map((r) => r.cpuUsPerMsg),
      digits: 1,
      target: { op: '<=', value: TARGET.cpuUsPerMsg },
    },
    { figure: '  of which kernel', values: rs.map((r) => r.sysUsPerMsg), digits: 1 },
    {
      figure: 'peak RSS MB',
      values: rs.map((r) => r.peakRssMb),
      target: { op: '<', value: TARGET.peakRssMb },
    },
    { figure: 'publishers msgs/s', values: rs.map((r) => r.sent / r.pubSeconds) },
  ];
  if (rs[0]?.startupSeconds !== undefined)
    rows.push({ figure: 'start-up s', values: rs.map((r) => r.startupSeconds ?? 0), digits: 1 });
  const lost = rs.filter((r) => r.stored !== r.sent);
  const notes = [
    lost.length === 0
      ? `stored = sent (${rs[0]!.sent.toLocaleString('en-US')}) in every run`
      : `DATA LOST: ${lost.map((r) => `stored ${r.stored} of ${r.sent}`).join('; ')}`,
  ];
  for (const r of lost)
    table.alarm(`${label[0]}: DATA LOST, ${r.sent - r.stored} of ${r.sent} messages not in InfluxDB`);
  table.addCase(label, rows, notes);
}

if (only.has('live'))
  mqttCase(
    ['2 MQTT live, fsync on', `  ${pubs}`, '  msgs/s: first to last stored'],
    await runs('MQTT live, fsync on', (run) => mqttLive(bench, run, true)),
    TARGET.liveMsgsPerS,
    ceiling.live,
  );
if (only.has('backlog'))
  mqttCase(
    ['3 MQTT backlog, fsync on', '  queued by the broker while away', '  msgs/s: connected to all stored'],
    await runs('MQTT backlog, fsync on', (run) => mqttBacklog(bench, run)),
    TARGET.backlogMsgsPerS,
    ceiling.backlog,
  );
if (only.has('nofsync'))
  mqttCase(
    ['4 MQTT live, fsync off', `  ${pubs}`, '  msgs/s: first to last stored'],
    await runs('MQTT live, fsync off', (run) => mqttLive(bench, run, false)),
    TARGET.liveMsgsPerS,
    ceiling.live,
  );

// 5. OPC UA
if (only.has('opcua')) {
  const sim = await startSim(tmp.dir, ITEMS);
  const rs: OpcuaRun[] = await runs('OPC UA', (run) => opcua(bench, run, sim, SECONDS));
  await sim.stop();
  const label = [`5 OPC UA, ${ITEMS.toLocaleString('en-US')} items at 1 s`, `  ${SECONDS} s per run`];
  if (rs.length === 0) table.addCase(label, [], ['no run completed']);
  else
    table.addCase(
      label,
      [
        { figure: 'readings stored/s', values: rs.map((r) => r.storedPerS) },
        {
          figure: '% of expected',
          values: rs.map((r) => r.complete * 100),
          digits: 2,
          target: { op: '>=', value: 100 },
        },
        {
          figure: 'CPU % of one core',
          values: rs.map((r) => r.cpuPct),
          digits: 1,
          target: { op: '<', value: TARGET.opcuaCpuPct },
        },
        { figure: 'RSS MB', values: rs.map((r) => r.rssMb) },
        {
          figure: 'peak RSS MB',
          values: rs.map((r) => r.peakRssMb),
          target: { op: '<', value: TARGET.peakRssMb },
        },
        { figure: 'start-up s', values: rs.map((r) => r.startupSeconds), digits: 1 },
        { figure: 'sim worst tick ms', values: rs.map((r) => r.simLagMs) },
      ],
      [
        `expected ${ITEMS.toLocaleString('en-US')}/s: every item, every second the simulation ticked`,
        'sim worst tick: how late a tick began + how long setting every variable took; a tick that ends up',
        '  visible for less than a second can be skipped by 1 s sampling (the simulation falling behind, not',
        `  the collector). Ticks made: ${rs.map((r) => `${r.ticks} in ${r.windowSeconds} s`).join(', ')}`,
      ],
    );
}

const version = (cmd: string, args: string[]) =>
  spawnSync(cmd, args, { encoding: 'utf8' }).stdout?.trim().split('\n')[0] ?? '?';
const load1 = os.loadavg();
const ok = table.print([
  `bench:ingest  ${RUNS} run(s) per case, ${MESSAGES.toLocaleString('en-US')} MQTT messages per run, ` +
    `OPC UA ${ITEMS.toLocaleString('en-US')} items over ${SECONDS} s`,
  `  ${os.availableParallelism()} cores; load average ${load0[0]!.toFixed(1)} before, ${load1[0]!.toFixed(1)} after; ` +
    `${version('influxd', ['version'])}; ${version('mosquitto', ['-h'])}, max_inflight_messages 1000`,
  `  targets: live >= ${TARGET.liveMsgsPerS.toLocaleString('en-US')} msgs/s (fsync on), backlog >= ` +
    `${TARGET.backlogMsgsPerS.toLocaleString('en-US')} msgs/s, <= ${TARGET.cpuUsPerMsg} µs CPU/msg, ` +
    `peak RSS < ${TARGET.peakRssMb} MB; OPC UA all stored at < ${TARGET.opcuaCpuPct} % of one core`,
]);

await Promise.all([influx.destroy(), broker.destroy()]);
tmp.cleanup();
process.exit(ok ? 0 : 1);
