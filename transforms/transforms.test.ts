import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seriesFromTable, seriesToTable } from './arrow.ts';
import { completeness } from './completeness.ts';
import { valueAt, valuesAt } from './interpolate.ts';
import { parsePeriod, splitPeriod, splitPoints } from './periods.ts';
import { integrateRate, rateCumulative } from './rate.ts';
import { stateDurations } from './state.ts';
import { convert, dimensionOf, rateTimeUnitMs, ratioUnitFactor, unitFactor } from './units.ts';

const f = (a: number[]) => Float64Array.from(a);
const H = 3_600_000;

describe('valueAt', () => {
  const t = f([0, 10, 20]);
  const v = f([0, 100, 300]);
  it('a reading exactly on a boundary is used as it is', () => {
    expect(valueAt(t, v, 10)).toEqual({ value: 100, interpolated: false });
  });
  it('no reading on the boundary: interpolated linearly, and said so', () => {
    expect(valueAt(t, v, 15)).toEqual({ value: 200, interpolated: true });
  });
  it('outside the readings: null', () => {
    expect(valueAt(t, v, -1)).toBeNull();
    expect(valueAt(t, v, 21)).toBeNull();
  });
  it('valuesAt agrees with valueAt', () => {
    const ts = [-5, 0, 5, 10, 19, 20, 25];
    expect(valuesAt(t, v, ts)).toEqual(ts.map((x) => valueAt(t, v, x)));
  });
});

describe('integrateRate', () => {
  const s = { times: f([0, H, 2 * H, 3 * H]), values: f([100, 200, 200, 0]) };
  it('integrates the trapezoids (kW over hours -> kWh)', () => {
    const r = integrateRate(s, 0, 3 * H, { timeUnitMs: H });
    expect(r.amount).toBe(150 + 200 + 100);
    expect(r.coveredMs).toBe(3 * H);
  });
  it('interpolates the rate at boundaries that fall between readings', () => {
    expect(integrateRate(s, 0, H / 2, { timeUnitMs: H }).amount).toBeCloseTo((100 + 150) / 2 / 2, 12);
  });
  it('gaps are reported and not integrated', () => {
    const g = { times: f([0, H, 10 * H, 11 * H]), values: f([10, 10, 10, 10]) };
    const r = integrateRate(g, 0, 11 * H, { timeUnitMs: H, maxGapMs: 2 * H });
    expect(r.amount).toBe(20);
    expect(r.gaps).toEqual([{ fromMs: H, toMs: 10 * H }]);
    expect(r.coveredMs).toBe(2 * H);
    expect(rateCumulative(g, { timeUnitMs: H, maxGapMs: 2 * H }).cumulative[3]).toBe(20);
  });
  it('property: [a,b) + [b,c) == [a,c)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
        (vals, [x, y]) => {
          const series = { times: f(vals.map((_, i) => i * 1000)), values: f(vals) };
          const end = (vals.length - 1) * 1000;
          const [p, q] = [x * end, y * end].sort((a, b) => a - b) as [number, number];
          const whole = integrateRate(series, 0, end, { timeUnitMs: 1000 }).amount;
          const parts =
            integrateRate(series, 0, p, { timeUnitMs: 1000 }).amount +
            integrateRate(series, p, q, { timeUnitMs: 1000 }).amount +
            integrateRate(series, q, end, { timeUnitMs: 1000 }).amount;
          expect(Math.abs(whole - parts)).toBeLessThan(1e-9 * Math.max(1, whole));
        },
      ),
    );
  });
});

describe('stateDurations', () => {
  it('each reading holds until the next; the reading before the period sets its start', () => {
    const s = { times: f([-5, 10, 30]), values: f([2, 1, 0]) };
    const d = stateDurations(s, 0, 40);
    expect(Object.fromEntries(d.byCode)).toEqual({ 2: 10, 1: 20, 0: 10 });
    expect(d.unknownMs).toBe(0);
  });
  it('time before the first reading and beyond maxHold is unknown; parts add up to the period', () => {
    const s = { times: f([10, 20]), values: f([1, 1]) };
    const d = stateDurations(s, 0, 100, { maxHoldMs: 30 });
    expect(d.byCode.get(1)).toBe(10 + 30);
    expect(d.unknownMs).toBe(10 + 50);
  });
});

describe('completeness', () => {
  it('counts distinct expected slots: extra readings in one slot do not hide a gap elsewhere', () => {
    const t = f([0, 1, 2, 3, 10, 20]); // slots of 10: 0 has four readings, 1 and 2 one each; 3..9 empty
    expect(completeness(t, 0, 100, 10)).toEqual({ expected: 10, present: 3, ratio: 0.3 });
  });
  it('full data is 1, never more', () => {
    const t = f(Array.from({ length: 48 }, (_, i) => i * 30));
    expect(completeness(t, 0, 720, 60).ratio).toBe(1);
  });
});

describe('periods', () => {
  it('months, days, hours and ranges in local time (Asia/Shanghai)', () => {
    const m = parsePeriod('2026-10', 'Asia/Shanghai');
    expect(new Date(m.startMs).toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(new Date(m.endMs).toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(parsePeriod('2026-10-05', 'Asia/Shanghai').kind).toBe('day');
    expect(
      parsePeriod('2026-10-05T08', 'Asia/Shanghai').endMs -
        parsePeriod('2026-10-05T08', 'Asia/Shanghai').startMs,
    ).toBe(H);
    const r = parsePeriod('2026-10-01..2026-10-16T00:00:00+08:00', 'Asia/Shanghai');
    expect((r.endMs - r.startMs) / H).toBe(15 * 24);
  });
  it('rejects what it cannot read, naming the forms', () => {
    expect(() => parsePeriod('October', 'Asia/Shanghai')).toThrow(/period 'October'.*a month '2026-10'/);
    expect(() => parsePeriod('2026-13', 'Asia/Shanghai')).toThrow(/not a valid month/);
    expect(() => parsePeriod('2026-10-05..2026-10-01', 'Asia/Shanghai')).toThrow(/not after/);
  });
  it('DST days are 23 and 25 hours (Europe/Berlin)', () => {
    const spring = parsePeriod('2026-03-29', 'Europe/Berlin');
    const autumn = parsePeriod('2026-10-25', 'Europe/Berlin');
    expect((spring.endMs - spring.startMs) / H).toBe(23);
    expect((autumn.endMs - autumn.startMs) / H).toBe(25);
    expect(splitPeriod(autumn, 'hour')).toHaveLength(25);
  });
  it('a month splits into its days exactly; partial ends of a range become ranges', () => {
    const days = splitPeriod(parsePeriod('2026-10', 'Asia/Shanghai'), 'day');
    expect(days).toHaveLength(31);
    expect(days[4]!.label).toBe('2026-10-05');
    const r = splitPeriod(parsePeriod('2026-10-01T12:00..2026-10-03', 'Asia/Shanghai'), 'day');
    expect(r.map((p) => p.kind)).toEqual(['range', 'day']);
    expect(r[0]!.endMs).toBe(r[1]!.startMs);
  });
  it('splitPoints keeps the cuts strictly inside, sorted and unique', () => {
    expect(splitPoints(0, 10, [5, -1, 5, 10, 3, 0])).toEqual([0, 3, 5, 10]);
  });
});

describe('units', () => {
  it('converts within a dimension and refuses across', () => {
    expect(convert(1, 'MWh', 'kWh')).toBe(1000);
    expect(unitFactor('GJ', 'kWh')).toBeCloseTo(277.7777778, 6);
    expect(convert(2, 't', 'kg')).toBe(2000);
    expect(() => unitFactor('kWh', 't')).toThrow(/cannot convert kWh to t/);
    expect(() => unitFactor('Nm3', 'm3')).toThrow(/normal_volume is not volume/);
    expect(dimensionOf('tce')).toBe('standard_coal');
  });
  it('converts ratio units', () => {
    expect(ratioUnitFactor('tCO2/MWh', 'kgCO2/kWh')).toBeCloseTo(1, 12);
    expect(ratioUnitFactor('kgce/Nm3', 'tce/10^4Nm3')).toBeCloseTo(10, 12);
    expect(() => ratioUnitFactor('kWh', 'kgCO2/kWh')).toThrow(/not a ratio unit/);
  });
  it('knows rate units', () => {
    expect(rateTimeUnitMs('kW')).toEqual({ amountUnit: 'kWh', timeUnitMs: H });
    expect(rateTimeUnitMs('Nm3/h')).toEqual({ amountUnit: 'Nm3', timeUnitMs: H });
    expect(rateTimeUnitMs('kg/s')).toEqual({ amountUnit: 'kg', timeUnitMs: 1000 });
    expect(rateTimeUnitMs('kWh')).toBeNull();
  });
});

describe('arrow', () => {
  it('round-trips a series through an Arrow table', () => {
    const s = { times: f([1, 2, 3]), values: f([4.5, 5.5, 6.5]) };
    const back = seriesFromTable(seriesToTable(s));
    expect([...back.times]).toEqual([1, 2, 3]);
    expect([...back.values]).toEqual([4.5, 5.5, 6.5]);
  });
});
