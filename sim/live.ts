/**
 * `plantkpi simulate`: the simulated site as a long-running service (the compose stack's simulator). It replays the
 * last `catchUpDays` in accelerated time, then keeps time with the clock: meters publish JSON over MQTT
 * (site/<unit>/data), the casting line's PLC is an OPC UA server on `opcuaPort`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { sleep } from '../ingest/retry/sleep.ts';
import { SimOpcuaServer } from './opcua/server.ts';
import { type SimReading, SiteSim } from './site/model.ts';
import { publishStep } from './site/publish.ts';

export interface LiveOptions {
  mqttUrl: string;
  mqttUser?: string;
  mqttPassword?: string;
  /**
   * replay only once this URL answers 200 (the collector's /health: its persistent session then exists at the
   * broker, so the broker keeps every replayed message for it); polled every 2 s
   */
  waitForUrl?: string;
  opcuaPort: number;
  /** the host name the OPC UA server advertises (default 127.0.0.1) */
  opcuaHost?: string;
  pkiDir: string;
  seed: number;
  /** days replayed quickly before keeping time with the clock */
  catchUpDays: number;
  stepMs: number;
  /** real ms between steps while catching up */
  catchUpPaceMs: number;
  /** one line a message (plantkpi simulate writes them to stderr as JSON) */
  log: (level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
  /** stops the loop (tests); absent: runs until the process ends */
  signal?: AbortSignal;
}

export async function runLiveSim(o: LiveOptions): Promise<{ steps: number }> {
  const opcua = new SimOpcuaServer({
    port: o.opcuaPort,
    ...(o.opcuaHost !== undefined ? { hostname: o.opcuaHost } : {}),
    pkiDir: o.pkiDir,
    variables: ['PK-1.state', 'PK-1.produced', 'PK-1.good'],
    minimumSamplingIntervalMs: 0,
    waitForData: true,
  });
  await opcua.start();
  const pub = await connectBroker(o);
  if (pub === null || !(await waitForUrl(o))) {
    // stopped before the broker or the collector ever answered
    await pub?.endAsync();
    await opcua.stop();
    return { steps: 0 };
  }
  const now = Date.now();
  const startMs = Math.floor((now - o.catchUpDays * 86_400_000) / o.stepMs) * o.stepMs;
  const sim = new SiteSim({
    seed: o.seed,
    startMs,
    stepMs: o.stepMs,
    faults: { rolloverAt: 1_000_000_000, rollover: false, replaceAuxAtMs: null, outage: null },
  });
  // what has been published, for the log lines that close the replay and the run
  const published = { mqtt: 0, opcua: 0 };
  const send = async (readings: SimReading[]) => {
    const done = await publishStep(pub, readings, (writes) => {
      for (const [id, value, timeMs] of writes) opcua.set(id, value, timeMs);
    });
    published.mqtt += done.mqtt;
    published.opcua += done.opcua;
  };
  o.log('info', 'simulated site publishing', {
    mqtt: o.mqttUrl,
    opcua: opcua.endpoint,
    replayFrom: new Date(startMs).toISOString(),
  });
  await send(sim.snapshot());
  let steps = 0;
  let replaying = true;
  while (!o.signal?.aborted) {
    const next = sim.timeMs + o.stepMs;
    if (replaying && next > Date.now()) {
      // caught up: every reading so far is the replay's, stamped from replayFrom to replayTo (both included)
      replaying = false;
      o.log('info', 'replay done: keeping time with the clock', {
        steps,
        replayFrom: new Date(startMs).toISOString(),
        replayTo: new Date(sim.timeMs).toISOString(),
        published: { ...published },
      });
    }
    const wait = next <= Date.now() ? o.catchUpPaceMs : next - Date.now();
    await sleep(wait, o.signal);
    if (o.signal?.aborted) break;
    await send(sim.step());
    steps++;
  }
  await pub.endAsync();
  await opcua.stop();
  o.log('info', 'simulated site stopped', { steps, published: { ...published } });
  return { steps };
}

/**
 * Connects to the broker, trying again every 2 s while it is not up (a simulator started before its broker), with
 * one log line for the first refusal and one a minute after; null when stopped first.
 */
async function connectBroker(o: LiveOptions): Promise<MqttClient | null> {
  const client = mqtt.connect(o.mqttUrl, {
    clientId: `plantkpi-sim-${o.seed}`,
    ...(o.mqttUser !== undefined ? { username: o.mqttUser } : {}),
    ...(o.mqttPassword !== undefined ? { password: o.mqttPassword } : {}),
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
  });
  let loggedMs = 0;
  const onError = (err: Error) => {
    if (Date.now() - loggedMs < 60_000) return;
    loggedMs = Date.now();
    o.log('warn', 'MQTT broker not reachable yet: trying again every 2 s', {
      mqtt: o.mqttUrl,
      error: err.message,
    });
  };
  client.on('error', onError);
  const connected = await new Promise<boolean>((resolve) => {
    const abort = () => resolve(false);
    if (o.signal?.aborted) return resolve(false);
    o.signal?.addEventListener('abort', abort, { once: true });
    client.once('connect', () => {
      o.signal?.removeEventListener('abort', abort);
      resolve(true);
    });
  });
  if (!connected) {
    await client.endAsync(true);
    return null;
  }
  if (loggedMs > 0) o.log('info', 'MQTT broker reached', { mqtt: o.mqttUrl });
  return client;
}

/** Waits until `waitForUrl` answers 200 (one log line a minute meanwhile); false when stopped first. */
async function waitForUrl(o: LiveOptions): Promise<boolean> {
  const url = o.waitForUrl;
  if (url === undefined) return true;
  let loggedMs = 0;
  while (!o.signal?.aborted) {
    const status = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
      (r) => String(r.status),
      (err: Error) => err.message,
    );
    if (status === '200') {
      if (loggedMs > 0) o.log('info', 'replay starting: the awaited service answers', { waitFor: url });
      return true;
    }
    if (Date.now() - loggedMs >= 60_000) {
      loggedMs = Date.now();
      o.log('info', 'replay waits for a service to answer 200', { waitFor: url, status });
    }
    await sleep(2000, o.signal);
  }
  return false;
}
