import { describe, expect, it } from 'vitest';
import { EdgeProcessor } from './edge.ts';

const edge = () =>
  new EdgeProcessor(
    new Map([
      ['E-1', 'kWh'],
      ['P-1', 'kW'],
    ]),
  );
const T = 1_790_000_000_000;

describe('edge processing', () => {
  it('scales, offsets, then converts to the signal unit', () => {
    const r = edge().process([{ signal: 'E-1', timeMs: T, value: 2 }], { scale: 10, offset: 5, unit: 'MWh' });
    expect(r.readings).toEqual([{ signal: 'E-1', timeMs: T, value: 25_000 }]);
  });
  it('drops exact duplicates (same signal, time and value), keeps a corrected value at the same time', () => {
    const e = edge();
    const b = { scale: 1, offset: 0 };
    expect(e.process([{ signal: 'E-1', timeMs: T, value: 1 }], b).readings).toHaveLength(1);
    const again = e.process([{ signal: 'E-1', timeMs: T, value: 1 }], b);
    expect(again.readings).toHaveLength(0);
    expect(again.duplicates).toBe(1);
    expect(e.process([{ signal: 'E-1', timeMs: T, value: 2 }], b).readings).toHaveLength(1);
  });
  it('rejects unknown signals and impossible units with a reason, keeps the rest', () => {
    const r = edge().process(
      [
        { signal: 'X', timeMs: T, value: 1 },
        { signal: 'E-1', timeMs: T, value: 1 },
      ],
      { scale: 1, offset: 0, unit: 't' },
    );
    expect(r.rejected.map((x) => x.reason)).toEqual([
      "unknown signal 'X' (not in the plant config)",
      'cannot convert t to kWh: mass is not energy',
    ]);
  });
  it('keeps the quality of a reading', () => {
    const r = edge().process([{ signal: 'P-1', timeMs: T, value: 3, quality: 'UncertainLastUsableValue' }], {
      scale: 1,
      offset: 0,
      unit: 'W',
    });
    expect(r.readings[0]).toEqual({
      signal: 'P-1',
      timeMs: T,
      value: 0.003,
      quality: 'UncertainLastUsableValue',
    });
  });
});
