/** openSink: KPI rows go to files beside the embedded store without `influx:`, to InfluxDB with it. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InfluxSchema } from '../store/influx/schema.ts';
import { tempDir } from '../test/helpers.ts';
import type { PeriodResult } from './rows.ts';
import { FileKpiSink, InfluxKpiSink, openSink } from './sink.ts';

const tmp = tempDir('plantkpi-sink-');
afterAll(() => tmp.cleanup());

const result = {
  period: '2026-10-05',
  startMs: Date.UTC(2026, 9, 4, 16),
  kpis: [],
  targets: [],
  quality: [],
} as unknown as PeriodResult;

describe('openSink', () => {
  it('without influx: DATA/kpi/<kind>/<period>.json, the folder the embedded store uses', async () => {
    const sink = openSink({ site: { id: 'S' } }, tmp.dir);
    expect(sink).toBeInstanceOf(FileKpiSink);
    await sink.write(result, 'day');
    expect(existsSync(path.join(tmp.dir, 'kpi', 'day', '2026-10-05.json'))).toBe(true);
    expect((sink as FileKpiSink).read('day', '2026-10-05')).toEqual(result);
  });

  it('with influx: InfluxDB', () => {
    const influx = InfluxSchema.parse({ url: 'http://127.0.0.1:1' });
    expect(openSink({ site: { id: 'S' }, influx }, tmp.dir)).toBeInstanceOf(InfluxKpiSink);
  });
});
