/** The MQTT source over TLS with credentials (MQTT 3.1.1), secrets from the environment and never in the logs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttSourceSchema } from '../ingest/mqtt/schema.ts';
import { MqttSource } from '../ingest/mqtt/source.ts';
import { tempDir } from './helpers.ts';
import { type Broker, startMosquitto } from './services/mosquitto.ts';
import { freePort, waitFor } from './services/ports.ts';
import { sourceHarness } from './services/source-harness.ts';
import { makeTestPki, type TestPki } from './services/tls.ts';

const tmp = tempDir('plantkpi-mqtt-');
let broker: Broker;
let pki: TestPki;
let tlsPort: number;
const PASSWORD = 's3cret-Passw0rd';

beforeAll(async () => {
  pki = makeTestPki(tmp.dir);
  tlsPort = await freePort();
  broker = await startMosquitto({
    users: { collector: PASSWORD },
    extra: [
      `listener ${tlsPort} 127.0.0.1`,
      `cafile ${pki.caFile}`,
      `certfile ${pki.certFile}`,
      `keyfile ${pki.keyFile}`,
    ],
  });
});
afterAll(async () => {
  await broker?.destroy();
  tmp.cleanup();
});

describe('MQTT source', () => {
  it('connects over TLS with a username and a password from the environment (MQTT 3.1.1), never logging it', async () => {
    process.env.PLANTKPI_TEST_MQTT_PASSWORD = PASSWORD;
    const h = await sourceHarness(path.join(tmp.dir, 'tls'), { 'E-1': 'kWh' });
    const cfg = MqttSourceSchema.parse({
      id: 'secure',
      url: `mqtts://127.0.0.1:${tlsPort}`,
      protocolVersion: 4,
      clientId: 'plantkpi-tls-test',
      username: 'collector',
      password: { env: 'PLANTKPI_TEST_MQTT_PASSWORD' },
      tls: { caFile: pki.caFile },
      subscriptions: [{ topic: 'site/{meter}/kwh', signal: '{meter}', timePath: 'ts' }],
    });
    const src = new MqttSource(cfg, h.ctx);
    await src.start();
    const pub = await mqtt.connectAsync(`mqtts://127.0.0.1:${tlsPort}`, {
      username: 'collector',
      password: PASSWORD,
      ca: readFileSync(pki.caFile),
      protocolVersion: 4,
    });
    for (let i = 0; i < 5; i++) {
      await pub.publishAsync('site/E-1/kwh', JSON.stringify({ value: i, ts: 1_790_000_000_000 + i }), {
        qos: 1,
      });
    }
    await waitFor('5 readings', async () => (await h.drain()).length === 5);
    const got = await h.drain();
    expect(got.map((r) => r.value)).toEqual([0, 1, 2, 3, 4]);
    await pub.endAsync();
    await src.stop();
    expect(JSON.stringify(h.logs)).not.toContain(PASSWORD);
    await h.close();
  });

  it('a wrong password is refused by the broker and logged without the password', async () => {
    process.env.PLANTKPI_TEST_MQTT_PASSWORD = 'wrong-password-xyz';
    const h = await sourceHarness(path.join(tmp.dir, 'wrong'), { 'E-1': 'kWh' });
    const cfg = MqttSourceSchema.parse({
      id: 'wrong',
      url: broker.url,
      clientId: 'plantkpi-wrong',
      username: 'collector',
      password: { env: 'PLANTKPI_TEST_MQTT_PASSWORD' },
      reconnectPeriodMs: 200,
      subscriptions: [{ topic: 'x/{m}', signal: '{m}', timePath: 'ts' }],
    });
    const src = new MqttSource(cfg, h.ctx);
    await src.start(); // resolves on the first refusal instead of hanging; it goes on retrying
    const refusals = () => h.logs.filter((l) => l.msg === 'MQTT broker refused the connection');
    await waitFor('two refusals logged (it retries)', async () => refusals().length >= 2);
    expect(String(refusals()[0]?.fields?.reason)).toMatch(/Not authorized|Bad User Name or Password/i);
    expect(src.status()).toMatchObject({ connected: false, connections: [{ state: 'refused' }] });
    expect(JSON.stringify(h.logs)).not.toContain('wrong-password-xyz');
    await src.stop();

    // configured to give up: start() fails with one clear sentence
    const strict = new MqttSource(
      MqttSourceSchema.parse({ ...cfg, clientId: 'plantkpi-wrong-2', onAuthFailure: 'exit' }),
      h.ctx,
    );
    await expect(strict.start()).rejects.toThrow(
      /refused the credentials of source 'wrong'.*check its username and password/,
    );
    await h.close();
  });

  it('a missing secret is a clear error naming the variable', async () => {
    delete process.env.PLANTKPI_TEST_MQTT_PASSWORD;
    const h = await sourceHarness(path.join(tmp.dir, 'missing'), {});
    const cfg = MqttSourceSchema.parse({
      id: 'nosecret',
      url: broker.url,
      clientId: 'x',
      password: { env: 'PLANTKPI_TEST_MQTT_PASSWORD' },
      subscriptions: [{ topic: 'x/{m}', signal: '{m}' }],
    });
    await expect(new MqttSource(cfg, h.ctx).start()).rejects.toThrow(
      /PLANTKPI_TEST_MQTT_PASSWORD is not set/,
    );
    await h.close();
  });
});
