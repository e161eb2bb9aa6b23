/** The OEE losses in hours split the planned busy time with the ideal time of the good output. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OeeParts, oeeLossH } from './oee.ts';

const H = 3_600_000;

function parts(p: Partial<OeeParts>): OeeParts {
  return {
    runMs: 0,
    plannedStopMs: 0,
    unplannedStopMs: 0,
    unknownMs: 0,
    plannedBusyMs: 0,
    produced: 0,
    good: 0,
    idealMs: 0,
    ...p,
  };
}

describe('oeeLossH', () => {
  it("the reference plant's Oct 5 on PK-1: 2 h planned stop, 18 h run, 4 h stopped, 160 t made at 10 t/h, 152 good", () => {
    const loss = oeeLossH(
      parts({ runMs: 18 * H, plannedBusyMs: 22 * H, produced: 160, good: 152, idealMs: 16 * H }),
    );
    expect(loss.availability).toBeCloseTo(4, 12);
    expect(loss.performance).toBeCloseTo(2, 12);
    expect(loss.quality).toBeCloseTo(0.8, 12);
  });

  it('planned busy time = ideal time of the good output + the three losses (OEE = good ideal / planned busy)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 * 31 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (busyH, runShare, perf, goodShare) => {
          const plannedBusyMs = busyH * H;
          const runMs = plannedBusyMs * runShare;
          const idealMs = runMs * perf;
          const produced = 100;
          const p = parts({ runMs, plannedBusyMs, idealMs, produced, good: produced * goodShare });
          const l = oeeLossH(p);
          const goodIdealH = (idealMs * goodShare) / H;
          expect(goodIdealH + l.availability + l.performance + l.quality).toBeCloseTo(busyH, 6);
        },
      ),
    );
  });
});
