import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerBound, valueAt, valuesAt } from './interpolate.ts';

const f = (a: number[]) => Float64Array.from(a);
const t = f([0, 10, 20]);
const v = f([0, 100, 300]);

describe('valueAt', () => {
  it('a reading exactly on a boundary is used as it is (interpolated: false)', () => {
    expect(valueAt(t, v, 10)).toEqual({ value: 100, interpolated: false });
    expect(valueAt(t, v, 0)).toEqual({ value: 0, interpolated: false });
    expect(valueAt(t, v, 20)).toEqual({ value: 300, interpolated: false });
  });

  it('no reading on the boundary: interpolated linearly between neighbours (interpolated: true)', () => {
    expect(valueAt(t, v, 15)).toEqual({ value: 200, interpolated: true });
    expect(valueAt(t, v, 2.5)).toEqual({ value: 25, interpolated: true });
  });

  it('outside the readings, with no readings, or at NaN: null', () => {
    expect(valueAt(t, v, -1)).toBeNull();
    expect(valueAt(t, v, 21)).toBeNull();
    expect(valueAt(f([]), f([]), 0)).toBeNull();
    expect(valueAt(t, v, Number.NaN)).toBeNull();
  });

  it('a single reading answers only at its own time', () => {
    expect(valueAt(f([5]), f([7]), 5)).toEqual({ value: 7, interpolated: false });
    expect(valueAt(f([5]), f([7]), 6)).toBeNull();
  });

  it('works at epoch-millisecond magnitudes', () => {
    const base = 1_790_000_000_000;
    expect(valueAt(f([base, base + 3_600_000]), f([1000, 2000]), base + 900_000)).toEqual({
      value: 1250,
      interpolated: true,
    });
  });
});

describe('valuesAt', () => {
  it('agrees with valueAt for ascending instants, including ones outside the readings', () => {
    const ts = [-5, 0, 5, 10, 10, 19, 20, 25];
    expect(valuesAt(t, v, ts)).toEqual(ts.map((x) => valueAt(t, v, x)));
  });

  it('stays right when the instants are not ascending', () => {
    const ts = [15, 5, 20, 0, 12];
    expect(valuesAt(t, v, ts)).toEqual(ts.map((x) => valueAt(t, v, x)));
  });

  it('no instants, or no readings', () => {
    expect(valuesAt(t, v, [])).toEqual([]);
    expect(valuesAt(f([]), f([]), [1, 2])).toEqual([null, null]);
  });

  it('property: valuesAt equals valueAt at every instant', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: -50, max: 1050 }), { maxLength: 40 }),
        (rawTimes, instants) => {
          const times = f(rawTimes.sort((a, b) => a - b));
          const values = times.map((x) => (x * 7) % 13);
          const ts = instants.sort((a, b) => a - b);
          expect(valuesAt(times, values, ts)).toEqual(ts.map((x) => valueAt(times, values, x)));
        },
      ),
    );
  });
});

describe('lowerBound', () => {
  it('is the first index whose time is >= t', () => {
    expect([-1, 0, 1, 10, 11, 20, 21].map((x) => lowerBound(t, x))).toEqual([0, 0, 1, 1, 2, 2, 3]);
    expect(lowerBound(f([]), 5)).toBe(0);
  });
});
