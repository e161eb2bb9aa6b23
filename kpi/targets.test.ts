import { describe, expect, it } from 'vitest';
import { marginPct } from './targets.ts';

describe('margin to target', () => {
  it('is positive inside an "at most" target and negative beyond it (the reference plant\'s two areas)', () => {
    expect(marginPct(259.114166667, 260)).toBeCloseTo(0.340705128, 8);
    expect(marginPct(16.2726, 16)).toBeCloseTo(-1.70375, 8);
  });
  it('is positive above an "at least" target', () => {
    expect(marginPct(0.9, undefined, 0.8)).toBeCloseTo(12.5, 12);
    expect(marginPct(0.7, undefined, 0.8)).toBeCloseTo(-12.5, 12);
  });
  it('takes the tighter side of a band, and is null without an actual or against a zero target', () => {
    expect(marginPct(95, 100, 90)).toBeCloseTo(Math.min(5, (5 / 90) * 100), 12);
    expect(marginPct(null, 100)).toBeNull();
    expect(marginPct(3, 0)).toBeNull();
    expect(marginPct(3)).toBeNull();
  });
});
