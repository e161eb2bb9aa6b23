import fc from 'fast-check';
import { DateTime, FixedOffsetZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseIsoTime, timeZone } from './time.ts';

describe('ISO 8601 times', () => {
  it('reads offsets written as Z, +08:00, +0800 and +08, and fractions of a second', () => {
    const want = { ms: Date.parse('2026-09-30T16:00:00Z') };
    for (const t of ['2026-09-30T16:00:00Z', '2026-10-01T00:00:00+08:00', '2026-10-01T00:00:00+0800']) {
      expect(parseIsoTime(t)).toEqual(want);
    }
    expect(parseIsoTime('2026-10-01T00:00+08')).toEqual(want);
    expect(parseIsoTime('2026-09-30T12:30:00-03:30')).toEqual(want);
    expect(parseIsoTime('2026-10-01T00:00:00.1234567Z')).toEqual({
      ms: Date.parse('2026-10-01T00:00:00.123Z'),
    });
    expect(parseIsoTime('0050-01-01T00:00:00Z')).toEqual({ ms: Date.parse('0050-01-01T00:00:00Z') });
  });

  it('refuses what is not a date and time', () => {
    for (const t of [
      '2026-10-01',
      '2026-10-01 00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-10-01T24:00:00Z',
      '',
    ]) {
      expect(parseIsoTime(t)).toHaveProperty('error');
    }
    expect(parseIsoTime('2026-10-01T00:00:00+25:00')).toEqual({
      error: "time '2026-10-01T00:00:00+25:00' has an invalid offset",
    });
  });

  it('agrees with luxon on any instant and offset', () => {
    const instant = fc.integer({
      min: Date.parse('1900-01-01T00:00:00Z'),
      max: Date.parse('2200-01-01T00:00:00Z'),
    });
    const offsetMin = fc.integer({ min: -14 * 60, max: 14 * 60 });
    fc.assert(
      fc.property(instant, offsetMin, (t, off) => {
        const text = DateTime.fromMillis(t, { zone: FixedOffsetZone.instance(off) }).toISO()!;
        expect(parseIsoTime(text)).toEqual({ ms: t });
      }),
    );
  });

  it('reads local times in a zone like luxon does, except where clocks go back: the first of the two', () => {
    const zone = timeZone('America/New_York');
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }),
        (t) => {
          const local = DateTime.fromMillis(Math.floor(t / 60_000) * 60_000, { zone: 'America/New_York' });
          const text = local.toFormat("yyyy-MM-dd'T'HH:mm:ss");
          const r = parseIsoTime(text, zone);
          expect(r).toHaveProperty('ms');
          const back = DateTime.fromMillis((r as { ms: number }).ms, { zone: 'America/New_York' });
          expect(back.toFormat("yyyy-MM-dd'T'HH:mm:ss")).toBe(text);
          expect((r as { ms: number }).ms).toBeLessThanOrEqual(local.toMillis());
        },
      ),
    );
  });
});
