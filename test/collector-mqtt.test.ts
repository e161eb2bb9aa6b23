/**
 * End to end, real servers on private ports: MQTT (Mosquitto) -> `plantkpi collect` (a child process) -> InfluxDB 1.x.
 * QoS 1 messages published while InfluxDB is down and while the collector is SIGKILLed all end up in InfluxDB
 * exactly once: a ledger of sequence numbers compares what was sent with what is stored. Malformed payloads mixed in
 * are dead-lettered and counted, and never stop the collector.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.ts';
import { type InfluxServer, startInflux } from './services/influxd.ts';
import { type Broker, startMosquitto } from './services/mosquitto.ts';
import { waitFor } from './services/ports.ts';

const GOOD = 3000;
const BAD = 1000;
const T0 = Date.parse('2026-10-01T00:00:00Z');

let influx: InfluxServer;
let broker: Broker;
const tmp = tempDir('plantkpi-collect-');
let configFile: string;

beforeAll(async () => {
  [influx, broker] = await Promise.all([startInflux(), startMosquitto()]);
  await influx.query('CREATE DATABASE ledger');
  configFile = path.join(tmp.dir, 'plant.yaml');
  writeFileSync(
    configFile,
    `
site: { id: S }
carriers: [{ id: electricity, unit: kWh, emissionScope: 2 }]
signals:
${[0, 1, 2, 3, 4].map((i) => `  - { id: M-${i}, kind: counter, unit: kWh, carrier: electricity }`).join('\n')}
organisation: { committee: { id: C }, branches: [{ id: B }] }
sources:
  mqtt:
    - id: broker
      url: ${broker.url}
      clientId: plantkpi-test-collector
      subscriptions:
        - { topic: "plant/{meter}/energy", signal: "{meter}", valuePath: v, timePath: ts, unit: Wh, scale: 1000 }
influx: { url: "${influx.url}", database: ledger, flushIntervalMs: 100, batchLines: 1000 }
spool: { dir: "${tmp.dir}/spool" }
# the ledger is stamped from 2026-10-01: a replay, accepted however old (the 2000 floor still applies)
collector: { httpPort: 0, deadLetterDir: "${tmp.dir}/dead", readingWindow: { maxAgeS: 3153600000 } }
`,
  );
});

afterAll(async () => {
  await Promise.all([influx?.destroy(), broker?.destroy()]);
  tmp.cleanup();
});

interface Running {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

async function startCollectorProcess(): Promise<Running> {
  const child = spawn('node', [path.join(ROOT, 'bin', 'plantkpi.js'), 'collect', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await waitFor('collector', async () => /http:\/\/[\d.]+:\d+/.test(out), 30_000).catch((e) => {
    throw new Error(`${e.message}\nstdout: ${out}\nstderr: ${err.slice(-2000)}`);
  });
  const port = Number(/http:\/\/[\d.]+:(\d+)/.exec(out)![1]);
  return { child, port, exited };
}

async function stored(): Promise<number[]> {
  const r = (await influx.query('SELECT value FROM reading', 'ledger')) as {
    results: { series?: { values: [number, number][] }[] }[];
  };
  return (r.results[0]?.series?.[0]?.values ?? []).map((row) => row[1]);
}

describe('collector: MQTT -> spool -> InfluxDB, with nothing lost', () => {
  it('delivers every QoS 1 message exactly once through an InfluxDB outage and a SIGKILL; dead-letters malformed ones', async () => {
    const pub = await mqtt.connectAsync(broker.url, { clientId: 'ledger-publisher', protocolVersion: 5 });
    let seq = 0;
    let bad = 0;
    const publish = async (good: number) => {
      for (let k = 0; k < good; k++) {
        const s = seq++;
        // values in Wh x 1/1000 scale: the collector's scale and unit conversion must give back s
        const body = { v: s, ts: T0 + s * 1000 };
        await pub.publishAsync(`plant/M-${s % 5}/energy`, JSON.stringify(body), { qos: 1 });
        if (s % 3 === 0 && bad < BAD) {
          const b = bad++;
          const junk = b % 2 === 0 ? `not json #${b}` : JSON.stringify({ v: `bad #${b}`, ts: T0 });
          await pub.publishAsync(`plant/M-${b % 5}/energy`, junk, { qos: 1 });
        }
      }
    };

    let c = await startCollectorProcess();
    await publish(1000);
    await waitFor('first readings in InfluxDB', async () => (await stored()).length > 0, 20_000);

    await influx.stop(); // InfluxDB goes away: the spool keeps everything
    await publish(1000);
    c.child.kill('SIGKILL'); // and the collector dies hard
    await c.exited;
    await publish(GOOD - 2000); // broker keeps them in the persistent session
    while (bad < BAD) {
      const b = bad++;
      await pub.publishAsync(`plant/M-0/energy`, `{"v": ${b}, "ts": "no time #${b}"}`, { qos: 1 });
    }
    c = await startCollectorProcess();
    await new Promise((r) => setTimeout(r, 500));
    await influx.start();

    await waitFor('every reading in InfluxDB', async () => (await stored()).length >= GOOD, 60_000).catch(
      async (e) => {
        throw new Error(`${e.message}: ${(await stored()).length} of ${GOOD}`);
      },
    );
    const values = await stored();
    expect(values.length).toBe(GOOD);
    expect(new Set(values).size).toBe(GOOD);
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(GOOD - 1);

    // every malformed payload is in the dead-letter file with topic and reason (a crash may repeat one, never lose one)
    await waitFor('all dead letters', async () => {
      const lines = readFileSync(path.join(tmp.dir, 'dead', 'payloads.jsonl'), 'utf8')
        .trim()
        .split('\n');
      return new Set(lines.map((l) => /#(\d+)/.exec(JSON.parse(l).payload)?.[1])).size >= BAD;
    });
    const first = JSON.parse(
      readFileSync(path.join(tmp.dir, 'dead', 'payloads.jsonl'), 'utf8').split('\n')[0]!,
    );
    expect(first).toMatchObject({ source: 'broker', origin: expect.stringMatching(/^plant\/M-\d\/energy$/) });
    expect(first.reason).toBeTruthy();

    const metrics = await (await fetch(`http://127.0.0.1:${c.port}/metrics`)).text();
    expect(metrics).toMatch(/plantkpi_dead_lettered_total\{source="broker"\} \d+/);
    expect(metrics).toMatch(/plantkpi_readings_out_total \d+/);
    const health = (await (await fetch(`http://127.0.0.1:${c.port}/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');

    c.child.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    await pub.endAsync();
  }, 180_000);
});
