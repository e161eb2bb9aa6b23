/** The engine on a small hand-made plant: rates, virtual meters, factor changes, provisional rows, general branches. */
import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from '../config/load.ts';
import type { Series } from '../store/port.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { computePeriod } from './engine.ts';
import { compilePlant } from './plant.ts';

const H = 3_600_000;
const TZ = 'Asia/Shanghai';
const DAY = parsePeriod('2026-10-05', TZ);

const yaml = `
site: { id: S, timeZone: ${TZ} }
completeness: { provisionalBelow: 0.9 }
carriers:
  - { id: electricity, unit: kWh, emissionScope: 2, co2Series: site-contract }
products:
  - { id: ingot, unit: t }
factors:
  - { carrier: electricity, kind: co2, value: 0.5, unit: kgCO2/kWh, series: site-contract, source: test A, to: "2026-10-05T12:00:00" }
  - { carrier: electricity, kind: co2, value: 0.7, unit: tCO2/MWh, series: site-contract, source: test B, from: "2026-10-05T12:00:00" }
signals:
  - { id: MAIN, kind: counter, unit: MWh, carrier: electricity, sampleIntervalS: 3600 }
  - { id: SUB, kind: rate, unit: kW, carrier: electricity, sampleIntervalS: 3600, inSiteTotal: false }
  - { id: REST, kind: virtual, unit: kWh, carrier: electricity, expression: "MAIN - SUB" }
  - { id: OUT, kind: counter, unit: t, product: ingot, sampleIntervalS: 3600 }
  - { id: EQ.state, kind: state, equipment: EQ, sampleIntervalS: 3600 }
  - { id: EQ.made, kind: counter, unit: t, equipment: EQ, sampleIntervalS: 3600, inSiteTotal: false }
  - { id: EQ.kwh, kind: counter, unit: kWh, carrier: electricity, equipment: EQ, sampleIntervalS: 3600, inSiteTotal: false }
equipment:
  - { id: EQ, idealRatePerH: 2, stateSignal: EQ.state, producedSignal: EQ.made, stateCodes: { "1": running, "0": unplanned_stop } }
organisation:
  committee: { id: C }
  generalBranches: [{ id: G }]
  branches: [{ id: B1, generalBranch: G }, { id: B2 }]
  areas:
    - { id: A1, branch: B1, meters: [{ signal: SUB }], products: [{ signal: OUT }], equipment: [{ id: EQ }] }
    - { id: A2, branch: B2, meters: [{ signal: REST }] }
targets:
  - { kpi: energy.electricity, scope: { type: area, id: A1 }, every: day, min: 5000 }
  - { kpi: energy.electricity, scope: { type: area, id: A2 }, every: day, max: 10 }
`;

function hourly(f: (h: number) => number, hours = 25, from = 0): Series {
  const times: number[] = [];
  const values: number[] = [];
  for (let h = from; h < hours; h++) {
    times.push(DAY.startMs + h * H);
    values.push(f(h));
  }
  return { times: Float64Array.from(times), values: Float64Array.from(values) };
}

const plant = compilePlant(parsePlantConfig(yaml));
const data = new Map<string, Series>([
  ['MAIN', hourly((h) => 100 + h * 0.5)], // 0.5 MWh per hour = 12,000 kWh/day
  ['SUB', hourly(() => 200)], // 200 kW = 4,800 kWh/day
  ['OUT', hourly((h) => h * 3)],
  ['EQ.state', hourly((h) => (h < 18 ? 1 : 0))],
  ['EQ.made', hourly((h) => Math.min(h, 18) * 1.5)], // 27 t in 18 h at ideal 2 t/h
  ['EQ.kwh', hourly((h) => h * 10)],
]);
const res = computePeriod(plant, data, DAY);
const v = (kpi: string, type: string, id: string) =>
  res.kpis.find((r) => r.kpi === kpi && r.scope_type === type && r.scope_id === id);

describe('KPI engine', () => {
  it('integrates rates and converts units to the carrier (MWh counter, kW rate)', () => {
    expect(v('energy.electricity', 'site', 'S')?.value).toBeCloseTo(12_000, 9);
    expect(v('energy.electricity', 'area', 'A1')?.value).toBeCloseTo(4_800, 9);
  });
  it('virtual meters: main minus sub-meter', () => {
    expect(v('energy.electricity', 'area', 'A2')?.value).toBeCloseTo(7_200, 9);
  });
  it('splits at a factor change inside the period and converts factor units', () => {
    // A2: 3,600 kWh before noon at 0.5 kg/kWh + 3,600 after at 0.7 t/MWh
    expect(v('emissions.co2.scope2', 'area', 'A2')?.value).toBeCloseTo((3600 * 0.5 + 3600 * 0.7) / 1000, 9);
  });
  it('general branches sum their branches; the committee sums all branches', () => {
    expect(v('energy.electricity', 'general_branch', 'G')?.value).toBeCloseTo(4_800, 9);
    expect(v('energy.electricity', 'committee', 'C')?.value).toBeCloseTo(12_000, 9);
  });
  it('OEE and specific energy per equipment', () => {
    expect(v('oee.availability', 'equipment', 'EQ')?.value).toBeCloseTo(18 / 24, 12);
    expect(v('oee.performance', 'equipment', 'EQ')?.value).toBeCloseTo(27 / 2 / 18, 12);
    expect(v('oee.quality', 'equipment', 'EQ')?.value).toBe(1);
    expect(v('energy.specific', 'equipment', 'EQ')).toMatchObject({ value: 240 / 27, unit: 'kWh/t' });
  });
  it('OEE losses in hours: 6 h stopped, 4.5 h slow (18 h run for 13.5 h of ideal output), none to quality', () => {
    expect(v('oee.loss.availability', 'equipment', 'EQ')).toMatchObject({ unit: 'h', provisional: false });
    expect(v('oee.loss.availability', 'equipment', 'EQ')?.value).toBeCloseTo(6, 12);
    expect(v('oee.loss.performance', 'equipment', 'EQ')?.value).toBeCloseTo(4.5, 12);
    expect(v('oee.loss.quality', 'equipment', 'EQ')?.value).toBe(0);
  });
  it('targets: at least and at most', () => {
    expect(res.targets).toEqual([
      expect.objectContaining({
        scope_id: 'A1',
        target_min: 5000,
        status: 'missed',
        actual: expect.closeTo(4800, 6),
      }),
      expect.objectContaining({ scope_id: 'A2', target_max: 10, status: 'missed' }),
    ]);
  });
  it('nothing provisional when every meter is complete', () => {
    expect(res.kpis.filter((r) => r.provisional)).toEqual([]);
  });
  it('rows resting on an incomplete meter are provisional, the others not; the quality report says why', () => {
    const gappy = new Map(data);
    gappy.set('SUB', {
      times: Float64Array.from([0, 20].map((h) => DAY.startMs + h * H)),
      values: Float64Array.from([200, 200]),
    });
    const r = computePeriod(plant, gappy, DAY);
    const row = (kpi: string, id: string) => r.kpis.find((x) => x.kpi === kpi && x.scope_id === id)!;
    expect(row('energy.electricity', 'A1').provisional).toBe(true);
    expect(row('energy.electricity', 'B1').provisional).toBe(true);
    expect(row('output.ingot', 'A1').provisional).toBe(false);
    const q = r.quality.find((x) => x.signal === 'SUB')!;
    expect(q.completeness).toBeCloseTo(2 / 24, 12);
    expect(q.notes.join()).toMatch(/not covered by readings/);
  });
  it('a counter without a reading on a boundary is interpolated, and the quality report says so', () => {
    const shifted = new Map(data);
    shifted.set('MAIN', {
      times: Float64Array.from([DAY.startMs - H / 2, DAY.endMs + H / 2]),
      values: Float64Array.from([0, 12.5]),
    });
    const r = computePeriod(plant, shifted, DAY);
    expect(r.kpis.find((x) => x.kpi === 'energy.electricity' && x.scope_type === 'site')!.value).toBeCloseTo(
      12_000,
      9,
    );
    expect(r.quality.find((x) => x.signal === 'MAIN')!.notes.join()).toMatch(/interpolated/);
  });
  it('an hour and a custom range work like any period', () => {
    const hour = computePeriod(plant, data, parsePeriod('2026-10-05T03', TZ));
    expect(
      hour.kpis.find((x) => x.kpi === 'energy.electricity' && x.scope_type === 'site')!.value,
    ).toBeCloseTo(500, 9);
    const range = computePeriod(plant, data, parsePeriod('2026-10-05T06:00..2026-10-05T18:00', TZ));
    expect(range.period).toBe('2026-10-05T06:00..2026-10-05T18:00');
    expect(
      range.kpis.find((x) => x.kpi === 'energy.electricity' && x.scope_type === 'site')!.value,
    ).toBeCloseTo(6_000, 9);
  });
});
