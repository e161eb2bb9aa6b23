import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterCumulative } from './counter.ts';

const s = (pairs: [number, number][]) => ({
  times: Float64Array.from(pairs.map((p) => p[0])),
  values: Float64Array.from(pairs.map((p) => p[1])),
});
const last = (c: { cumulative: Float64Array }) => c.cumulative[c.cumulative.length - 1];

describe('counterCumulative', () => {
  it('plain increases are differences; cumulative starts at 0', () => {
    const c = counterCumulative(
      s([
        [0, 100],
        [1, 150],
        [2, 175],
      ]),
    );
    expect([...c.cumulative]).toEqual([0, 50, 75]);
    expect(c.events).toEqual([]);
  });

  it('rollover right at the limit: limit-1 -> 0 is one unit', () => {
    const c = counterCumulative(
      s([
        [0, 9998],
        [1, 9999],
        [2, 0],
        [3, 1],
      ]),
      { rolloverAt: 10000 },
    );
    expect([...c.cumulative]).toEqual([0, 1, 2, 3]);
    expect(c.events.map((e) => e.kind)).toEqual(['rollover']);
  });

  it('rollover from a meter that shows the limit itself: limit counts as 0', () => {
    const c = counterCumulative(
      s([
        [0, 9990],
        [1, 10000],
        [2, 5],
      ]),
      { rolloverAt: 10000 },
    );
    expect([...c.cumulative]).toEqual([0, 10, 15]);
  });

  it('two rollovers in one period', () => {
    const c = counterCumulative(
      s([
        [0, 900],
        [1, 100],
        [2, 950],
        [3, 50],
      ]),
      { rolloverAt: 1000 },
    );
    expect(last(c)).toBe(100 + 100 + 850 + 100);
    expect(c.events.filter((e) => e.kind === 'rollover')).toHaveLength(2);
  });

  it('a reset without a replacement record: counted from 0 and reported', () => {
    const c = counterCumulative(
      s([
        [0, 5000],
        [1, 5100],
        [2, 30],
        [3, 80],
      ]),
    );
    expect([...c.cumulative]).toEqual([0, 100, 130, 180]);
    expect(c.events.map((e) => e.kind)).toEqual(['reset']);
    expect(c.events[0]!.message).toMatch(/without a recorded replacement/);
  });

  it('an implausible rollover (far from the limit) is a reset', () => {
    const c = counterCumulative(
      s([
        [0, 100],
        [1, 50],
      ]),
      { rolloverAt: 1_000_000 },
    );
    expect(c.events.map((e) => e.kind)).toEqual(['reset']);
    expect(last(c)).toBe(50);
  });

  it('a recorded replacement between readings: old to its final, new from its start', () => {
    const rep = { atMs: 15, oldFinal: 1000, newStart: 10 };
    const c = counterCumulative(
      s([
        [0, 900],
        [10, 980],
        [20, 30],
        [30, 60],
      ]),
      { replacements: [rep] },
    );
    expect([...c.cumulative]).toEqual([0, 80, 80 + 20 + 20, 150]);
    expect(c.events.map((e) => e.kind)).toEqual(['replacement']);
  });

  it('a recorded replacement with the reading exactly at the swap being the old final', () => {
    const rep = { atMs: 20, oldFinal: 80000, newStart: 0 };
    const c = counterCumulative(
      s([
        [10, 79000],
        [20, 80000],
        [30, 70],
        [40, 140],
      ]),
      { replacements: [rep] },
    );
    expect([...c.cumulative]).toEqual([0, 1000, 1070, 1140]);
  });

  it('a recorded replacement with the reading exactly at the swap being the new start', () => {
    const rep = { atMs: 20, oldFinal: 80000, newStart: 5 };
    const c = counterCumulative(
      s([
        [10, 79000],
        [20, 5],
        [30, 75],
      ]),
      { replacements: [rep] },
    );
    expect([...c.cumulative]).toEqual([0, 1000, 1070]);
  });

  it('a recorded replacement without the old final reading: uses the last old reading and says so', () => {
    const c = counterCumulative(
      s([
        [0, 500],
        [10, 600],
        [20, 40],
      ]),
      { replacements: [{ atMs: 15, newStart: 0 }] },
    );
    expect([...c.cumulative]).toEqual([0, 100, 140]);
    expect(c.events.map((e) => e.kind)).toEqual(['replacement_without_final', 'replacement']);
  });

  it('replacements outside the readings change nothing', () => {
    const c = counterCumulative(
      s([
        [10, 1],
        [20, 2],
      ]),
      {
        replacements: [
          { atMs: 5, oldFinal: 9, newStart: 0 },
          { atMs: 99, newStart: 0 },
        ],
      },
    );
    expect([...c.cumulative]).toEqual([0, 1]);
  });

  it('a long gap between readings keeps the consumption (the counter kept counting)', () => {
    const c = counterCumulative(
      s([
        [0, 100],
        [1_000_000_000, 900],
      ]),
    );
    expect(last(c)).toBe(800);
  });

  it('property: a synthetic counter with injected rollovers gives back the true consumption', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 999, noNaN: true }),
        (incs, start) => {
          const limit = 1000;
          let raw = start;
          const pairs: [number, number][] = [[0, start]];
          incs.forEach((inc, i) => {
            raw += inc;
            pairs.push([i + 1, raw % limit]);
          });
          const c = counterCumulative(s(pairs), { rolloverAt: limit });
          const truth = incs.reduce((a, b) => a + b, 0);
          expect(Math.abs(last(c)! - truth)).toBeLessThan(1e-6 * Math.max(1, truth));
        },
      ),
    );
  });
});
