import { describe, expect, it } from 'vitest';
import { counterCumulative } from './counter.ts';

const s = (pairs: [number, number][]) => ({
  times: Float64Array.from(pairs.map((p) => p[0])),
  values: Float64Array.from(pairs.map((p) => p[1])),
});
const cum = (c: { cumulative: Float64Array }) => [...c.cumulative];
const kinds = (c: { events: { kind: string }[] }) => c.events.map((e) => e.kind);

describe('counterCumulative: a recorded replacement', () => {
  it('with oldFinal, between readings: old meter up to its final, new meter from its start', () => {
    const c = counterCumulative(
      s([
        [0, 900],
        [10, 980],
        [20, 30],
        [30, 60],
      ]),
      { replacements: [{ atMs: 15, oldFinal: 1000, newStart: 10 }] },
    );
    expect(cum(c)).toEqual([0, 80, 80 + 20 + 20, 150]);
    expect(kinds(c)).toEqual(['replacement']);
    expect(c.events[0]).toMatchObject({ atMs: 15, previous: 980, current: 30 });
  });

  it('without oldFinal: the last old reading is used and a replacement_without_final event says so', () => {
    const c = counterCumulative(
      s([
        [0, 500],
        [10, 600],
        [20, 40],
      ]),
      { replacements: [{ atMs: 15, newStart: 0 }] },
    );
    expect(cum(c)).toEqual([0, 100, 140]);
    expect(kinds(c)).toEqual(['replacement_without_final']);
    expect(c.events[0]).toMatchObject({ atMs: 15, previous: 600, current: 40 });
    expect(c.events[0]!.message).toMatch(/between its last reading \(600\) and the swap is unknown/);
  });

  it('the reading exactly at atMs is the old final: the swap lies after it', () => {
    const c = counterCumulative(
      s([
        [10, 79000],
        [20, 80000],
        [30, 70],
        [40, 140],
      ]),
      { replacements: [{ atMs: 20, oldFinal: 80000, newStart: 0 }] },
    );
    expect(cum(c)).toEqual([0, 1000, 1070, 1140]);
    expect(c.events).toHaveLength(1);
    expect(c.events[0]).toMatchObject({ kind: 'replacement', atMs: 20, previous: 80000, current: 70 });
  });

  it('the reading exactly at atMs is the new start: the swap lies before it', () => {
    const c = counterCumulative(
      s([
        [10, 79000],
        [20, 5],
        [30, 75],
      ]),
      { replacements: [{ atMs: 20, oldFinal: 80000, newStart: 5 }] },
    );
    expect(cum(c)).toEqual([0, 1000, 1070]);
    expect(c.events[0]).toMatchObject({ kind: 'replacement', atMs: 20, previous: 79000, current: 5 });
  });

  it('the reading exactly at atMs goes to whichever of oldFinal and newStart it is closer to', () => {
    const rep = { atMs: 20, oldFinal: 80000, newStart: 5 };
    const nearOld = s([
      [10, 79000],
      [20, 79990],
      [30, 75],
    ]);
    expect(cum(counterCumulative(nearOld, { replacements: [rep] }))).toEqual([0, 990, 1070]);
    const nearNew = s([
      [10, 79000],
      [20, 7],
      [30, 75],
    ]);
    expect(cum(counterCumulative(nearNew, { replacements: [rep] }))).toEqual([0, 1002, 1070]);
  });

  it('the reading exactly at atMs, as close to oldFinal as to newStart, is the old meter', () => {
    const c = counterCumulative(
      s([
        [0, 40],
        [10, 50],
        [20, 30],
      ]),
      { replacements: [{ atMs: 10, oldFinal: 100, newStart: 0 }] },
    );
    expect(cum(c)).toEqual([0, 10, 10 + 50 + 30]);
  });

  it('without oldFinal, the reading exactly at atMs is the new meter', () => {
    const c = counterCumulative(
      s([
        [0, 500],
        [10, 3],
        [20, 40],
      ]),
      { replacements: [{ atMs: 10, newStart: 0 }] },
    );
    expect(cum(c)).toEqual([0, 3, 40]);
    expect(c.events[0]).toMatchObject({ kind: 'replacement_without_final', atMs: 10, previous: 500 });
  });

  it('the new meter may read higher than the old one: still a replacement, not an increase', () => {
    const c = counterCumulative(
      s([
        [0, 100],
        [10, 5000],
        [20, 5100],
      ]),
      { replacements: [{ atMs: 5, oldFinal: 150, newStart: 4900 }] },
    );
    expect(cum(c)).toEqual([0, 150, 250]);
  });

  it('a rollover or a reset on the new meter right after the swap is still detected', () => {
    const rolled = counterCumulative(
      s([
        [0, 100],
        [10, 20],
      ]),
      { rolloverAt: 1000, replacements: [{ atMs: 5, oldFinal: 200, newStart: 990 }] },
    );
    expect(cum(rolled)).toEqual([0, 100 + 30]);
    expect(kinds(rolled)).toEqual(['replacement', 'rollover']);
    expect(rolled.events[1]).toMatchObject({ previous: 990, current: 20 });
    const reset = counterCumulative(
      s([
        [0, 100],
        [10, 3],
      ]),
      { replacements: [{ atMs: 5, oldFinal: 110, newStart: 50 }] },
    );
    expect(cum(reset)).toEqual([0, 13]);
    expect(kinds(reset)).toEqual(['replacement', 'reset']);
  });

  it('refuses a replacement without a finite atMs or newStart', () => {
    expect(() =>
      counterCumulative(s([[0, 1]]), { replacements: [{ atMs: Number.NaN, newStart: 0 }] }),
    ).toThrow(/must be finite/);
  });
});

describe('counterCumulative: replacements at or beyond the ends of the readings', () => {
  it('replacements before or after all readings change nothing', () => {
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
    expect(cum(c)).toEqual([0, 1]);
    expect(c.events).toEqual([]);
  });

  it('at the first reading, which is the new start: every reading is the new meter, nothing to apply', () => {
    const c = counterCumulative(
      s([
        [0, 5],
        [10, 75],
      ]),
      { replacements: [{ atMs: 0, oldFinal: 80000, newStart: 5 }] },
    );
    expect(cum(c)).toEqual([0, 70]);
    expect(c.events).toEqual([]);
    const noFinal = counterCumulative(
      s([
        [0, 3],
        [10, 40],
      ]),
      { replacements: [{ atMs: 0, newStart: 0 }] },
    );
    expect(cum(noFinal)).toEqual([0, 37]);
  });

  it('at the first reading, which is the old final: applied between the first and second readings', () => {
    const c = counterCumulative(
      s([
        [0, 80000],
        [10, 70],
      ]),
      { replacements: [{ atMs: 0, oldFinal: 80000, newStart: 0 }] },
    );
    expect(cum(c)).toEqual([0, 70]);
    expect(kinds(c)).toEqual(['replacement']);
  });

  it('at the last reading: applied when it is the new start, left out when it is the old final', () => {
    const rep = { atMs: 10, oldFinal: 80000, newStart: 0 };
    const asNew = counterCumulative(
      s([
        [0, 79000],
        [10, 0],
      ]),
      { replacements: [rep] },
    );
    expect(cum(asNew)).toEqual([0, 1000]);
    expect(kinds(asNew)).toEqual(['replacement']);
    const asOld = counterCumulative(
      s([
        [0, 79000],
        [10, 80000],
      ]),
      { replacements: [rep] },
    );
    expect(cum(asOld)).toEqual([0, 1000]);
    expect(asOld.events).toEqual([]);
  });
});

describe('counterCumulative: several replacements and rollovers', () => {
  it('two replacements between the same two readings, given in any order', () => {
    const reps = [
      { atMs: 6, oldFinal: 30, newStart: 10 },
      { atMs: 3, oldFinal: 120, newStart: 0 },
    ];
    const c = counterCumulative(
      s([
        [0, 100],
        [10, 50],
      ]),
      { replacements: reps },
    );
    expect(cum(c)).toEqual([0, 20 + 30 + 40]);
    expect(c.events.map((e) => e.atMs)).toEqual([3, 6]);
  });

  it('replacements and rollovers mixed in one series', () => {
    const c = counterCumulative(
      s([
        [0, 900],
        [10, 990],
        [20, 40], // rollover: +50
        [30, 500],
        [40, 20], // replacement at 35: +20 on the old meter, +20 on the new
        [50, 980],
        [60, 10], // rollover: +30
        [70, 50],
        [80, 5], // replacement at 75 without final: +0 and +5
        [90, 15],
      ]),
      {
        rolloverAt: 1000,
        replacements: [
          { atMs: 75, newStart: 0 },
          { atMs: 35, oldFinal: 520, newStart: 0 },
        ],
      },
    );
    expect(cum(c)).toEqual([0, 90, 140, 600, 640, 1600, 1630, 1670, 1675, 1685]);
    expect(c.events.map((e) => [e.kind, e.atMs])).toEqual([
      ['rollover', 20],
      ['replacement', 35],
      ['rollover', 60],
      ['replacement_without_final', 75],
    ]);
  });
});
