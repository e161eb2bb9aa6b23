import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stateDurations } from './state.ts';

const f = (a: number[]) => Float64Array.from(a);
const s = (times: number[], values: number[]) => ({ times: f(times), values: f(values) });
const H = 3_600_000;
const total = (d: { byCode: Map<number, number>; unknownMs: number }) =>
  [...d.byCode.values()].reduce((a, b) => a + b, 0) + d.unknownMs;

describe('stateDurations', () => {
  it('each reading holds until the next; the reading before the period sets its start', () => {
    const d = stateDurations(s([-5, 10, 30], [2, 1, 0]), 0, 40);
    expect(Object.fromEntries(d.byCode)).toEqual({ 2: 10, 1: 20, 0: 10 });
    expect(d.unknownMs).toBe(0);
  });

  it('readings long before the period do not count; only the last one before it sets the state', () => {
    const d = stateDurations(s([-100, -50, -5, 10], [7, 8, 2, 1]), 0, 20);
    expect(Object.fromEntries(d.byCode)).toEqual({ 2: 10, 1: 10 });
  });

  it('a reading exactly at fromMs sets the state from the start; one at toMs counts for nothing', () => {
    const d = stateDurations(s([-5, 0, 20], [9, 1, 3]), 0, 20);
    expect(Object.fromEntries(d.byCode)).toEqual({ 1: 20 });
    expect(d.unknownMs).toBe(0);
  });

  it('no reading before the period: unknown until the first one', () => {
    const d = stateDurations(s([10, 20], [1, 0]), 0, 30);
    expect(Object.fromEntries(d.byCode)).toEqual({ 1: 10, 0: 10 });
    expect(d.unknownMs).toBe(10);
  });

  it('the last reading holds until toMs by default; later readings are ignored', () => {
    const d = stateDurations(s([0, 50], [1, 2]), 0, 40);
    expect(Object.fromEntries(d.byCode)).toEqual({ 1: 40 });
  });

  it('time beyond maxHoldMs after a reading is unknown; parts add up to the period', () => {
    const d = stateDurations(s([10, 20], [1, 1]), 0, 100, { maxHoldMs: 30 });
    expect(d.byCode.get(1)).toBe(10 + 30);
    expect(d.unknownMs).toBe(10 + 50);
  });

  it('maxHoldMs also limits a stale reading before the period', () => {
    const d = stateDurations(s([-20, 50], [1, 2]), 0, 60, { maxHoldMs: 30 });
    expect(Object.fromEntries(d.byCode)).toEqual({ 1: 10, 2: 10 });
    expect(d.unknownMs).toBe(40);
  });

  it('no readings: all unknown; an empty range: nothing', () => {
    expect(stateDurations(s([], []), 0, 10)).toEqual({ byCode: new Map(), unknownMs: 10 });
    expect(stateDurations(s([0], [1]), 5, 5)).toEqual({ byCode: new Map(), unknownMs: 0 });
  });

  it('refuses a reversed range and a negative maxHoldMs', () => {
    expect(() => stateDurations(s([0], [1]), 10, 5)).toThrow(/toMs 5 is before fromMs 10/);
    expect(() => stateDurations(s([0], [1]), 0, 5, { maxHoldMs: -1 })).toThrow(/maxHoldMs/);
  });

  it('the reference plant casting machine on 2026-10-05: planned stop, running, unplanned stop', () => {
    const day0 = Date.UTC(2026, 9, 4, 16); // 2026-10-05T00:00+08:00
    const times = Array.from({ length: 25 }, (_, h) => day0 - H + h * H); // the reading before, then hourly
    const codes = times.map((t) => {
      const h = (t - day0) / H;
      return h < 0 ? 1 : h < 2 ? 2 : h < 20 ? 1 : 0;
    });
    const d = stateDurations(s(times, codes), day0, day0 + 24 * H);
    expect(Object.fromEntries(d.byCode)).toEqual({ 2: 2 * H, 1: 18 * H, 0: 4 * H });
    expect(d.unknownMs).toBe(0);
  });

  it('property: equals a millisecond-by-millisecond count, and adds up to toMs - fromMs exactly', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -50, max: 250 }), { maxLength: 30 }),
        fc.integer({ min: -20, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        (rawTimes, from, length, maxHoldMs) => {
          const times = rawTimes.sort((a, b) => a - b);
          const codes = times.map((t) => Math.abs(t) % 4);
          const d = stateDurations(
            s(times, codes),
            from,
            from + length,
            maxHoldMs === undefined ? {} : { maxHoldMs },
          );
          const expected = new Map<number, number>();
          let unknown = 0;
          for (let t = from; t < from + length; t++) {
            const k = times.findLastIndex((x) => x <= t);
            if (k < 0 || (maxHoldMs !== undefined && t >= times[k]! + maxHoldMs)) unknown++;
            else expected.set(codes[k]!, (expected.get(codes[k]!) ?? 0) + 1);
          }
          expect(new Map([...d.byCode].sort())).toEqual(new Map([...expected].sort()));
          expect(d.unknownMs).toBe(unknown);
          expect(total(d)).toBe(length);
        },
      ),
    );
  });

  it('property: parts add up exactly at epoch-millisecond magnitudes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 40 * 86_400_000 }), { maxLength: 50 }),
        fc.integer({ min: 0, max: 31 * 86_400_000 }),
        fc.integer({ min: 0, max: 9 * 86_400_000 }),
        (offsets, from, length) => {
          const base = 1_790_000_000_000;
          const times = offsets.sort((a, b) => a - b).map((o) => base + o);
          const d = stateDurations(
            s(
              times,
              times.map((_, i) => i % 3),
            ),
            base + from,
            base + from + length,
            {
              maxHoldMs: 86_400_000,
            },
          );
          expect(total(d)).toBe(length);
        },
      ),
    );
  });
});
