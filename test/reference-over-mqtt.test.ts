/**
 * The reference plant's readings published over MQTT end up in InfluxDB through the collector, and the KPIs read
 * back through the InfluxDB store equal expected.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithExpected } from '../cli/expected.ts';
import { parsePlantConfig } from '../config/load.ts';
import { startCollector } from '../ingest/collector.ts';
import { compilePlant } from '../kpi/plant.ts';
import { runPeriod } from '../kpi/run.ts';
import { InfluxStore } from '../store/influx/store.ts';
import { V1WriteTarget } from '../store/influx/targets.ts';
import { REFERENCE, REFERENCE_CONFIG, tempDir } from './helpers.ts';
import { type InfluxServer, startInflux } from './services/influxd.ts';
import { type Broker, startMosquitto } from './services/mosquitto.ts';
import { waitFor } from './services/ports.ts';

let influx: InfluxServer;
let broker: Broker;
const tmp = tempDir('plantkpi-refmqtt-');
beforeAll(async () => {
  [influx, broker] = await Promise.all([startInflux(), startMosquitto()]);
  await influx.query('CREATE DATABASE plant');
});
afterAll(async () => {
  await Promise.all([influx?.destroy(), broker?.destroy()]);
  tmp.cleanup();
});

describe('reference plant over MQTT', () => {
  it('gives the expected KPIs from what the collector stored in InfluxDB', async () => {
    const text = `${readFileSync(REFERENCE_CONFIG, 'utf8')}
sources:
  mqtt:
    - id: plant-broker
      url: ${broker.url}
      clientId: plantkpi-ref
      protocolVersion: 4
      subscriptions:
        - { topic: "ref/{signal}", signal: "{signal}", valuePath: value, timePath: time, timeFormat: iso }
influx: { url: "${influx.url}", database: plant, flushIntervalMs: 100 }
spool: { dir: "${tmp.dir}/spool" }
# the reference plant's October 2026, replayed: accepted however old (the 2000 floor still applies)
collector: { httpPort: 0, deadLetterDir: "${tmp.dir}/dead", readingWindow: { maxAgeS: 3153600000 } }
`;
    const config = parsePlantConfig(text, 'reference+mqtt');
    const collector = await startCollector(config, () => {});
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    const rows = readFileSync(path.join(REFERENCE, 'readings.csv'), 'utf8').trim().split('\n').slice(1);
    for (const row of rows) {
      const [signal, time, value] = row.split(',');
      await pub.publishAsync(`ref/${signal}`, JSON.stringify({ time, value: Number(value) }), { qos: 1 });
    }
    await pub.endAsync();
    await waitFor(
      'all readings stored',
      async () => collector.forwarder.stats.linesWritten >= rows.length,
      60_000,
    );
    await collector.stop();
    expect(collector.stats()).toEqual({
      readingsIn: { 'plant-broker': rows.length },
      deadLettered: { 'plant-broker': 0 },
      readingsOut: rows.length,
      refused: 0,
      spoolOldestAgeMs: 0,
    });

    const store = new InfluxStore(
      { url: influx.url, database: 'plant', site: 'SITE' },
      new V1WriteTarget({ url: influx.url, database: 'plant' }),
    );
    expect(await store.count('E-ELY', Date.parse('2026-09-01'), Date.parse('2026-12-01'))).toBe(745);
    const plant = compilePlant(config);
    const results = [await runPeriod(store, plant, '2026-10'), await runPeriod(store, plant, '2026-10-05')];
    const expected = JSON.parse(readFileSync(path.join(REFERENCE, 'expected.json'), 'utf8'));
    const check = compareWithExpected(expected, results, 1e-6);
    expect(check.mismatches).toEqual([]);
    expect(check.matched).toBe(64);
  }, 120_000);
});
