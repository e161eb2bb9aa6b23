import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reading } from '../port.ts';
import { groupPoints } from './group.ts';
import { monthOf } from './layout.ts';
import { mergeSorted, sortUnique } from './merge.ts';

/** The model: a map from time to value, later writes replacing earlier ones. */
function model(...writes: [number, number][][]): { times: number[]; values: number[] } {
  const m = new Map<number, number>();
  for (const w of writes) for (const [t, v] of w) m.set(t, v);
  const times = [...m.keys()].sort((a, b) => a - b);
  return { times, values: times.map((t) => m.get(t)!) };
}

const readings = fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.double({ noNaN: true })), {
  maxLength: 60,
});
const cols = (rs: [number, number][]) => ({
  times: Float64Array.from(rs.map((r) => r[0])),
  values: Float64Array.from(rs.map((r) => r[1])),
});
const plain = (s: { times: Float64Array; values: Float64Array }) => ({
  times: [...s.times],
  values: [...s.values],
});

describe('merging readings', () => {
  it('sortUnique: ascending, unique, the last given wins', () => {
    fc.assert(
      fc.property(readings, (rs) => {
        const c = cols(rs);
        expect(plain(sortUnique(c.times, c.values))).toEqual(model(rs));
      }),
    );
  });

  it('mergeSorted: the union, the newer value winning on equal times', () => {
    fc.assert(
      fc.property(readings, readings, (older, newer) => {
        const a = cols(older);
        const b = cols(newer);
        const merged = mergeSorted(sortUnique(a.times, a.values), sortUnique(b.times, b.values));
        expect(plain(merged)).toEqual(model(older, newer));
      }),
    );
  });

  it('appends after the last reading and keeps ascending input as it is', () => {
    const a = sortUnique(Float64Array.of(1, 2), Float64Array.of(10, 20));
    expect(plain(mergeSorted(a, sortUnique(Float64Array.of(3, 4), Float64Array.of(30, 40))))).toEqual({
      times: [1, 2, 3, 4],
      values: [10, 20, 30, 40],
    });
    const t = Float64Array.of(1, 2, 3);
    expect(sortUnique(t, t).times).toBe(t);
  });
});

describe('grouping points', () => {
  it('puts every point in its (signal, UTC month) group, in the order given', () => {
    const point = fc.record({
      signal: fc.constantFrom('A', 'B', '电'),
      timeMs: fc.integer({ min: Date.UTC(2026, 8, 25), max: Date.UTC(2026, 10, 5) }),
      value: fc.integer(),
    });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 80 }), (points: Reading[]) => {
        const groups = groupPoints(points);
        expect(groups.reduce((n, g) => n + g.times.length, 0)).toBe(points.length);
        const keys = new Set(groups.map((g) => `${g.signal}|${g.month}`));
        expect(keys.size).toBe(groups.length);
        for (const g of groups) {
          const mine = points.filter((p) => p.signal === g.signal && monthOf(p.timeMs) === g.month);
          expect([...g.times]).toEqual(mine.map((p) => p.timeMs));
          expect([...g.values]).toEqual(mine.map((p) => p.value));
        }
      }),
    );
  });

  it('names the first bad point', () => {
    const ok = { signal: 'A', timeMs: 0, value: 1 };
    expect(() => groupPoints([ok, { ...ok, value: Number.POSITIVE_INFINITY }])).toThrow(
      /point 1 \(signal 'A', timeMs 0, value Infinity\): value must be a finite number/,
    );
    expect(() => groupPoints([ok, { ...ok, timeMs: Number.NaN }])).toThrow(
      /point 1 .*timeMs must be a finite/,
    );
    expect(() => groupPoints([{ ...ok, value: '1' as unknown as number }])).toThrow(/value must be a finite/);
    expect(() => groupPoints([{ ...ok, signal: undefined as unknown as string }])).toThrow(
      /point 0 \(signal undefined.*no signal id/,
    );
    expect(() => groupPoints([null as unknown as Reading])).toThrow(/point 0 .*no signal id/);
  });
});
