/** openSink: KPI rows go to files beside the embedded store without `influx:`, to InfluxDB with it. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InfluxSchema } from '../store/influx/schema.ts';
import { tempDir } from '../test/helpers.ts';
import type { PeriodResult } from './rows.ts';
import { SMALL } from './scorecard/testdata/small-scorecard.ts';
import { FileKpiSink, InfluxKpiSink, kpiLines, openSink } from './sink.ts';
import { marginPct } from './targets.ts';

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
    const sink = openSink({ site: { id: 'S', timeZone: 'Asia/Shanghai' } }, tmp.dir);
    expect(sink).toBeInstanceOf(FileKpiSink);
    await sink.write(result, 'day');
    expect(existsSync(path.join(tmp.dir, 'kpi', 'day', '2026-10-05.json'))).toBe(true);
    expect((sink as FileKpiSink).read('day', '2026-10-05')).toEqual(result);
  });

  it('a scorecard goes to DATA/kpi/scorecard/<period>.json and reads back as written', async () => {
    const sink = openSink({ site: { id: 'S', timeZone: 'Asia/Shanghai' } }, tmp.dir) as FileKpiSink;
    await sink.writeScorecard(SMALL, 'month');
    expect(existsSync(path.join(tmp.dir, 'kpi', 'scorecard', '2026-10.json'))).toBe(true);
    expect(sink.readScorecard('2026-10')).toEqual(SMALL);
    // written again (a recompute), it replaces the file
    const again = { ...SMALL, points: SMALL.points.map((p) => ({ ...p, points: p.points + 1 })) };
    await sink.writeScorecard(again, 'month');
    expect(sink.readScorecard('2026-10')).toEqual(again);
    expect(sink.readScorecard('2026-11')).toBeNull();
  });

  it('with influx: InfluxDB', () => {
    const influx = InfluxSchema.parse({ url: 'http://127.0.0.1:1' });
    expect(openSink({ site: { id: 'S', timeZone: 'Asia/Shanghai' }, influx }, tmp.dir)).toBeInstanceOf(
      InfluxKpiSink,
    );
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
          margin_pct: marginPct(17.6, 16),
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
          margin_pct: null,
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
