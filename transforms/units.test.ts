import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convert, dimensionOf, isKnownUnit, rateTimeUnitMs, ratioUnitFactor, unitFactor } from './units.ts';

const H = 3_600_000;
const DIMENSIONS: Record<string, string[]> = {
  energy: ['Wh', 'kWh', 'MWh', 'GWh', 'J', 'kJ', 'MJ', 'GJ', 'TJ'],
  power: ['W', 'kW', 'MW'],
  volume: ['L', 'm3', 'km3'],
  normal_volume: ['Nm3', 'kNm3', '10^4Nm3'],
  mass: ['mg', 'g', 'kg', 't', 'kt'],
  standard_coal: ['kgce', 'tce'],
  co2: ['gCO2', 'kgCO2', 'tCO2'],
  time: ['s', 'min', 'h', 'd'],
  dimensionless: ['1', '%'],
  count: ['pcs'],
};

describe('units', () => {
  it('knows every unit of every dimension, case-sensitively', () => {
    for (const [dim, units] of Object.entries(DIMENSIONS))
      for (const u of units) {
        expect(isKnownUnit(u)).toBe(true);
        expect(dimensionOf(u)).toBe(dim);
      }
    for (const u of ['kwh', 'KWH', 'nm3', 'T', 'toString', 'constructor', '', 'kgCO2/kWh']) {
      expect(isKnownUnit(u)).toBe(false);
      expect(dimensionOf(u)).toBeNull();
    }
  });

  it('converts within a dimension', () => {
    expect(convert(1, 'MWh', 'kWh')).toBe(1000);
    expect(unitFactor('kWh', 'MWh')).toBe(0.001);
    expect(unitFactor('kWh', 'MJ')).toBe(3.6);
    expect(unitFactor('GJ', 'kWh')).toBeCloseTo(277.777_777_777_8, 9);
    expect(unitFactor('TJ', 'GWh')).toBeCloseTo(1 / 3.6, 15);
    expect(unitFactor('Wh', 'J')).toBe(3600);
    expect(unitFactor('MW', 'kW')).toBe(1000);
    expect(convert(2, 't', 'kg')).toBe(2000);
    expect(convert(3, 'kt', 't')).toBe(3000);
    expect(convert(1500, 'L', 'm3')).toBe(1.5);
    expect(convert(2.5, '10^4Nm3', 'Nm3')).toBe(25_000);
    expect(convert(1, 'tce', 'kgce')).toBe(1000);
    expect(convert(1, 'tCO2', 'gCO2')).toBe(1e6);
    expect(convert(1, 'd', 'min')).toBe(1440);
    expect(convert(85, '%', '1')).toBe(0.85);
    expect(convert(7, 'pcs', 'pcs')).toBe(7);
  });

  it('factors there and back multiply to 1 for every pair in a dimension', () => {
    for (const units of Object.values(DIMENSIONS))
      for (const a of units)
        for (const b of units) expect(unitFactor(a, b) * unitFactor(b, a)).toBeCloseTo(1, 14);
  });

  it('refuses across dimensions and unknown units, naming both units', () => {
    expect(() => unitFactor('kWh', 't')).toThrow('cannot convert kWh to t: energy is not mass');
    expect(() => unitFactor('kW', 'kWh')).toThrow(/cannot convert kW to kWh/);
    expect(() => unitFactor('tce', 't')).toThrow(/standard_coal is not mass/);
    expect(() => unitFactor('kgCO2', 'kg')).toThrow(/co2 is not mass/);
    expect(() => unitFactor('kWh', 'furlong')).toThrow(
      "cannot convert kWh to furlong: unknown unit 'furlong'",
    );
    expect(() => convert(1, 'toString', 'kWh')).toThrow(/unknown unit 'toString'/);
  });

  it('keeps Nm3 apart from m3: the conversion needs pressure and temperature', () => {
    expect(() => unitFactor('Nm3', 'm3')).toThrow('cannot convert Nm3 to m3: normal_volume is not volume');
    expect(() => unitFactor('10^4Nm3', 'km3')).toThrow(/normal_volume is not volume/);
  });

  it('a unit converts to itself even when the table does not know it', () => {
    expect(unitFactor('code', 'code')).toBe(1);
    expect(unitFactor('Nm3/h', 'Nm3/h')).toBe(1);
  });

  it('converts rate and ratio units part by part', () => {
    expect(unitFactor('t/h', 'kg/h')).toBe(1000);
    expect(unitFactor('t/h', 'kg/s')).toBeCloseTo(1000 / 3600, 12);
    expect(() => unitFactor('t/h', 'kg')).toThrow(/'t\/h' is a ratio unit and the other is not/);
    expect(() => unitFactor('t/h', 'kWh/h')).toThrow(/mass is not energy/);
  });

  it('property: convert is consistent along a chain of units', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(DIMENSIONS)),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        (units, i, j, k, x) => {
          const [a, b, c] = [i, j, k].map((n) => units[n % units.length]!) as [string, string, string];
          const direct = convert(x, a, c);
          const chained = convert(convert(x, a, b), b, c);
          expect(Math.abs(chained - direct)).toBeLessThanOrEqual(1e-14 * Math.abs(direct) + 1e-300);
        },
      ),
    );
  });
});

describe('ratioUnitFactor', () => {
  it('converts emission and coal factors', () => {
    expect(ratioUnitFactor('kgCO2/kWh', 'tCO2/MWh')).toBe(1);
    expect(ratioUnitFactor('tCO2/MWh', 'kgCO2/kWh')).toBe(1);
    expect(ratioUnitFactor('kgce/Nm3', 'tce/10^4Nm3')).toBeCloseTo(10, 12);
    expect(ratioUnitFactor('tce/10^4Nm3', 'kgce/Nm3')).toBeCloseTo(0.1, 15);
    expect(ratioUnitFactor('kgCO2/GJ', 'tCO2/TJ')).toBe(1);
    expect(ratioUnitFactor('kgce/kWh', 'kgce/MWh')).toBe(1000);
    expect(ratioUnitFactor('kgCO2/t', 'kgCO2/kg')).toBe(0.001);
    // 0.5543 kgCO2/kWh is 0.5543 tCO2/MWh
    expect(0.5543 * ratioUnitFactor('kgCO2/kWh', 'tCO2/MWh')).toBe(0.5543);
  });

  it('refuses what is not a ratio unit or does not convert', () => {
    expect(() => ratioUnitFactor('kWh', 'kgCO2/kWh')).toThrow(/'kWh' is not a ratio unit/);
    expect(() => ratioUnitFactor('a/b/c', 'kgCO2/kWh')).toThrow(/'a\/b\/c' is not a ratio unit/);
    expect(() => ratioUnitFactor('kgCO2/kWh', 'kgce/kWh')).toThrow(
      'cannot convert kgCO2/kWh to kgce/kWh: co2 is not standard_coal',
    );
    expect(() => ratioUnitFactor('kgCO2/Nm3', 'kgCO2/m3')).toThrow(/normal_volume is not volume/);
  });
});

describe('rateTimeUnitMs', () => {
  it('knows power and per-time rate units', () => {
    expect(rateTimeUnitMs('kW')).toEqual({ amountUnit: 'kWh', timeUnitMs: H });
    expect(rateTimeUnitMs('W')).toEqual({ amountUnit: 'Wh', timeUnitMs: H });
    expect(rateTimeUnitMs('MW')).toEqual({ amountUnit: 'MWh', timeUnitMs: H });
    expect(rateTimeUnitMs('Nm3/h')).toEqual({ amountUnit: 'Nm3', timeUnitMs: H });
    expect(rateTimeUnitMs('10^4Nm3/d')).toEqual({ amountUnit: '10^4Nm3', timeUnitMs: 86_400_000 });
    expect(rateTimeUnitMs('t/h')).toEqual({ amountUnit: 't', timeUnitMs: H });
    expect(rateTimeUnitMs('m3/h')).toEqual({ amountUnit: 'm3', timeUnitMs: H });
    expect(rateTimeUnitMs('kg/s')).toEqual({ amountUnit: 'kg', timeUnitMs: 1000 });
    expect(rateTimeUnitMs('L/min')).toEqual({ amountUnit: 'L', timeUnitMs: 60_000 });
  });

  it('is null for amounts, unknown units, time over time, power over time and odd spellings', () => {
    for (const u of ['kWh', 't', 'kg/week', 'foo/h', 'h/h', 'kW/h', '/h', 'kg/', 'toString', 'constructor'])
      expect(rateTimeUnitMs(u)).toBeNull();
  });
});
