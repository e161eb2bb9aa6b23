import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integrateRate, rateCumulative } from './rate.ts';

const f = (a: number[]) => Float64Array.from(a);
const H = 3_600_000;
const perHour = { timeUnitMs: H };
const s = { times: f([0, H, 2 * H, 3 * H]), values: f([100, 200, 200, 0]) };

describe('integrateRate', () => {
  it('integrates the trapezoids (kW over hours -> kWh)', () => {
    const r = integrateRate(s, 0, 3 * H, perHour);
    expect(r).toEqual({ amount: 150 + 200 + 100, coveredMs: 3 * H, gaps: [] });
  });

  it('a boundary exactly on a reading uses that reading', () => {
    expect(integrateRate(s, H, 2 * H, perHour).amount).toBe(200);
  });

  it('a boundary with no reading on it: the rate there is interpolated', () => {
    // rate at H/2 is 150: (100 + 150) / 2 over half an hour
    expect(integrateRate(s, 0, H / 2, perHour).amount).toBeCloseTo(62.5, 12);
    // rate at 2.5 h is 100: (200 + 100) / 2 over half an hour, and (100 + 0) / 2 over the rest
    expect(integrateRate(s, 2.5 * H, 3 * H, perHour).amount).toBeCloseTo(25, 12);
    expect(integrateRate(s, 1.5 * H, 2.5 * H, perHour).amount).toBeCloseTo(100 + 75, 12);
  });

  it('per-second rates, and Nm3/h sampled every 15 minutes', () => {
    const kgPerS = { times: f([0, 1000, 2000]), values: f([2, 2, 4]) };
    expect(integrateRate(kgPerS, 0, 2000, { timeUnitMs: 1000 }).amount).toBe(2 + 3);
    const q = H / 4;
    const gas = { times: f([0, q, 2 * q, 3 * q, 4 * q]), values: f([400, 400, 400, 400, 400]) };
    expect(integrateRate(gas, 0, H, perHour).amount).toBe(400);
  });

  it('time before the first or after the last reading is not covered', () => {
    const r = integrateRate(s, -H, 4 * H, perHour);
    expect(r.amount).toBe(450);
    expect(r.coveredMs).toBe(3 * H);
    expect(r.gaps).toEqual([]);
    expect(integrateRate(s, 5 * H, 6 * H, perHour)).toEqual({ amount: 0, coveredMs: 0, gaps: [] });
  });

  it('no readings, one reading, or an empty range: nothing', () => {
    const none = { amount: 0, coveredMs: 0, gaps: [] };
    expect(integrateRate({ times: f([]), values: f([]) }, 0, H, perHour)).toEqual(none);
    expect(integrateRate({ times: f([0]), values: f([5]) }, 0, H, perHour)).toEqual(none);
    expect(integrateRate(s, H, H, perHour)).toEqual(none);
  });

  it('refuses a reversed range and a time unit that is not positive', () => {
    expect(() => integrateRate(s, 2 * H, H, perHour)).toThrow(/toMs 3600000 is before fromMs 7200000/);
    expect(() => integrateRate(s, 0, H, { timeUnitMs: 0 })).toThrow(/timeUnitMs must be positive/);
    expect(() => integrateRate(s, 0, H, { timeUnitMs: H, maxGapMs: -1 })).toThrow(/maxGapMs/);
  });

  it('gap: a rate gap is reported and not integrated', () => {
    const g = { times: f([0, H, 10 * H, 11 * H]), values: f([10, 10, 10, 10]) };
    const r = integrateRate(g, 0, 11 * H, { timeUnitMs: H, maxGapMs: 2 * H });
    expect(r).toEqual({ amount: 20, coveredMs: 2 * H, gaps: [{ fromMs: H, toMs: 10 * H }] });
  });

  it('gap: reported clipped to the range asked for', () => {
    const g = { times: f([0, H, 10 * H, 11 * H]), values: f([10, 10, 10, 10]) };
    const r = integrateRate(g, 5 * H, 10.5 * H, { timeUnitMs: H, maxGapMs: 2 * H });
    expect(r).toEqual({ amount: 5, coveredMs: H / 2, gaps: [{ fromMs: 5 * H, toMs: 10 * H }] });
  });

  it('gap: adjacent gaps are merged; an interval of exactly maxGapMs is not a gap', () => {
    const g = { times: f([0, 3 * H, 6 * H, 8 * H]), values: f([1, 1, 1, 1]) };
    const r = integrateRate(g, 0, 8 * H, { timeUnitMs: H, maxGapMs: 2 * H });
    expect(r.gaps).toEqual([{ fromMs: 0, toMs: 6 * H }]);
    expect(r.amount).toBe(2);
    expect(r.coveredMs).toBe(2 * H);
  });

  it('property: [a,b) + [b,c) == [a,c), for amounts, covered time and gaps', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.double({ min: -1e3, max: 1e4, noNaN: true })),
          {
            minLength: 2,
            maxLength: 40,
          },
        ),
        fc.array(fc.integer({ min: -2000, max: 250_000 }), { minLength: 3, maxLength: 3 }),
        fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
        (steps, cuts, maxGapMs) => {
          let t = 1_790_000_000_000;
          const times = steps.map(([dt]) => (t += dt));
          const series = { times: f(times), values: f(steps.map(([, v]) => v)) };
          const [a, b, c] = cuts.map((x) => times[0]! + x).sort((x, y) => x - y) as [number, number, number];
          const opts = { timeUnitMs: 1000, ...(maxGapMs === undefined ? {} : { maxGapMs }) };
          const whole = integrateRate(series, a, c, opts);
          const left = integrateRate(series, a, b, opts);
          const right = integrateRate(series, b, c, opts);
          const scale = Math.max(1, Math.abs(left.amount) + Math.abs(right.amount));
          expect(Math.abs(whole.amount - (left.amount + right.amount))).toBeLessThan(1e-9 * scale);
          expect(left.coveredMs + right.coveredMs).toBe(whole.coveredMs);
          const gapMs = (r: typeof whole) => r.gaps.reduce((sum, g) => sum + g.toMs - g.fromMs, 0);
          expect(gapMs(left) + gapMs(right)).toBe(gapMs(whole));
        },
      ),
    );
  });
});

describe('rateCumulative', () => {
  it('is the integral from the first reading to each reading', () => {
    const c = rateCumulative(s, perHour);
    expect([...c.cumulative]).toEqual([0, 150, 350, 450]);
    expect(c.times).toBe(s.times);
    expect(c.gaps).toEqual([]);
  });

  it('gap: a gap adds nothing and is reported', () => {
    const g = { times: f([0, H, 10 * H, 11 * H]), values: f([10, 10, 10, 10]) };
    const c = rateCumulative(g, { timeUnitMs: H, maxGapMs: 2 * H });
    expect([...c.cumulative]).toEqual([0, 10, 10, 20]);
    expect(c.gaps).toEqual([{ fromMs: H, toMs: 10 * H }]);
  });

  it('property: differences of the cumulative equal integrateRate between readings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1e4, noNaN: true })), {
          minLength: 2,
          maxLength: 30,
        }),
        fc.nat(),
        fc.nat(),
        (steps, x, y) => {
          let t = 0;
          const series = { times: f(steps.map(([dt]) => (t += dt))), values: f(steps.map(([, v]) => v)) };
          const opts = { timeUnitMs: 1000, maxGapMs: 2500 };
          const c = rateCumulative(series, opts);
          const [j, k] = [x % steps.length, y % steps.length].sort((p, q) => p - q) as [number, number];
          const r = integrateRate(series, series.times[j]!, series.times[k]!, opts);
          expect(c.cumulative[k]! - c.cumulative[j]!).toBeCloseTo(r.amount, 6);
        },
      ),
    );
  });
});
