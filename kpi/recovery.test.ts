/**
 * Recovered heat as a flow of its own (issue 13 point 1): a day of a small boiler house whose waste-heat steam is
 * declared as a recovery, worked by hand; the boiler's intensity counts its own steam only.
 */
import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from '../config/load.ts';
import type { Series } from '../store/port.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { computePeriod } from './engine.ts';
import { compilePlant } from './plant.ts';
import { displacedFuel, recoveryRatePct } from './recovery.ts';
import { compareRows, isExtensiveKpi, kpiLabel } from './rows.ts';

const H = 3_600_000;
const TZ = 'Asia/Shanghai';
const DAY = parsePeriod('2026-10-05', TZ);

const config = (recovery: string, extraSignals = '') =>
  parsePlantConfig(`
site: { id: S, timeZone: ${TZ} }
carriers:
  - { id: natural_gas, unit: Nm3, emissionScope: 1 }
products:
  - { id: steam, unit: t }
signals:
  - { id: G, kind: counter, unit: Nm3, carrier: natural_gas, sampleIntervalS: 3600 }
  - { id: STM, kind: counter, unit: t, product: steam, sampleIntervalS: 3600 }
  - { id: WHR, kind: counter, unit: t, sampleIntervalS: 3600 }
${extraSignals}
organisation:
  committee: { id: C }
  branches: [{ id: B }]
  areas: [{ id: A, branch: B, meters: [{ signal: G }], products: [{ signal: STM }] }]
  teams:
    - { id: T, branch: B, from: "2026-10-05T12:00", meters: [{ signal: G }], products: [{ signal: STM }] }
${recovery}
`);

const RECOVERY = `
recovery:
  - id: WHB
    signal: WHR
    steamEnthalpyGJPerT: 2.5
    basis: { type: supplied, signals: [STM] }
    boilerEfficiency: 0.9
    displaces: natural_gas
    scopes: [{ type: area, id: A }, { type: team, id: T }]
`;

const hourly = (perH: number): Series => {
  const times = Array.from({ length: 25 }, (_, i) => DAY.startMs + i * H);
  return { times: Float64Array.from(times), values: Float64Array.from(times.map((_, i) => i * perH)) };
};

const data = new Map([
  ['G', hourly(1560)], // 37,440 Nm3 a day
  ['STM', hourly(20)], // 480 t of the boiler's own steam
  ['WHR', hourly(4)], // 96 t of waste-heat steam
]);

describe('recovered heat', () => {
  it('the arithmetic: 2,500 GJ at 90 % displaces 94.78 tce, 78,053 Nm3 of gas, 168.8 tCO2', () => {
    const d = displacedFuel(2500, 0.9, 1.2143, 2.1622);
    expect(d.fuelGJ).toBeCloseTo(2777.778, 3);
    expect(d.kgce).toBeCloseTo(94_780.12, 1);
    expect(d.carrierAmount).toBeCloseTo(78_053.3, 1);
    expect(d.co2Kg / 1000).toBeCloseTo(168.767, 3);
    expect(recoveryRatePct(240, 'supplied', 1200)).toBeCloseTo(16.6667, 4);
    expect(recoveryRatePct(240, 'available', 400)).toBe(60);
    expect(recoveryRatePct(0, 'available', 0)).toBeNull();
  });

  it("a day: the site's and the holders' rows, the team's from its start; no output, no intensity from it", () => {
    const r = computePeriod(compilePlant(config(RECOVERY)), data, DAY);
    const v = (kpi: string, type: string, id: string) =>
      r.kpis.find((k) => k.kpi === kpi && k.scope_type === type && k.scope_id === id);
    // 96 t × 2.5 GJ/t = 240 GJ; of 240 + 480 × 2.5 = 1,440 GJ supplied, 16.67 %
    for (const [type, id] of [
      ['site', 'S'],
      ['area', 'A'],
    ]) {
      expect(v('heat.recovered', type!, id!)).toMatchObject({ value: 240, unit: 'GJ', provisional: false });
      expect(v('heat.recovery_rate', type!, id!)?.value).toBeCloseTo(16.6667, 4);
      // 240 / 0.9 = 266.67 GJ of fuel / 29.3076 GJ/tce = 9.0989 tce = 7,493.1 Nm3 of gas × 2.1622 = 16.2016 tCO2
      expect(v('heat.displaced_fuel', type!, id!)?.value).toBeCloseTo(9.098891, 6);
      expect(v('emissions.co2.avoided', type!, id!)?.value).toBeCloseTo(16.201616, 6);
      expect(v('heat.displaced_fuel', type!, id!)?.unit).toBe('tce');
    }
    // the team from 12:00: half the day
    expect(v('heat.recovered', 'team', 'T')?.value).toBe(120);
    expect(v('heat.recovery_rate', 'team', 'T')?.value).toBeCloseTo(16.6667, 4);
    expect(v('heat.displaced_fuel', 'team', 'T')?.value).toBeCloseTo(9.098891 / 2, 6);
    // the boiler's intensity: 37,440 Nm3 × 1.2143 kgce/Nm3 over its own 480 t, not 576 t
    expect(v('output.steam', 'site', 'S')?.value).toBe(480);
    expect(v('intensity.energy', 'area', 'A')?.value).toBeCloseTo(94.7154, 4);
    // nothing for the branch: a recovery is no assignment
    expect(v('heat.recovered', 'branch', 'B')).toBeUndefined();
    // the site's recovery rows read in order after its intensities
    const site = r.kpis.filter((k) => k.scope_type === 'site').map((k) => k.kpi);
    expect(site.slice(-4)).toEqual([
      'heat.recovered',
      'heat.recovery_rate',
      'heat.displaced_fuel',
      'emissions.co2.avoided',
    ]);
    expect([...r.kpis].sort(compareRows)).toEqual(r.kpis);
  });

  it('an incomplete recovered-heat meter makes its rows provisional; the rate also rests on its basis', () => {
    const gappy = new Map(data);
    gappy.set('STM', {
      times: data.get('STM')!.times.slice(0, 12),
      values: data.get('STM')!.values.slice(0, 12),
    });
    const r = computePeriod(compilePlant(config(RECOVERY)), gappy, DAY);
    const flag = (kpi: string) => r.kpis.find((k) => k.kpi === kpi && k.scope_type === 'site')?.provisional;
    expect(flag('heat.recovered')).toBe(false);
    expect(flag('heat.recovery_rate')).toBe(true);
  });

  it('on the available basis: recovered / available (240 GJ of 480 GJ, 50 %)', () => {
    const plant = compilePlant(
      config(
        `
recovery:
  - { id: WHB, signal: WHR, steamEnthalpyGJPerT: 2.5, basis: { type: available, signal: Q }, boilerEfficiency: 0.9, displaces: natural_gas }
`,
        '  - { id: Q, kind: counter, unit: MJ, sampleIntervalS: 3600 }',
      ),
    );
    const r = computePeriod(plant, new Map([...data, ['Q', hourly(20_000)]]), DAY);
    const site = (kpi: string) => r.kpis.find((k) => k.kpi === kpi && k.scope_type === 'site')?.value;
    expect(site('heat.recovery_rate')).toBeCloseTo(50, 9);
    expect(r.kpis.some((k) => k.kpi.startsWith('heat.') && k.scope_type !== 'site')).toBe(false);
    expect(kpiLabel('heat.recovery_rate', plant.names)).toBe(
      '余热回收率 Heat recovery rate (占可回收余热 of the waste heat available)',
    );
  });

  it('labels say which basis; amounts add, the rate does not', () => {
    const plant = compilePlant(config(RECOVERY));
    expect(kpiLabel('heat.recovery_rate', plant.names)).toBe(
      '余热回收率 Heat recovery rate (占总供热 of the total heat supplied)',
    );
    expect(kpiLabel('heat.recovered')).toBe('余热回收量 Recovered heat');
    expect(isExtensiveKpi('heat.recovered')).toBe(true);
    expect(isExtensiveKpi('heat.displaced_fuel')).toBe(true);
    expect(isExtensiveKpi('emissions.co2.avoided')).toBe(true);
    expect(isExtensiveKpi('heat.recovery_rate')).toBe(false);
  });
});
