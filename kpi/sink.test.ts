/** openSink: KPI rows go to files beside the embedded store without `influx:`, to InfluxDB with it. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InfluxSchema } from '../store/influx/schema.ts';
import { tempDir } from '../test/helpers.ts';
import type { PeriodResult } from './rows.ts';
import { FileKpiSink, InfluxKpiSink, kpiLines, openSink, targetMarginPct } from './sink.ts';

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

describe('targetMarginPct', () => {
  it('at most: (max − actual) / max × 100; at least: (actual − min) / min × 100; positive when met', () => {
    expect(targetMarginPct({ actual: 234, target_max: 260 })).toBeCloseTo(10, 12);
    expect(targetMarginPct({ actual: 17.6, target_max: 16 })).toBeCloseTo(-10, 12);
    expect(targetMarginPct({ actual: 0.9, target_min: 0.85 })).toBeCloseTo((0.05 / 0.85) * 100, 12);
    expect(targetMarginPct({ actual: 0.8, target_min: 0.85 })).toBeLessThan(0);
  });
  it('both bounds: the nearer one; no actual or a zero target: null', () => {
    expect(targetMarginPct({ actual: 95, target_min: 90, target_max: 100 })).toBeCloseTo(5, 12);
    expect(targetMarginPct({ actual: 99, target_min: 90, target_max: 100 })).toBeCloseTo(1, 12);
    expect(targetMarginPct({ actual: null, target_max: 100 })).toBeNull();
    expect(targetMarginPct({ actual: 3, target_max: 0 })).toBeNull();
  });
});

describe('kpiLines', () => {
  it("a target point carries margin_pct, the KPI's unit and the provisional flag beside actual and status", () => {
    const r = {
      ...result,
      period: '2026-10',
      kpis: [
        {
          kpi: 'intensity.energy',
          scope_type: 'area',
          scope_id: 'A-BLR',
          period: '2026-10',
          value: 17.6,
          unit: 'kgce/t',
          provisional: true,
        },
      ],
      targets: [
        {
          kpi: 'intensity.energy',
          scope_type: 'area',
          scope_id: 'A-BLR',
          period: '2026-10',
          target_max: 16,
          actual: 17.6,
          status: 'missed',
          provisional: true,
        },
        {
          kpi: 'intensity.energy',
          scope_type: 'team',
          scope_id: 'T-X',
          period: '2026-10',
          target_max: 16,
          actual: null,
          status: 'no_data',
          provisional: false,
        },
      ],
    } as PeriodResult;
    const [kpi, target, noData] = kpiLines(r, 'month', 'S');
    expect(kpi).toMatch(/^kpi,.* value=17.6,provisional=true,unit="kgce\/t",period="2026-10" \d+$/);
    expect(target).toMatch(/^kpi_target,/);
    expect(target).toMatch(
      / target_max=16,actual=17.6,margin_pct=-10(\.0+\d*)?,unit="kgce\/t",status="missed",/,
    );
    expect(target).toMatch(/,met=0,provisional=true,period="2026-10" /);
    expect(noData).not.toMatch(/margin_pct|unit=/);
  });
});
