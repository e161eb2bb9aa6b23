/**
 * The MQTT cases and the raw ceiling, one run each: a fresh database (dropped after) and a fresh collector process per run, so that
 * every run's peak RSS is its own.
 */
import type { InfluxServer } from '../../test/services/influxd.ts';
import type { Broker } from '../../test/services/mosquitto.ts';
import { type CollectorProcess, mqttConfig, startCollector } from './collector.ts';
import type { ProcStats } from './proc.ts';
import { clearSession, publishAll, publishProbe, writePublisherFiles } from './publish.ts';
import { countReadings, watchArrival } from './stored.ts';

export interface Bench {
  influx: InfluxServer;
  broker: Broker;
  dir: string;
  messages: number;
}

export async function withDb<T>(b: Bench, db: string, f: () => Promise<T>): Promise<T> {
  await b.influx.query(`CREATE DATABASE ${db}`);
  try {
    return await f();
  } finally {
    await b.influx.query(`DROP DATABASE ${db}`);
  }
}

/** 1. Line protocol posted straight to InfluxDB, 5,000 lines a request, one request at a time. */
export async function rawCeiling(b: Bench, run: number, points = 200_000): Promise<number> {
  const db = `raw_${run}`;
  const base = Date.now() - 3600e3;
  const bodies: string[] = [];
  for (let i = 0; i < points; i += 5000) {
    const lines: string[] = [];
    for (let k = i; k < Math.min(points, i + 5000); k++)
      lines.push(`reading,site=B,signal=M-${k % 4} value=${k},quality="Good" ${base + k}`);
    bodies.push(lines.join('\n'));
  }
  return withDb(b, db, async () => {
    const t = performance.now();
    for (const body of bodies) {
      const res = await fetch(`${b.influx.url}/write?db=${db}&precision=ms`, { method: 'POST', body });
      if (res.status !== 204) throw new Error(`raw write: ${res.status} ${await res.text()}`);
    }
    const rate = points / ((performance.now() - t) / 1000);
    const stored = await countReadings(b.influx, db);
    if (stored !== points) throw new Error(`raw ceiling: ${stored} of ${points} points stored`);
    return rate;
  });
}

export interface MqttRun {
  msgsPerS: number;
  cpuUsPerMsg: number;
  sysUsPerMsg: number;
  peakRssMb: number;
  sent: number;
  stored: number;
  /** how long the publishers took (all PUBACKs in) */
  pubSeconds: number;
  /** backlog: the collector's start-up, spawn to connected */
  startupSeconds?: number;
}

/** Starts a collector and waits until a probe message is stored: its subscription is in place. */
async function collectorWithProbe(b: Bench, db: string, fsync: boolean): Promise<CollectorProcess> {
  const config = mqttConfig({
    dir: b.dir,
    brokerUrl: b.broker.url,
    clientId: `bench-${db}`,
    influxUrl: b.influx.url,
    db,
    fsync,
  });
  const col = await startCollector(b.dir, db, config);
  try {
    await publishProbe(b.broker.port, db);
    const a = await watchArrival(b.influx, db, {
      from: 0,
      target: 1,
      stallMs: 30_000,
      check: col.assertAlive,
    });
    if (a.doneMs === null) throw new Error(`${db}: the probe message never reached InfluxDB`);
    return col;
  } catch (err) {
    await col.stop();
    throw err;
  }
}

function mqttFigures(
  sent: number,
  stored: number,
  s0: ProcStats,
  s1: ProcStats,
  msgsPerS: number,
  pubSeconds: number,
): MqttRun {
  const per = Math.max(stored, 1);
  return {
    msgsPerS,
    cpuUsPerMsg: ((s1.cpuS - s0.cpuS) * 1e6) / per,
    sysUsPerMsg: ((s1.sysS - s0.sysS) * 1e6) / per,
    peakRssMb: s1.peakRssMb,
    sent,
    stored,
    pubSeconds,
  };
}

/** 2 and 4. Publishers and collector at once: msgs/s from the first to the last reading stored. */
export async function mqttLive(b: Bench, run: number, fsync: boolean): Promise<MqttRun> {
  const db = `live_${fsync ? 'fsync' : 'nofsync'}_${run}`;
  const n = b.messages;
  const files = writePublisherFiles(b.dir, db, n);
  return withDb(b, db, async () => {
    const col = await collectorWithProbe(b, db, fsync);
    try {
      const s0 = col.stats();
      const publishing = publishAll(b.broker.port, db, files);
      publishing.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
      const a = await watchArrival(b.influx, db, { from: 1, target: 1 + n, check: col.assertAlive });
      const s1 = col.stats();
      const pubSeconds = await publishing;
      const stored = a.count - 1;
      let rate = 0;
      if (a.firstMs !== null && a.doneMs !== null && a.doneMs > a.firstMs)
        rate = (a.count - a.firstCount) / ((a.doneMs - a.firstMs) / 1000);
      else if (a.doneMs !== null) rate = n / ((a.doneMs - s0.atMs) / 1000); // all in one poll
      return mqttFigures(n, stored, s0, s1, rate, pubSeconds);
    } finally {
      await col.stop();
      await clearSession(b.broker.port, `bench-${db}`);
    }
  });
}

/**
 * 3. The collector's persistent session is made (a first collector subscribes, proves it with a probe, stops);
 * the messages are published while it is away, so the broker queues them; a second collector drains them:
 * msgs/s and CPU from its being connected (start-up, mostly loading the TypeScript, reported apart) to all stored.
 */
export async function mqttBacklog(b: Bench, run: number): Promise<MqttRun> {
  const db = `backlog_${run}`;
  const n = b.messages;
  const files = writePublisherFiles(b.dir, db, n);
  return withDb(b, db, async () => {
    await (await collectorWithProbe(b, db, true)).stop();
    const pubSeconds = await publishAll(b.broker.port, db, files);
    const config = mqttConfig({
      dir: b.dir,
      brokerUrl: b.broker.url,
      clientId: `bench-${db}`,
      influxUrl: b.influx.url,
      db,
      fsync: true,
    });
    const col = await startCollector(b.dir, db, config);
    try {
      const s0 = col.ready;
      const a = await watchArrival(b.influx, db, { from: 1, target: 1 + n, check: col.assertAlive });
      const s1 = col.stats();
      const rate = a.doneMs === null ? 0 : n / ((a.doneMs - s0.atMs) / 1000);
      return {
        ...mqttFigures(n, a.count - 1, s0, s1, rate, pubSeconds),
        startupSeconds: (s0.atMs - col.spawnedMs) / 1000,
      };
    } finally {
      await col.stop();
      await clearSession(b.broker.port, `bench-${db}`);
    }
  });
}
