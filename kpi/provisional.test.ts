/** Provisional by dependency: a row is provisional only when a meter it rests on is incomplete or reset. */
import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from '../config/load.ts';
import type { Series } from '../store/port.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { computePeriod } from './engine.ts';
import { compilePlant } from './plant.ts';

const H = 3_600_000;
const TZ = 'Asia/Shanghai';
const DAY = parsePeriod('2026-10-05', TZ);

const plant = compilePlant(
  parsePlantConfig(`
site: { id: S, timeZone: ${TZ} }
completeness: { provisionalBelow: 0.9 }
carriers:
  - { id: electricity, unit: kWh, emissionScope: 2 }
  - { id: natural_gas, unit: Nm3, emissionScope: 1 }
products:
  - { id: ingot, unit: t }
signals:
  - { id: E, kind: counter, unit: kWh, carrier: electricity, sampleIntervalS: 3600 }
  - { id: G, kind: counter, unit: Nm3, carrier: natural_gas, sampleIntervalS: 3600 }
  - { id: OUT, kind: counter, unit: t, product: ingot, sampleIntervalS: 3600 }
  - { id: G2, kind: counter, unit: Nm3, carrier: natural_gas, sampleIntervalS: 3600 }
organisation:
  committee: { id: C }
  branches: [{ id: B1 }, { id: B2 }]
  areas:
    - { id: A1, branch: B1, meters: [{ signal: E }, { signal: G }], products: [{ signal: OUT }] }
    - { id: A2, branch: B2, meters: [{ signal: G2 }] }
`),
);

function hourly(f: (h: number) => number): Series {
  const times: number[] = [];
  const values: number[] = [];
  for (let h = 0; h <= 24; h++) {
    times.push(DAY.startMs + h * H);
    values.push(f(h));
  }
  return { times: Float64Array.from(times), values: Float64Array.from(values) };
}

describe('provisional by dependency', () => {
  // the electricity meter resets at 10:00 (drops to zero without a rollover); gas and output are clean
  const data = new Map<string, Series>([
    ['E', hourly((h) => (h < 10 ? 5000 + h * 100 : (h - 10) * 100))],
    ['G', hourly((h) => 800 + h * 50)],
    ['G2', hourly((h) => 100 + h * 5)],
    ['OUT', hourly((h) => h * 2)],
  ]);
  const r = computePeriod(plant, data, DAY);
  const flag = (kpi: string, type: string, id: string) => {
    const row = r.kpis.find((x) => x.kpi === kpi && x.scope_type === type && x.scope_id === id);
    if (!row) throw new Error(`no row ${kpi} ${type} ${id}`);
    return row.provisional;
  };

  it('the reset marks what rests on electricity', () => {
    expect(r.quality.find((q) => q.signal === 'E')!.notes.join()).toMatch(/reset/);
    for (const [type, id] of [
      ['area', 'A1'],
      ['branch', 'B1'],
      ['site', 'S'],
    ] as const) {
      expect(flag('energy.electricity', type, id)).toBe(true);
      expect(flag('energy.total', type, id)).toBe(true);
      expect(flag('emissions.co2', type, id)).toBe(true);
      expect(flag('emissions.co2.scope2', type, id)).toBe(true);
    }
    expect(flag('intensity.energy', 'area', 'A1')).toBe(true);
    expect(flag('intensity.carbon', 'area', 'A1')).toBe(true);
  });

  it('scope 1, natural gas and output rest on clean meters and stay final', () => {
    for (const [type, id] of [
      ['area', 'A1'],
      ['branch', 'B1'],
      ['site', 'S'],
    ] as const) {
      expect(flag('energy.natural_gas', type, id)).toBe(false);
      expect(flag('emissions.co2.scope1', type, id)).toBe(false);
    }
    expect(flag('output.ingot', 'area', 'A1')).toBe(false);
  });

  it('a scope that does not rest on the electricity meter is final throughout', () => {
    for (const row of r.kpis.filter((x) => x.scope_id === 'A2' || x.scope_id === 'B2'))
      expect([row.kpi, row.provisional]).toEqual([row.kpi, false]);
  });

  it('an incomplete product meter makes the intensities provisional, not the energy', () => {
    const gappy = new Map(data);
    gappy.set(
      'E',
      hourly((h) => 5000 + h * 100),
    );
    gappy.set('OUT', {
      times: Float64Array.from([DAY.startMs, DAY.endMs]),
      values: Float64Array.from([0, 48]),
    });
    const g = computePeriod(plant, gappy, DAY);
    const f = (kpi: string) => g.kpis.find((x) => x.kpi === kpi && x.scope_id === 'A1')!.provisional;
    expect(f('output.ingot')).toBe(true);
    expect(f('intensity.energy')).toBe(true);
    expect(f('intensity.carbon')).toBe(true);
    expect(f('energy.total')).toBe(false);
    expect(f('emissions.co2.scope2')).toBe(false);
  });
});
