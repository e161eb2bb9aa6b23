import { describe, expect, it } from 'vitest';
import { counterCumulative } from './counter.ts';

/** a series from [time, value] pairs */
const s = (pairs: [number, number][]) => ({
  times: Float64Array.from(pairs.map((p) => p[0])),
  values: Float64Array.from(pairs.map((p) => p[1])),
});
const cum = (c: { cumulative: Float64Array }) => [...c.cumulative];
const kinds = (c: { events: { kind: string }[] }) => c.events.map((e) => e.kind);

describe('counterCumulative: plain readings', () => {
  it('plain increases are differences; cumulative starts at 0', () => {
    const c = counterCumulative(
      s([
        [0, 100],
        [1, 150],
        [2, 175],
      ]),
    );
    expect(cum(c)).toEqual([0, 50, 75]);
    expect(c.events).toEqual([]);
  });

  it('no readings and a single reading give cumulative series of the same length', () => {
    expect(cum(counterCumulative(s([])))).toEqual([]);
    expect(cum(counterCumulative(s([[5, 42]]), { rolloverAt: 100 }))).toEqual([0]);
  });

  it('returns the input times', () => {
    const series = s([
      [0, 1],
      [1, 2],
    ]);
    expect(counterCumulative(series).times).toBe(series.times);
  });

  it('gap: a counter across a long gap keeps the consumption (the meter kept counting)', () => {
    const c = counterCumulative(
      s([
        [0, 100],
        [1_000_000_000, 900],
        [1_000_003_600, 950],
      ]),
    );
    expect(cum(c)).toEqual([0, 800, 850]);
    expect(c.events).toEqual([]);
  });

  it('refuses a rolloverAt that is not a positive number', () => {
    expect(() => counterCumulative(s([[0, 1]]), { rolloverAt: 0 })).toThrow(/rolloverAt must be a positive/);
    expect(() => counterCumulative(s([[0, 1]]), { rolloverAt: Number.NaN })).toThrow(RangeError);
  });
});

describe('counterCumulative: rollovers', () => {
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
    expect(cum(c)).toEqual([0, 1, 2, 3]);
    expect(kinds(c)).toEqual(['rollover']);
    expect(c.events[0]).toMatchObject({ atMs: 2, previous: 9999, current: 0 });
  });

  it('rollover right at the limit on a meter that shows the limit itself: the limit counts as 0', () => {
    const c = counterCumulative(
      s([
        [0, 9990],
        [1, 10000],
        [2, 0],
        [3, 5],
      ]),
      { rolloverAt: 10000 },
    );
    expect(cum(c)).toEqual([0, 10, 10, 15]);
    expect(kinds(c)).toEqual(['rollover']);
  });

  it('rollover from the limit value straight to a small reading', () => {
    const c = counterCumulative(
      s([
        [0, 9990],
        [1, 10000],
        [2, 5],
      ]),
      { rolloverAt: 10000 },
    );
    expect(cum(c)).toEqual([0, 10, 15]);
  });

  it('rollover between two sparse readings counts the way up to the limit and from 0', () => {
    const c = counterCumulative(
      s([
        [0, 9_800_000],
        [1, 2_300_000],
      ]),
      { rolloverAt: 10_000_000 },
    );
    expect(cum(c)).toEqual([0, 2_500_000]);
  });

  it('two rollovers in one period', () => {
    const c = counterCumulative(
      s([
        [0, 900],
        [1, 100],
        [2, 950],
        [3, 50],
        [4, 60],
      ]),
      { rolloverAt: 1000 },
    );
    expect(cum(c)).toEqual([0, 200, 1050, 1150, 1160]);
    expect(kinds(c)).toEqual(['rollover', 'rollover']);
    expect(c.events.map((e) => e.atMs)).toEqual([1, 3]);
  });

  it('an implausible rollover (implied increment above rolloverAt x 0.5) is a reset', () => {
    const c = counterCumulative(
      s([
        [0, 100],
        [1, 50],
      ]),
      { rolloverAt: 1_000_000 },
    );
    expect(kinds(c)).toEqual(['reset']);
    expect(cum(c)).toEqual([0, 50]);
    expect(c.events[0]!.message).toMatch(/too far from its rollover at 1000000/);
  });

  it('maxRolloverFraction moves the line between rollover and reset; the line itself is a rollover', () => {
    const pairs: [number, number][] = [
      [0, 700],
      [1, 200],
    ]; // implied increment 500
    expect(kinds(counterCumulative(s(pairs), { rolloverAt: 1000 }))).toEqual(['rollover']);
    expect(kinds(counterCumulative(s(pairs), { rolloverAt: 1000, maxRolloverFraction: 0.4 }))).toEqual([
      'reset',
    ]);
    expect(cum(counterCumulative(s(pairs), { rolloverAt: 1000, maxRolloverFraction: 0.9 }))).toEqual([
      0, 500,
    ]);
  });

  it('a decrease from above rolloverAt cannot be a rollover: it is a reset', () => {
    const c = counterCumulative(
      s([
        [0, 1200],
        [1, 100],
      ]),
      { rolloverAt: 1000 },
    );
    expect(kinds(c)).toEqual(['reset']);
    expect(cum(c)).toEqual([0, 100]);
  });
});

describe('counterCumulative: resets', () => {
  it('a reset without a replacement record: counted from 0 and reported', () => {
    const c = counterCumulative(
      s([
        [0, 5000],
        [1, 5100],
        [2, 30],
        [3, 80],
      ]),
    );
    expect(cum(c)).toEqual([0, 100, 130, 180]);
    expect(kinds(c)).toEqual(['reset']);
    expect(c.events[0]).toMatchObject({ atMs: 2, previous: 5100, current: 30 });
    expect(c.events[0]!.message).toMatch(/without a recorded replacement/);
  });

  it('a reset to exactly 0 counts nothing for the step', () => {
    expect(
      cum(
        counterCumulative(
          s([
            [0, 10],
            [1, 0],
            [2, 4],
          ]),
        ),
      ),
    ).toEqual([0, 0, 4]);
  });
});
