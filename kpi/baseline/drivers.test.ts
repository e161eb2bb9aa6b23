/** Driver values from a gauge: the mean of a period's readings, degree-days over whole days. */
import { describe, expect, it } from 'vitest';
import { degreeDays, gaugeMean } from './drivers.ts';

const H = 3_600_000;
const series = (pairs: [number, number][]) => ({
  times: Float64Array.from(pairs.map((p) => p[0])),
  values: Float64Array.from(pairs.map((p) => p[1])),
});

describe('gauge drivers', () => {
  // day 0: 4 readings 10, 12, 14, 16 (mean 13); day 1: 20, 22 (mean 21); a reading at the end belongs to the next day
  const s = series([
    [0, 10],
    [6 * H, 12],
    [12 * H, 14],
    [18 * H, 16],
    [24 * H, 20],
    [36 * H, 22],
    [48 * H, 99],
  ]);
  const day = (k: number) => ({ startMs: k * 24 * H, endMs: (k + 1) * 24 * H });

  it('the mean counts readings in [start, end)', () => {
    expect(gaugeMean(s, 0, 24 * H)).toBe(13);
    expect(gaugeMean(s, 0, 48 * H)).toBe(94 / 6);
    expect(gaugeMean(s, 100 * H, 124 * H)).toBeUndefined();
  });

  it('heating and cooling degree-days from each day’s mean', () => {
    // heating, base 18: max(0, 18 − 13) + max(0, 18 − 21) = 5; cooling: 0 + 3 = 3
    expect(degreeDays(s, [day(0), day(1)], 18, 'heating')).toBe(5);
    expect(degreeDays(s, [day(0), day(1)], 18, 'cooling')).toBe(3);
  });

  it('a day without a reading leaves the period without a value (it would count as a mild day)', () => {
    expect(degreeDays(s, [day(0), day(1), day(3)], 18, 'heating')).toBeUndefined();
  });
});
