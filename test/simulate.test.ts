/** `plantkpi simulate` as a service: replays the recent past quickly over MQTT and OPC UA, then keeps time. */
import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { runLiveSim } from '../sim/live.ts';
import { tempDir } from './helpers.ts';
import { startMosquitto } from './services/mosquitto.ts';
import { freePort, waitFor } from './services/ports.ts';

const tmp = tempDir('plantkpi-simulate-');
afterAll(() => tmp.cleanup());

describe('plantkpi simulate', () => {
  it('publishes every unit with source times up to now, and serves the PLC over OPC UA', async () => {
    const broker = await startMosquitto();
    const sub = await mqtt.connectAsync(broker.url);
    const seen = new Map<string, number[]>();
    sub.on('message', (topic, payload) => {
      const times = (JSON.parse(payload.toString()) as { time: string }[]).map((r) => Date.parse(r.time));
      seen.set(topic, [...(seen.get(topic) ?? []), ...times]);
    });
    await sub.subscribeAsync('site/+/data', { qos: 1 });
    const stop = new AbortController();
    const logs: string[] = [];
    const run = runLiveSim({
      mqttUrl: broker.url,
      opcuaPort: await freePort(),
      pkiDir: path.join(tmp.dir, 'pki'),
      seed: 1,
      catchUpDays: 1,
      stepMs: 30 * 60_000,
      catchUpPaceMs: 5,
      log: (_level, msg, fields) => logs.push(JSON.stringify({ msg, ...fields })),
      signal: stop.signal,
    });
    await waitFor(
      'a day replayed',
      async () => (seen.get('site/electrolysis/data')?.length ?? 0) >= 2 * 48,
      30_000,
    );
    // one listener for the step being waited on, not one left behind per step
    expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(1);
    stop.abort();
    const { steps } = await run;
    expect(steps).toBeGreaterThanOrEqual(47);
    expect([...seen.keys()].sort()).toEqual(
      ['boiler', 'casting', 'cems', 'chlor-alkali', 'compressors', 'electrolysis', 'substation'].map(
        (u) => `site/${u}/data`,
      ),
    );
    const latest = Math.max(...seen.get('site/electrolysis/data')!);
    expect(latest).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - latest).toBeLessThan(60 * 60_000);
    expect(logs[0]).toMatch(/"opcua":"opc\.tcp:\/\/127\.0\.0\.1:\d+\/plantkpi\/sim"/);
    await sub.endAsync();
    await broker.destroy();
  }, 60_000);

  it('started before its broker, it waits (one log line), publishes once the broker is up, and stops on abort', async () => {
    const port = await freePort();
    const logs: string[] = [];
    const stop = new AbortController();
    const run = runLiveSim({
      mqttUrl: `mqtt://127.0.0.1:${port}`,
      opcuaPort: await freePort(),
      pkiDir: path.join(tmp.dir, 'pki-late'),
      seed: 2,
      catchUpDays: 1,
      stepMs: 30 * 60_000,
      catchUpPaceMs: 5,
      log: (_level, msg, fields) => logs.push(JSON.stringify({ msg, ...fields })),
      signal: stop.signal,
    });
    await waitFor('a refusal logged', async () => logs.some((l) => l.includes('not reachable yet')), 20_000);
    await new Promise((r) => setTimeout(r, 4500)); // two more refused attempts: still one line
    expect(logs.filter((l) => l.includes('not reachable yet'))).toHaveLength(1);
    const broker = await startMosquitto({ port });
    const sub = await mqtt.connectAsync(broker.url);
    let received = 0;
    sub.on('message', () => received++);
    await sub.subscribeAsync('site/+/data', { qos: 1 });
    await waitFor(
      'the snapshot and two steps published after the broker came up',
      async () => received >= 3 * 7,
      30_000,
    );
    expect(logs.some((l) => l.includes('MQTT broker reached'))).toBe(true);
    stop.abort();
    expect((await run).steps).toBeGreaterThan(0);
    await sub.endAsync();
    await broker.destroy();

    // stopped while the broker never answered: it returns instead of hanging
    const never = new AbortController();
    const waiting = runLiveSim({
      mqttUrl: `mqtt://127.0.0.1:${await freePort()}`,
      opcuaPort: await freePort(),
      pkiDir: path.join(tmp.dir, 'pki-never'),
      seed: 3,
      catchUpDays: 1,
      stepMs: 30 * 60_000,
      catchUpPaceMs: 5,
      log: () => {},
      signal: never.signal,
    });
    await new Promise((r) => setTimeout(r, 3000));
    never.abort();
    expect(await waiting).toEqual({ steps: 0 });
  }, 90_000);

  it('with credentials and --wait-for, it replays only once the awaited URL answers 200', async () => {
    const broker = await startMosquitto({ users: { simulator: 'sim-pass', reader: 'read-pass' } });
    let healthy = false;
    const health = createServer((_req, res) => {
      res.statusCode = healthy ? 200 : 503;
      res.end();
    });
    await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(health.address() as AddressInfo).port}/health`;
    const sub = await mqtt.connectAsync(broker.url, { username: 'reader', password: 'read-pass' });
    let received = 0;
    sub.on('message', () => received++);
    await sub.subscribeAsync('site/+/data', { qos: 1 });
    const logs: string[] = [];
    const stop = new AbortController();
    const run = runLiveSim({
      mqttUrl: broker.url,
      mqttUser: 'simulator',
      mqttPassword: 'sim-pass',
      waitForUrl: url,
      opcuaPort: await freePort(),
      pkiDir: path.join(tmp.dir, 'pki-wait'),
      seed: 4,
      catchUpDays: 1,
      stepMs: 30 * 60_000,
      catchUpPaceMs: 5,
      log: (_level, msg, fields) => logs.push(JSON.stringify({ msg, ...fields })),
      signal: stop.signal,
    });
    await waitFor('waiting logged', async () => logs.some((l) => l.includes('replay waits')), 20_000);
    await new Promise((r) => setTimeout(r, 3000));
    expect(received).toBe(0); // connected (with its credentials) but nothing replayed yet
    healthy = true;
    await waitFor('the snapshot and two steps replayed', async () => received >= 3 * 7, 30_000);
    expect(logs.some((l) => l.includes('replay starting'))).toBe(true);
    stop.abort();
    expect((await run).steps).toBeGreaterThan(0);
    await sub.endAsync();
    await new Promise((r) => health.close(r));
    await broker.destroy();
  }, 90_000);
});
