import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeReadings, encodeReadings } from './codec.ts';

describe('spool record codec', () => {
  it('writes what JSON.stringify of [signal, timeMs, value, quality?] writes, and reads it back', () => {
    const reading = fc.record(
      {
        signal: fc.string({ minLength: 1 }),
        timeMs: fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 }),
        value: fc.double({ noNaN: true, noDefaultInfinity: true }),
        quality: fc.constantFrom('Good', 'BadSensorFailure', 'Uncertain "x"'),
      },
      { requiredKeys: ['signal', 'timeMs', 'value'] },
    );
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 20 }), (rs) => {
        const text = encodeReadings(rs).toString('utf8');
        const expected = JSON.stringify(
          rs.map((r) =>
            r.quality && r.quality !== 'Good'
              ? [r.signal, r.timeMs, r.value, r.quality]
              : [r.signal, r.timeMs, r.value],
          ),
        );
        expect(text).toBe(expected);
        const back = decodeReadings(Buffer.from(text));
        expect(back.map((r) => [r.signal, r.timeMs, r.value])).toEqual(
          rs.map((r) => [r.signal, r.timeMs, Object.is(r.value, -0) ? 0 : r.value]),
        );
      }),
    );
  });
});
