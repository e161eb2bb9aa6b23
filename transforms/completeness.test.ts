import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeness } from './completeness.ts';

const f = (a: number[]) => Float64Array.from(a);

describe('completeness', () => {
  it('every expected slot holds a reading: 1', () => {
    const t = f(Array.from({ length: 24 }, (_, i) => i * 60));
    expect(completeness(t, 0, 1440, 60)).toEqual({ expected: 24, present: 24, ratio: 1 });
  });

  it('duplicate-slot readings: readings more frequent than expected never push the ratio over 1', () => {
    const t = f(Array.from({ length: 48 }, (_, i) => i * 30));
    expect(completeness(t, 0, 1440, 60)).toEqual({ expected: 24, present: 24, ratio: 1 });
  });

  it('duplicate-slot readings: extra readings in one slot do not hide a gap elsewhere', () => {
    const t = f([0, 1, 2, 3, 10, 20]); // slots of 10: slot 0 has four readings, 1 and 2 one each; 3..9 empty
    expect(completeness(t, 0, 100, 10)).toEqual({ expected: 10, present: 3, ratio: 0.3 });
  });

  it('readings off the slot grid count for the slot they fall in', () => {
    const t = f([5, 15, 16, 35]);
    expect(completeness(t, 0, 40, 10)).toEqual({ expected: 4, present: 3, ratio: 0.75 });
  });

  it('only readings in [fromMs, toMs) count: one at fromMs does, one at toMs does not', () => {
    const t = f([-10, 0, 10, 20, 30, 40]);
    expect(completeness(t, 0, 40, 10)).toEqual({ expected: 4, present: 4, ratio: 1 });
    expect(completeness(f([-1, 40]), 0, 40, 10)).toEqual({ expected: 4, present: 0, ratio: 0 });
  });

  it('a short remainder at the end belongs to the last slot', () => {
    expect(completeness(f([0, 10, 22]), 0, 25, 10)).toEqual({ expected: 2, present: 2, ratio: 1 });
    expect(completeness(f([0, 22]), 0, 25, 10)).toEqual({ expected: 2, present: 2, ratio: 1 });
  });

  it('a range shorter than the interval expects one reading', () => {
    expect(completeness(f([3]), 0, 5, 60)).toEqual({ expected: 1, present: 1, ratio: 1 });
    expect(completeness(f([]), 0, 5, 60)).toEqual({ expected: 1, present: 0, ratio: 0 });
  });

  it('an empty range expects nothing: ratio 1', () => {
    expect(completeness(f([0]), 10, 10, 60)).toEqual({ expected: 0, present: 0, ratio: 1 });
  });

  it('refuses an interval that is not positive and a reversed range', () => {
    expect(() => completeness(f([]), 0, 10, 0)).toThrow(/expectedIntervalMs must be positive/);
    expect(() => completeness(f([]), 10, 0, 1)).toThrow(/toMs 0 is before fromMs 10/);
  });

  it('a month of hourly readings with a 10-hour outage (Asia/Shanghai October 2026)', () => {
    const H = 3_600_000;
    const from = Date.UTC(2026, 8, 30, 16);
    const t = f(Array.from({ length: 744 }, (_, h) => from + h * H).filter((_, h) => h < 100 || h >= 110));
    expect(completeness(t, from, from + 744 * H, H)).toEqual({
      expected: 744,
      present: 734,
      ratio: 734 / 744,
    });
  });

  it('property: present counts the distinct slots holding readings, and ratio stays within [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -100, max: 1100 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 200 }),
        (raw, length, interval) => {
          const times = raw.sort((a, b) => a - b);
          const c = completeness(f(times), 0, length, interval);
          const expected = Math.max(1, Math.floor(length / interval));
          const slots = new Set(
            times
              .filter((t) => t >= 0 && t < length)
              .map((t) => Math.min(expected - 1, Math.floor(t / interval))),
          );
          expect(c).toEqual({ expected, present: slots.size, ratio: slots.size / expected });
          expect(c.ratio).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
