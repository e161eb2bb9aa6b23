/**
 * The collector's promise, checked from outside with a sequence ledger: a foreign publisher (Debian's mosquitto_pub)
 * sends QoS 1 messages numbered 0..N-1, the collector (a child process) writes them through its spool into a real
 * InfluxDB, and every number must be stored, with no gap, whatever happens in between: a 200,000-message backlog
 * drained with a SIGKILL in the middle, the spool full while InfluxDB is away, four connections sharing a
 * subscription, a broker restart, the broker refusing the collector's credentials for 10 s.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { type CollectorProcess, startCollectorProcess } from './services/collector-process.ts';
import { type InfluxServer, startInflux } from './services/influxd.ts';
import { type Broker, startMosquitto } from './services/mosquitto.ts';
import { waitFor } from './services/ports.ts';

const METERS = 5;
/** source times: 12 h ago, one reading a second per meter, so every reading is inside the collector's window */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 12 * 3600_000;

let influx: InfluxServer;
let broker: Broker;
const tmp = tempDir('plantkpi-ledger-');

beforeAll(async () => {
  [influx, broker] = await Promise.all([startInflux(), startMosquitto()]);
});

afterAll(async () => {
  await Promise.all([influx?.destroy(), broker?.destroy()]);
  tmp.cleanup();
});

interface Case {
  name: string;
  brokerUrl?: string;
  mqtt?: string;
  spool?: string;
  topic?: string;
}

/** A plant config for one case: its own database, client id, topic prefix, spool and dead-letter folders. */
async function configFor(c: Case): Promise<string> {
  await influx.query(`CREATE DATABASE ${c.name}`);
  const file = path.join(tmp.dir, `${c.name}.yaml`);
  writeFileSync(
    file,
    `
site: { id: S }
carriers: [{ id: electricity, unit: kWh, emissionScope: 2 }]
signals:
${[...Array(METERS).keys()].map((i) => `  - { id: M-${i}, kind: counter, unit: kWh, carrier: electricity }`).join('\n')}
organisation: { committee: { id: C }, branches: [{ id: B }] }
sources:
  mqtt:
    - id: broker
      url: ${c.brokerUrl ?? broker.url}
      clientId: collector-${c.name}
      reconnectPeriodMs: 200
      reconnectMaxMs: 2000
      subscriptions:
        - { topic: "${c.topic ?? `${c.name}/{meter}/energy`}", signal: "{meter}", valuePath: v, timePath: ts }
${c.mqtt ?? ''}
influx: { url: "${influx.url}", database: ${c.name}, flushIntervalMs: 100, batchLines: 5000 }
spool: { dir: "${tmp.dir}/${c.name}/spool"${c.spool ? `, ${c.spool}` : ''} }
collector: { httpPort: 0, deadLetterDir: "${tmp.dir}/${c.name}/dead", influxDegradedAfterMs: 1000 }
`,
  );
  return file;
}

const line = (seq: number) => JSON.stringify({ v: seq, ts: T0 + Math.floor(seq / METERS) * 1000 });

/**
 * Publishes seq from..to-1 with `publishers` mosquitto_pub processes at QoS 1, meter = seq % METERS. Each process
 * takes the numbers of its meters, one message per stdin line.
 */
async function publish(
  prefix: string,
  from: number,
  to: number,
  opts: { publishers?: number; url?: string; user?: [string, string] } = {},
): Promise<void> {
  const u = new URL(opts.url ?? broker.url);
  const jobs: Promise<void>[] = [];
  for (let meter = 0; meter < METERS; meter++) {
    const lines: string[] = [];
    for (let s = from; s < to; s++) if (s % METERS === meter) lines.push(line(s));
    if (lines.length === 0) continue;
    const args = [
      '-h',
      u.hostname,
      '-p',
      u.port,
      '-q',
      '1',
      '-M',
      '100',
      '-t',
      `${prefix}/M-${meter}/energy`,
      '-l',
    ];
    if (opts.user) args.push('-u', opts.user[0], '-P', opts.user[1]);
    args.push('-i', `pub-${prefix}-${meter}-${from}`);
    jobs.push(
      new Promise<void>((resolve, reject) => {
        const p = spawn('mosquitto_pub', args, { stdio: ['pipe', 'ignore', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d) => {
          err += d;
        });
        p.once('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited ${code}: ${err}`)),
        );
        p.stdin.end(`${lines.join('\n')}\n`);
      }),
    );
  }
  await Promise.all(jobs);
}

async function storedCount(db: string): Promise<number> {
  const r = (await influx.query('SELECT count(value) FROM reading', db)) as {
    results: { series?: { values: [string, number][] }[] }[];
  };
  return r.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}

/** The ledger: every number 0..n-1 stored exactly once (a point per meter and second: a repeat overwrites itself). */
async function expectLedger(db: string, n: number): Promise<void> {
  await waitFor(`${n} readings in ${db}`, async () => (await storedCount(db)) >= n, 120_000).catch(
    async (e) => {
      throw new Error(`${e.message}: ${await storedCount(db)} of ${n}`);
    },
  );
  const r = (await influx.query('SELECT value FROM reading', db)) as {
    results: { series?: { values: [string, number][] }[] }[];
  };
  const values = (r.results[0]?.series?.[0]?.values ?? []).map((row) => row[1]);
  const seen = new Uint8Array(n);
  for (const v of values) if (Number.isInteger(v) && v >= 0 && v < n) seen[v] = 1;
  const missing: number[] = [];
  for (let s = 0; s < n && missing.length < 10; s++) if (!seen[s]) missing.push(s);
  expect(missing).toEqual([]);
  expect(values.length).toBe(n);
}

async function stop(c: CollectorProcess): Promise<void> {
  c.child.kill('SIGTERM');
  expect(await c.exited).toBe(0);
}

describe('collector intake: nothing acknowledged is lost', () => {
  it('drains a backlog of 200,000 QoS 1 messages, SIGKILLed in the middle of the drain', async () => {
    const N = 200_000;
    const cfg = await configFor({ name: 'backlog' });
    let c = await startCollectorProcess(cfg);
    await waitFor('subscribed', async () => (await c.health()).status === 'ok');
    await stop(c); // the broker now keeps a persistent session for the collector

    await publish('backlog', 0, N);
    c = await startCollectorProcess(cfg);
    await waitFor(
      'half drained',
      async () => (await c.metric('plantkpi_readings_in_total')) >= N / 3,
      120_000,
    );
    const commits = await c.metric('plantkpi_spool_group_commits_total');
    const spooled = await c.metric('plantkpi_readings_in_total');
    c.child.kill('SIGKILL');
    await c.exited;
    // group commit: many messages per write and fsync
    expect(spooled / commits).toBeGreaterThan(10);

    c = await startCollectorProcess(cfg);
    await expectLedger('backlog', N);
    await stop(c);
  }, 300_000);

  it('holds the messages at the broker while the spool is full and InfluxDB is away, and stores all once it is back', async () => {
    const N = 20_000;
    // about 8,000 readings fit in 256 KiB of spool
    const cfg = await configFor({ name: 'full', spool: 'maxBytes: 262144, segmentBytes: 32768' });
    const c = await startCollectorProcess(cfg);
    await waitFor('subscribed', async () => (await c.health()).status === 'ok');
    await influx.stop();
    try {
      await publish('full', 0, N);
      // /health says both: the spool is full, and InfluxDB has failed for longer than influxDegradedAfterMs
      await waitFor('spool full and InfluxDB failing, said by /health', async () => {
        const h = await c.health();
        return (
          h.status === 'degraded' &&
          h.reasons.some((r) => r.startsWith('spool full')) &&
          h.reasons.some((r) => /InfluxDB writes failing/.test(r))
        );
      });
      expect(await c.metric('plantkpi_spool_bytes')).toBeLessThanOrEqual(262144 + 64 * 1024);
    } finally {
      await influx.start();
    }
    await expectLedger('full', N);
    await waitFor('healthy again', async () => (await c.health()).status === 'ok', 30_000);
    expect(await c.metric('plantkpi_spool_bytes')).toBe(0);
    await stop(c);
  }, 180_000);

  it('shares a subscription over 4 connections ($share) and stores every message once', async () => {
    const N = 40_000;
    const cfg = await configFor({
      name: 'shared',
      topic: '$share/plantkpi/shared/{meter}/energy',
      mqtt: '      connections: 4',
    });
    const c = await startCollectorProcess(cfg);
    await waitFor('4 connections up', async () => {
      const h = (await c.health()) as unknown as { sources: { connections: { state: string }[] }[] };
      return h.sources[0]!.connections.filter((k) => k.state === 'connected').length === 4;
    });
    await publish('shared', 0, N);
    await expectLedger('shared', N);
    // a message no binding matches is dead-lettered, never dropped in silence: none here
    expect(await c.metric('plantkpi_dead_lettered_total')).toBe(0);
    await stop(c);
  }, 180_000);

  it('loses nothing when the broker restarts in the middle of the stream', async () => {
    const N = 30_000;
    const cfg = await configFor({ name: 'restart' });
    const c = await startCollectorProcess(cfg);
    await waitFor('subscribed', async () => (await c.health()).status === 'ok');
    await publish('restart', 0, N / 2);
    await broker.stop(); // the broker saves its sessions and queued messages
    await broker.start();
    await publish('restart', N / 2, N);
    await expectLedger('restart', N);
    await waitFor('reconnected', async () => (await c.health()).status === 'ok');
    await stop(c);
  }, 180_000);

  it('reconnects after the broker refused its credentials for 10 s, and then gets what was queued', async () => {
    const N = 6_000;
    const secured = await startMosquitto({ users: { collector: 'c-secret', publisher: 'p-secret' } });
    try {
      const cfg = await configFor({
        name: 'refused',
        brokerUrl: secured.url,
        mqtt: '      username: collector\n      password: { env: LEDGER_MQTT_PASSWORD }',
      });
      const env = { ...process.env, LEDGER_MQTT_PASSWORD: 'c-secret' };
      const c = await startCollectorProcess(cfg, env);
      await waitFor('subscribed', async () => (await c.health()).status === 'ok');
      const pub = { url: secured.url, user: ['publisher', 'p-secret'] as [string, string] };
      await publish('refused', 0, N / 2, pub);

      // the broker is changed: for 10 s it does not know the collector's user
      await secured.setUsers({ publisher: 'p-secret' });
      await secured.stop();
      await secured.start();
      await publish('refused', N / 2, N, pub);
      await waitFor('refusal visible', async () => {
        const h = await c.health();
        return h.reasons.some((r) => /refused/.test(r) && /Not authorized|Bad User Name/i.test(r));
      });
      await new Promise((r) => setTimeout(r, 10_000));
      const refusals = c.stderr().match(/MQTT broker refused the connection/g)?.length ?? 0;
      expect(refusals).toBeGreaterThanOrEqual(3); // it kept trying, with backoff, and said so each time
      expect(c.stderr()).not.toContain('c-secret');

      await secured.setUsers({ collector: 'c-secret', publisher: 'p-secret' });
      await expectLedger('refused', N);
      await waitFor('healthy', async () => (await c.health()).status === 'ok');
      await stop(c);
    } finally {
      await secured.destroy();
    }
  }, 180_000);
});
