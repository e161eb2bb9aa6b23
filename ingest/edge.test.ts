import { describe, expect, it } from 'vitest';
import { CollectorSchema } from './collector-schema.ts';
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
  it('remembers the last 16 readings of each signal: a redelivered burst is dropped, an older copy passes', () => {
    const e = edge();
    const b = { scale: 1, offset: 0 };
    const burst = (n: number) =>
      [...Array(n).keys()].map((i) => ({ signal: 'E-1', timeMs: T + i * 1000, value: i }));
    expect(e.process(burst(20), b).readings).toHaveLength(20);
    const again = e.process(burst(20).slice(8), b); // the last 12 again
    expect(again.duplicates).toBe(12);
    const older = e.process(burst(2), b); // beyond the 16 remembered: written again, overwriting itself
    expect(older.readings.map((r) => r.value)).toEqual([0, 1]);
    expect(e.process([{ signal: 'P-1', timeMs: T, value: 0 }], b).readings).toHaveLength(1); // per signal
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

  describe('source times', () => {
    const b = { scale: 1, offset: 0 };
    const NOW = Date.parse('2026-11-25T09:00:00Z');
    const at = (iso: string) => ({ signal: 'E-1', timeMs: Date.parse(iso), value: 1 });
    const windowed = () =>
      new EdgeProcessor(new Map([['E-1', 'kWh']]), {
        window: CollectorSchema.parse({}).readingWindow,
        now: () => NOW,
      });

    it('refuse times before 2000 and from 2100 on, with or without a window', () => {
      for (const e of [edge(), windowed()]) {
        const r = e.process(
          [at('1650-06-01T00:00:00Z'), at('1999-12-31T23:59:59Z'), at('2300-01-01T00:00:00Z')],
          b,
        );
        expect(r.readings).toEqual([]);
        expect(r.rejected.map((x) => x.reason)).toEqual([
          "signal 'E-1': time 1650-06-01T00:00:00.000Z is before 2000-01-01, the earliest time accepted",
          "signal 'E-1': time 1999-12-31T23:59:59.000Z is before 2000-01-01, the earliest time accepted",
          "signal 'E-1': time 2300-01-01T00:00:00.000Z is not before 2100-01-01, the latest time accepted",
        ]);
      }
      expect(edge().process([at('2026-10-01T00:00:00Z')], b).readings).toHaveLength(1);
    });

    it('apply the window around the injected clock: 30 days back and 600 s ahead by default', () => {
      expect(CollectorSchema.parse({}).readingWindow).toEqual({ maxAgeS: 30 * 86_400, maxFutureS: 600 });
      const r = windowed().process(
        [
          at('2026-10-26T08:59:59Z'), // 30 days and a second ago
          at('2026-10-26T09:00:01Z'),
          at('2026-11-25T09:09:59Z'), // 599 s ahead
          at('2026-11-25T09:10:01Z'),
        ],
        b,
      );
      expect(r.readings.map((x) => new Date(x.timeMs).toISOString())).toEqual([
        '2026-10-26T09:00:01.000Z',
        '2026-11-25T09:09:59.000Z',
      ]);
      expect(r.rejected.map((x) => x.reason)).toEqual([
        "signal 'E-1': time 2026-10-26T08:59:59.000Z is more than 30 days before now (2026-11-25T09:00:00.000Z; collector.readingWindow.maxAgeS)",
        "signal 'E-1': time 2026-11-25T09:10:01.000Z is more than 600 s after now (2026-11-25T09:00:00.000Z; collector.readingWindow.maxFutureS)",
      ]);
    });

    it('read the clock at each call, and take a wider window from the config', () => {
      let now = NOW;
      const e = new EdgeProcessor(new Map([['E-1', 'kWh']]), {
        window: CollectorSchema.parse({ readingWindow: { maxAgeS: 3600 } }).readingWindow,
        now: () => now,
      });
      expect(e.process([at('2026-11-25T08:30:00Z')], b).readings).toHaveLength(1);
      now += 3600_000;
      expect(e.process([at('2026-11-25T08:30:00Z')], b).rejected[0]!.reason).toMatch(
        /more than 1 h before now/,
      );
      expect(() => CollectorSchema.parse({ readingWindow: { maxAgeS: 0 } })).toThrow();
    });
  });
});
