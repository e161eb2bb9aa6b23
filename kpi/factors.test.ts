/**
 * The dated factor library as the engine uses it: the factor valid for a period, the newest published for a later
 * one, pinned years and series; the equal value beside the equivalent; process CO2 in scope 1; the config checks.
 */
import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from '../config/load.ts';
import { ConfigError } from '../config/problems.ts';
import type { Series } from '../store/port.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { computePeriod } from './engine.ts';
import { factorsUsed } from './export/factors.ts';
import { compilePlant } from './plant.ts';

const TZ = 'Asia/Shanghai';
const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

/** a site in the northwest with one electricity meter, its carrier fields and extra top-level yaml */
const site = (carrier = '', extra = '', siteExtra = '') => `
site: { id: S, timeZone: ${TZ}, gridRegion: northwest ${siteExtra} }
carriers:
  - { id: electricity, unit: kWh, emissionScope: 2 ${carrier} }
  - { id: natural_gas, unit: Nm3, emissionScope: 1 }
products: [{ id: lime, unit: t }]
signals:
  - { id: E, kind: counter, unit: kWh, carrier: electricity, sampleIntervalS: 3600 }
  - { id: G, kind: counter, unit: Nm3, carrier: natural_gas, sampleIntervalS: 3600 }
  - { id: STONE, kind: counter, unit: t, sampleIntervalS: 3600 }
  - { id: LIME, kind: counter, unit: t, product: lime, sampleIntervalS: 3600 }
organisation:
  committee: { id: C }
  branches: [{ id: B }]
  areas: [{ id: A, branch: B, meters: [{ signal: E }, { signal: G }], products: [{ signal: LIME, share: 0.5 }] }]
${extra}
`;
const plantOf = (yaml: string) => compilePlant(parsePlantConfig(yaml));
const co2 = (yaml: string, iso: string) => plantOf(yaml).factor('electricity', 'co2', at(iso));

describe('dated grid CO2 factors', () => {
  it('a 2026 period picks the newest published factor: national 2023, regional northwest 2023', () => {
    const national = co2(site(), '2026-10-01T00:00:00+08:00');
    expect(national.perCarrierUnit).toBe(0.5306);
    expect(national.factor).toMatchObject({ series: 'national-grid-average', region: 'CN', year: 2023 });
    expect(national.pinned).toBe(false);
    const regional = co2(site(', co2Series: regional-grid-average'), '2026-10-01T00:00:00+08:00');
    expect(regional.perCarrierUnit).toBe(0.5543);
    expect(regional.factor).toMatchObject({ region: 'northwest', year: 2023, validFrom: '2023-01-01' });
    expect(regional.factor.validTo).toBeUndefined();
  });

  it('a period of a published year picks that year: 2021 and 2022 national, 2022 regional', () => {
    expect(co2(site(), '2021-06-01T00:00:00+08:00').factor.year).toBe(2021);
    expect(co2(site(), '2021-06-01T00:00:00+08:00').perCarrierUnit).toBe(0.5568);
    expect(co2(site(), '2022-12-31T23:00:00+08:00').perCarrierUnit).toBe(0.5366);
    // the year starts at local midnight of January 1
    expect(co2(site(), '2023-01-01T00:00:00+08:00').perCarrierUnit).toBe(0.5306);
    const r = co2(site(', co2Series: regional-grid-average'), '2022-03-01T00:00:00+08:00');
    expect(r.perCarrierUnit).toBe(0.5857);
    expect(r.factor).toMatchObject({ validFrom: '2022-01-01', validTo: '2023-01-01' });
  });

  it('a pinned year and series are used whatever the period: carrier pin over site pin', () => {
    const pinned = co2(site(', factorYear: 2022'), '2026-10-01T00:00:00+08:00');
    expect(pinned).toMatchObject({ perCarrierUnit: 0.5366, pinned: true });
    const bySite = co2(site(', co2Series: regional-grid-average', '', ', factorYear: 2022'), '2026-10-01');
    expect(bySite).toMatchObject({ perCarrierUnit: 0.5857, pinned: true });
    const both = co2(site(', factorYear: 2021', '', ', factorYear: 2022'), '2026-10-01');
    expect(both.perCarrierUnit).toBe(0.5568);
    // the reporting series is undated: a pin leaves it alone
    const reporting = co2(site(', co2Series: reporting', '', ', factorYear: 2022'), '2026-10-01');
    expect(reporting).toMatchObject({ perCarrierUnit: 0.5703, pinned: false });
    // fuels' undated factors ignore the site's pin too
    const gas = plantOf(site('', '', ', factorYear: 2022')).factor('natural_gas', 'co2', at('2026-10-01'));
    expect(gas.perCarrierUnit).toBe(2.1622);
  });

  it('a provincial factor where one is built in, and a site year added after the built-in ones', () => {
    const hebei = plantOf(site(', co2Series: provincial-grid-average, region: hebei'));
    expect(hebei.factor('electricity', 'co2', at('2026-10-01')).perCarrierUnit).toBe(0.7252);
    const own = plantOf(
      site(
        ', co2Series: regional-grid-average',
        `factors:
  - { carrier: electricity, kind: co2, series: regional-grid-average, region: northwest, year: 2025, value: 0.5, unit: kgCO2/kWh, source: site's own 2025 }`,
      ),
    );
    expect(own.factor('electricity', 'co2', at('2024-06-01')).perCarrierUnit).toBe(0.5543);
    expect(own.factor('electricity', 'co2', at('2024-06-01')).factor.validTo).toBe('2025-01-01');
    expect(own.factor('electricity', 'co2', at('2026-06-01')).perCarrierUnit).toBe(0.5);
  });

  it('the factors-used list says which year applied and why: newest published, or pinned', () => {
    const p = parsePeriod('2026-10', TZ);
    const newest = factorsUsed(plantOf(site()), new Set(['electricity']), p.startMs, p.endMs);
    expect(newest.find((f) => f.kind === 'co2')).toMatchObject({
      year: 2023,
      value: 0.5306,
      from: '2023-01-01',
      to: null,
      note: expect.stringContaining('newest published year (2023) applied to 2026'),
    });
    expect(newest.find((f) => f.kind === 'tce')).toMatchObject({ year: null, note: null });
    const pinned = factorsUsed(
      plantOf(site(', factorYear: 2021')),
      new Set(['electricity']),
      p.startMs,
      p.endMs,
    );
    expect(pinned.find((f) => f.kind === 'co2')).toMatchObject({
      value: 0.5568,
      note: '固定年份 pinned to 2021',
    });
  });
});

// one day: 1,000 kWh of electricity, 100 Nm3 of gas, 10 t of limestone (0.44 tCO2/t), 5 t of lime
const DAY = parsePeriod('2026-10-05', TZ);
const counter = (perHour: number): Series => {
  const times = Array.from({ length: 25 }, (_, h) => DAY.startMs + h * H);
  return { times: Float64Array.from(times), values: Float64Array.from(times.map((_, h) => h * perHour)) };
};
const data = new Map<string, Series>([
  ['E', counter(1000 / 24)],
  ['G', counter(100 / 24)],
  ['STONE', counter(10 / 24)],
  ['LIME', counter(5 / 24)],
]);
const EQUAL = `factors:
  - { carrier: electricity, kind: tce, series: equal-value, year: 2024, value: 0.3, unit: kgce/kWh, source: "site-declared equal value for the test" }`;
const PROCESS = `processEmissions:
  - { signal: STONE, name: 石灰石分解 Limestone calcination, factor: 0.44, unit: tCO2/t, source: "CaCO3 -> CaO + CO2, 44/100" }
  - { signal: LIME, factor: 100, unit: kgCO2/t, source: "a test factor per t of product" }`;

describe('equal value and process emissions in the KPI rows', () => {
  const rows = (yaml: string) => computePeriod(plantOf(yaml), data, DAY).kpis;
  const value = (rs: ReturnType<typeof rows>, kpi: string, type = 'site', id = 'S') =>
    rs.find((r) => r.kpi === kpi && r.scope_type === type && r.scope_id === id)?.value;

  it('energy.total.equal_value beside energy.total (which stays the equivalent value)', () => {
    const rs = rows(site(', equalValueSeries: equal-value', EQUAL));
    expect(value(rs, 'energy.total')).toBeCloseTo((1000 * 0.1229 + 100 * 1.2143) / 1000, 9);
    // electricity at its equal value, gas (primary energy) at its equivalent value
    expect(value(rs, 'energy.total.equal_value')).toBeCloseTo((1000 * 0.3 + 100 * 1.2143) / 1000, 9);
    expect(value(rs, 'energy.total.equal_value', 'branch', 'B')).toBeCloseTo(
      (1000 * 0.3 + 100 * 1.2143) / 1000,
      9,
    );
    const kpis = rs.filter((r) => r.scope_type === 'site').map((r) => r.kpi);
    expect(kpis.indexOf('energy.total.equal_value')).toBe(kpis.indexOf('energy.total') + 1);
    // without a declared equal value there is no such row
    expect(value(rows(site()), 'energy.total.equal_value')).toBeUndefined();
  });

  it('process CO2 is its own row and is counted in scope 1 and the total, by the scope that holds the signal', () => {
    const rs = rows(site('', PROCESS));
    const gas = (100 * 2.1622) / 1000;
    const elec = (1000 * 0.5306) / 1000;
    // the site: 10 t limestone × 0.44 t/t + 5 t lime × 100 kg/t
    expect(value(rs, 'emissions.co2.process')).toBeCloseTo(4.9, 9);
    expect(value(rs, 'emissions.co2.scope1')).toBeCloseTo(gas + 4.9, 9);
    expect(value(rs, 'emissions.co2')).toBeCloseTo(gas + 4.9 + elec, 9);
    expect(value(rs, 'intensity.carbon')).toBeCloseTo((gas + 4.9 + elec) / 5, 9);
    // the area holds half the lime counter (and not the limestone); the branch and committee add their areas
    expect(value(rs, 'emissions.co2.process', 'area', 'A')).toBeCloseTo(0.25, 9);
    expect(value(rs, 'emissions.co2.scope1', 'committee', 'C')).toBeCloseTo(gas + 0.25, 9);
    expect(value(rows(site()), 'emissions.co2.process')).toBeUndefined();
  });
});

describe('factor config checks', () => {
  const problems = (yaml: string) => {
    try {
      parsePlantConfig(yaml);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };
  it('a pinned year that is not published is named with the years there are', () => {
    expect(problems(site(', factorYear: 2019'))).toContainEqual({
      path: 'carriers[0].factorYear',
      message: expect.stringMatching(/no co2 factor of year 2019 .*published years: 2021, 2022, 2023/),
    });
    expect(problems(site('', '', ', factorYear: 2019')).map((p) => p.path)).toEqual(['site.factorYear']);
  });
  it('a misspelt series or region gets a did-you-mean', () => {
    expect(problems(site(', co2Series: regional-grid-avrage'))[0]?.message).toMatch(
      /did you mean 'regional-grid-average'/,
    );
    expect(problems(site(', co2Series: regional-grid-average, region: north-west'))[0]).toMatchObject({
      path: 'carriers[0].co2Series',
      message: expect.stringMatching(/region north-west or CN.*did you mean 'northwest'/),
    });
    expect(problems(site(', equalValueSeries: equal-valu', EQUAL))[0]).toMatchObject({
      path: 'carriers[0].equalValueSeries',
      message: expect.stringMatching(/did you mean 'equal-value'/),
    });
  });
  it('process emissions need a quantity signal and a CO2 unit per its unit', () => {
    const bad = `processEmissions:
  - { signal: STONES, factor: 0.44, unit: tCO2/t, source: x }
  - { signal: STONE, factor: 0.44, unit: tCO2/kWh, source: x }`;
    const ps = problems(site('', bad));
    expect(ps.find((p) => p.path === 'processEmissions[0].signal')?.message).toMatch(/did you mean 'STONE'/);
    expect(ps.find((p) => p.path === 'processEmissions[1].unit')?.message).toMatch(/tCO2\/t/);
    expect(problems(site('', PROCESS))).toEqual([]);
  });
});
