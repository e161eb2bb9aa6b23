/** The engine on a small plant with a two-level balance and a CEMS stack: a day's balance rows and SO2 mass. */
import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from '../config/load.ts';
import type { Series } from '../store/port.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { computePeriod } from './engine.ts';
import { compilePlant } from './plant.ts';
import type { PeriodResult } from './rows.ts';

const H = 3_600_000;
const TZ = 'Asia/Shanghai';
const DAY = parsePeriod('2026-10-05', TZ);

const plant = compilePlant(
  parsePlantConfig(`
site: { id: S, timeZone: ${TZ} }
completeness: { provisionalBelow: 0.95 }
carriers:
  - { id: electricity, name: 电力 Electricity, unit: kWh, emissionScope: 2 }
products:
  - { id: mg, unit: t }
signals:
  - { id: MAIN, kind: counter, unit: kWh, carrier: electricity, sampleIntervalS: 3600 }
  - { id: SUB1, kind: counter, unit: kWh, carrier: electricity, sampleIntervalS: 3600, inSiteTotal: false }
  - { id: M2, kind: counter, unit: MWh, carrier: electricity, sampleIntervalS: 3600, inSiteTotal: false }
  - { id: S2, kind: counter, unit: kWh, carrier: electricity, sampleIntervalS: 3600, inSiteTotal: false }
  - { id: OUT, kind: counter, unit: t, product: mg, sampleIntervalS: 3600 }
  - { id: SO2, kind: gauge, unit: mg/m3, sampleIntervalS: 1800 }
  - { id: FLUE, kind: gauge, unit: Nm3/h, sampleIntervalS: 1800 }
  - { id: O2, kind: gauge, unit: "%", sampleIntervalS: 1800 }
balances:
  - { id: EB, name: 全厂电平衡 Site balance, carrier: electricity, main: MAIN, submeters: [{ signal: SUB1 }, { balance: EB-2 }], lossAlarmPct: 1.5 }
  - { id: EB-2, carrier: electricity, main: M2, submeters: [{ signal: S2 }], lossAlarmPct: 3 }
cems:
  product: mg
  stacks:
    - id: DA001
      flowSignal: FLUE
      o2Signal: O2
      pollutants:
        so2: { signal: SO2, limitMgM3: 50, referenceO2Pct: 3 }
organisation:
  committee: { id: C }
  branches: [{ id: B }]
  areas: [{ id: A, branch: B, meters: [{ signal: MAIN }], products: [{ signal: OUT }] }]
`),
);

/** readings every `stepMs` from the day's start, `count` of them, skipping the instants `skip` says */
function readings(
  f: (i: number) => number,
  stepMs: number,
  count: number,
  skip = (_t: number) => false,
): Series {
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = DAY.startMs + i * stepMs;
    if (skip(t)) continue;
    times.push(t);
    values.push(f(i));
  }
  return { times: Float64Array.from(times), values: Float64Array.from(values) };
}

function day(skipSo2 = (_t: number) => false): PeriodResult {
  const half = H / 2;
  return computePeriod(
    plant,
    new Map([
      ['MAIN', readings((h) => h * 1000, H, 25)], // 24,000 kWh
      ['SUB1', readings((h) => h * 600, H, 25)], // 14,400 kWh
      ['M2', readings((h) => h * 0.38, H, 25)], // 9.12 MWh = 9,120 kWh
      ['S2', readings((h) => h * 370, H, 25)], // 8,880 kWh
      ['OUT', readings((h) => h * 2, H, 25)], // 48 t
      ['SO2', readings(() => 35, half, 48, skipSo2)],
      ['FLUE', readings(() => 180_000, half, 48)],
      ['O2', readings(() => 9, half, 48)],
    ]),
    DAY,
  );
}

const find = (r: PeriodResult, kpi: string) =>
  r.kpis.find((k) => k.kpi === kpi && k.scope_type === 'site' && k.scope_id === 'S');

describe('metering balances and CEMS in the engine', () => {
  const r = day();

  it('a two-level balance: the nested balance counts as its main meter in its parent', () => {
    expect(find(r, 'balance.EB.main')).toMatchObject({ value: 24_000, unit: 'kWh', provisional: false });
    expect(find(r, 'balance.EB.submetered')?.value).toBeCloseTo(14_400 + 9_120, 6);
    expect(find(r, 'balance.EB.unmetered')?.value).toBeCloseTo(480, 6);
    expect(find(r, 'balance.EB.loss_pct')?.value).toBeCloseTo(2, 9);
    expect(find(r, 'balance.EB.loss_pct')?.unit).toBe('%');
    expect(find(r, 'balance.EB.alarm')).toMatchObject({ value: 1, unit: 'pcs' });
    expect(find(r, 'balance.EB-2.main')?.value).toBeCloseTo(9_120, 6);
    expect(find(r, 'balance.EB-2.unmetered')?.value).toBeCloseTo(240, 6);
    expect(find(r, 'balance.EB-2.loss_pct')?.value).toBeCloseTo((240 / 9_120) * 100, 9);
    expect(find(r, 'balance.EB-2.alarm')?.value).toBe(0);
  });

  it('SO2 mass for a day: 35 mg/m3 × 180,000 m3/h × 24 h = 151.2 kg; per tonne; exceedance hours at 3 % O2', () => {
    expect(find(r, 'emissions.so2.mass')).toMatchObject({ unit: 'kg', provisional: false });
    expect(find(r, 'emissions.so2.mass')?.value).toBeCloseTo(151.2, 9);
    expect(find(r, 'emissions.so2.intensity')?.value).toBeCloseTo(151.2 / 48, 9);
    expect(find(r, 'emissions.so2.intensity')?.unit).toBe('kg/t');
    // 35 × (21 − 3) / (21 − 9) = 52.5 > 50 in every hour
    expect(find(r, 'emissions.so2.exceedance_hours')).toMatchObject({
      value: 24,
      unit: 'h',
      provisional: false,
    });
    expect(find(r, 'emissions.nox.mass')).toBeUndefined();
  });

  it('a missing hour adds no mass, is no exceedance, and makes the rows provisional', () => {
    // both readings of 10:00-11:00 local are missing: 46 of 48 is still above the 0.95 completeness threshold
    const from = DAY.startMs + 10 * H;
    const gap = day((t) => t >= from && t < from + H);
    expect(find(gap, 'emissions.so2.mass')?.value).toBeCloseTo(6.3 * 23, 9);
    expect(find(gap, 'emissions.so2.mass')?.provisional).toBe(true);
    expect(find(gap, 'emissions.so2.intensity')?.provisional).toBe(true);
    expect(find(gap, 'emissions.so2.exceedance_hours')).toMatchObject({ value: 23, provisional: true });
    // the balance rests on other signals and stays final
    expect(find(gap, 'balance.EB.loss_pct')?.provisional).toBe(false);
    expect(gap.quality.find((q) => q.signal === 'SO2')?.completeness).toBeCloseTo(46 / 48, 12);
  });

  it('an incomplete submeter makes its balance provisional, not the other one', () => {
    const data = new Map([
      ['MAIN', readings((h) => h * 1000, H, 25)],
      [
        'SUB1',
        readings(
          (h) => h * 600,
          H,
          25,
          (t) => t > DAY.startMs && t < DAY.startMs + 6 * H,
        ),
      ],
      ['M2', readings((h) => h * 0.38, H, 25)],
      ['S2', readings((h) => h * 370, H, 25)],
    ]);
    const res = computePeriod(plant, data, DAY);
    expect(find(res, 'balance.EB.loss_pct')?.provisional).toBe(true);
    expect(find(res, 'balance.EB-2.loss_pct')?.provisional).toBe(false);
  });
});
