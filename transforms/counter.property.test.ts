import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterCumulative, type Replacement } from './counter.ts';

/** the consumption up to each reading, from the increments between readings */
function prefix(incs: readonly number[]): number[] {
  const out = [0];
  for (const x of incs) out.push(out[out.length - 1]! + x);
  return out;
}

describe('counterCumulative properties', () => {
  it('property: a synthetic monotone counter with injected rollovers gives back the true consumption', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1000, 65_536, 10_000_000),
        fc.array(fc.tuple(fc.double({ min: 0, max: 0.5, noNaN: true }), fc.integer({ min: 1, max: 1e7 })), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.boolean(),
        (limit, steps, startFraction, showsLimit) => {
          // integer increments of at most half the limit (the default plausibility line), random time steps
          const incs = steps.map(([f]) => Math.floor(f * limit));
          let raw = Math.floor(startFraction * limit);
          let t = 1_790_000_000_000;
          const times = [t];
          const values = [raw];
          steps.forEach(([, dt], i) => {
            raw += incs[i]!;
            t += dt;
            const shown = raw % limit;
            times.push(t);
            // some meters show the limit itself instead of 0 when they count up to it
            values.push(shown === 0 && showsLimit && values[values.length - 1] !== 0 ? limit : shown);
          });
          const c = counterCumulative(
            { times: Float64Array.from(times), values: Float64Array.from(values) },
            { rolloverAt: limit },
          );
          expect([...c.cumulative]).toEqual(prefix(incs));
          expect(c.events.every((e) => e.kind === 'rollover')).toBe(true);
        },
      ),
    );
  });

  it('property: swapped meters with recorded replacements give back the true consumption', () => {
    const swap = fc.record({
      where: fc.constantFrom('between', 'atOld', 'atNew'),
      beforeFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      newStart: fc.integer({ min: 0, max: 1_000_000 }),
    });
    const segment = fc.record({
      inc: fc.integer({ min: 0, max: 5000 }),
      swap: fc.option(swap, { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(segment, { minLength: 1, maxLength: 60 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (start, segments, shuffle) => {
          let v = start;
          const pairs: [number, number][] = [[0, v]];
          const reps: Replacement[] = [];
          segments.forEach(({ inc, swap }, k) => {
            const t = k * 10;
            const next = t + 10;
            if (swap === null) v += inc;
            else if (swap.where === 'between') {
              const before = Math.floor(swap.beforeFraction * inc);
              reps.push({ atMs: t + 5, oldFinal: v + before, newStart: swap.newStart });
              v = swap.newStart + inc - before;
            } else if (swap.where === 'atOld') {
              // the reading at the swap is the old meter's final; the new meter continues from its start
              v += inc;
              pairs.push([next, v]);
              reps.push({ atMs: next, oldFinal: v, newStart: swap.newStart });
              v = swap.newStart;
              return;
            } else {
              // the reading at the swap is the new meter's start
              reps.push({ atMs: next, oldFinal: v + inc, newStart: swap.newStart });
              v = swap.newStart;
            }
            pairs.push([next, v]);
          });
          const it = shuffle[Symbol.iterator]();
          const order = reps.map((r) => ({ r, key: it.next().value as number }));
          const c = counterCumulative(
            {
              times: Float64Array.from(pairs.map((p) => p[0])),
              values: Float64Array.from(pairs.map((p) => p[1])),
            },
            { replacements: order.sort((a, b) => a.key - b.key).map((o) => o.r) },
          );
          expect([...c.cumulative]).toEqual(prefix(segments.map((g) => g.inc)));
          expect(c.events.every((e) => e.kind === 'replacement')).toBe(true);
        },
      ),
    );
  });
});
