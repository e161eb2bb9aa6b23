import mqtt from 'mqtt';
import { MqttSourceSchema } from './ingest/mqtt/schema.ts';
import { MqttSource } from './ingest/mqtt/source.ts';
import { tempDir } from './test/helpers.ts';
import { startMosquitto } from './test/services/mosquitto.ts';
import { sourceHarness } from './test/services/source-harness.ts';

const tmp = tempDir();
const broker = await startMosquitto();
const units: Record<string, string> = {};
for (let i = 0; i < 100; i++) units[`M-${i}`] = 'kWh';
const h = await sourceHarness(tmp.dir, units);
const src = new MqttSource(
  MqttSourceSchema.parse({
    id: 'b',
    url: broker.url,
    clientId: 'c',
    subscriptions: [{ topic: 'b/{m}', signal: '{m}', timePath: 'ts' }],
  }),
  h.ctx,
);
await src.start();
const pub = await mqtt.connectAsync(broker.url, { clientId: 'p' });
const N = 10000;
const c0 = process.cpuUsage();
const t0 = performance.now();
const inflight: Promise<unknown>[] = [];
for (let k = 0; k < N; k++) {
  inflight.push(
    pub.publishAsync(`b/M-${k % 100}`, JSON.stringify({ value: k, ts: 1790000000000 + k * 1000 }), {
      qos: 1,
    }),
  );
  if (inflight.length >= 500) await Promise.all(inflight.splice(0));
}
await Promise.all(inflight);
while (h.ctx.metrics.readingsIn.get({ source: 'b' }) < N) await new Promise((r) => setTimeout(r, 50));
const c1 = process.cpuUsage(c0);
console.log(
  'msgs/s',
  N / ((performance.now() - t0) / 1000),
  'user ms/1000',
  c1.user / 1000 / (N / 1000),
  'sys ms/1000',
  c1.system / 1000 / (N / 1000),
);
await pub.endAsync();
await src.stop();
await h.close();
await broker.destroy();
tmp.cleanup();
process.exit(0);
