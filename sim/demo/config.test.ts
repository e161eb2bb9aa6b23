import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlantConfig } from '../../config/load.ts';
import { demoWindow, jobsConfig, runConfig, withReplacement } from './config.ts';

const EXAMPLE = fileURLToPath(new URL('../../config/examples/magnesium-site.yaml', import.meta.url));
const loaded = () => loadPlantConfig(EXAMPLE).config;

describe('demoWindow', () => {
  it('is October 2026 in the site zone: the whole month, or a range ending at local midnight', () => {
    const month = demoWindow('Asia/Shanghai', 31);
    expect(month.period.label).toBe('2026-10');
    expect(new Date(month.startMs).toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(new Date(month.endMs).toISOString()).toBe('2026-10-31T16:00:00.000Z');
    const two = demoWindow('Asia/Shanghai', 2);
    expect(two.period.label).toBe('2026-10-01..2026-10-03');
    expect(two.period.endMs).toBe(two.endMs);
  });

  it('follows the site zone, not UTC+8: in Auckland (UTC+13 in October) the range still ends on 10-03', () => {
    const w = demoWindow('Pacific/Auckland', 2);
    expect(new Date(w.startMs).toISOString()).toBe('2026-09-30T11:00:00.000Z');
    expect(w.period.label).toBe('2026-10-01..2026-10-03');
    expect(w.period.startMs).toBe(w.startMs);
    expect(w.period.endMs).toBe(w.endMs);
  });
});

describe('runConfig', () => {
  const input = {
    dataDir: '/tmp/demo',
    mqttUrl: 'mqtt://127.0.0.1:1999',
    opcuaEndpoint: 'opc.tcp://127.0.0.1:4999',
    startMs: Date.parse('2026-09-30T16:00:00Z'),
    nowMs: Date.parse('2027-10-01T00:00:00Z'),
  };

  it('points the sources at the services and the paths under the data directory, leaving the loaded config as it was', () => {
    const base = loaded();
    const before = structuredClone(base);
    const c = runConfig(base, input);
    expect(base).toEqual(before);
    expect(c.sources.mqtt[0]!.url).toBe(input.mqttUrl);
    expect(c.sources.opcua[0]!.endpoint).toBe(input.opcuaEndpoint);
    expect(c.sources.opcua[0]!.pkiDir).toBe(path.join('/tmp/demo', 'client-pki'));
    expect(c.spool.dir).toBe(path.join('/tmp/demo', 'spool'));
    expect(c.collector.deadLetterDir).toBe(path.join('/tmp/demo', 'dead-letter'));
    expect(c.jobs.exportDir).toBe(path.join('/tmp/demo', 'exports'));
    expect(c.influx).toBeUndefined();
  });

  it('accepts readings as old as the replay (a year and a day here), and an InfluxDB given by URL', () => {
    const c = runConfig(loaded(), { ...input, influx: { url: 'http://127.0.0.1:8086', database: 'demo' } });
    expect(c.collector.readingWindow.maxAgeS).toBe((input.nowMs - input.startMs) / 1000 + 86_400);
    expect(c.influx).toMatchObject({ url: 'http://127.0.0.1:8086', database: 'demo', version: 1 });
  });

  it('says which source is missing', () => {
    const base = loaded();
    expect(() => runConfig({ ...base, sources: { ...base.sources, opcua: [] } }, input)).toThrow(
      /sources\.opcua\[0\]/,
    );
  });
});

describe('withReplacement and jobsConfig', () => {
  it('record the replacement on E-AUX and the jobs Redis in new configs', () => {
    const base = loaded();
    const before = structuredClone(base);
    const atMs = Date.parse('2026-10-19T16:00:00Z');
    const c = withReplacement(base, { atMs, oldFinal: 1234.5 });
    const aux = c.signals.find((s) => s.id === 'E-AUX');
    expect(aux?.kind === 'counter' && aux.replacements.at(-1)).toMatchObject({
      at: '2026-10-19T16:00:00.000Z',
      oldFinal: 1234.5,
      newStart: 0,
    });
    expect(withReplacement(base, null)).toBe(base);
    const j = jobsConfig(c, 'redis://127.0.0.1:6399', 'plantkpi-demo-1');
    expect(j.jobs).toMatchObject({
      redis: { url: 'redis://127.0.0.1:6399' },
      prefix: 'plantkpi-demo-1',
      lockMonthAfterExport: false,
    });
    expect(c.jobs.prefix).toBe(base.jobs.prefix);
    expect(base).toEqual(before);
  });
});
