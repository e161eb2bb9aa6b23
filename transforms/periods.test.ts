import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Period,
  PeriodError,
  parsePeriod,
  periodHolding,
  periodKey,
  shiftPeriod,
  splitPeriod,
  splitPoints,
} from './periods.ts';

const H = 3_600_000;
const SH = 'Asia/Shanghai';
const BER = 'Europe/Berlin';
const iso = (ms: number) => new Date(ms).toISOString();
const hours = (p: Period) => (p.endMs - p.startMs) / H;

describe('parsePeriod', () => {
  it('a month in local time (Asia/Shanghai)', () => {
    const m = parsePeriod('2026-10', SH);
    expect(m).toEqual({
      label: '2026-10',
      kind: 'month',
      startMs: Date.UTC(2026, 8, 30, 16),
      endMs: Date.UTC(2026, 9, 31, 16),
      timeZone: SH,
    });
    expect(hours(parsePeriod('2026-02', SH))).toBe(28 * 24);
  });

  it('a day and an hour in local time', () => {
    const d = parsePeriod('2026-10-05', SH);
    expect([d.kind, d.label, iso(d.startMs), hours(d)]).toEqual([
      'day',
      '2026-10-05',
      '2026-10-04T16:00:00.000Z',
      24,
    ]);
    const h = parsePeriod('2026-10-05T08', SH);
    expect([h.kind, h.label, iso(h.startMs), hours(h)]).toEqual([
      'hour',
      '2026-10-05T08',
      '2026-10-05T00:00:00.000Z',
      1,
    ]);
  });

  it('a year and a quarter in local time; a quarter outside Q1..Q4 is refused', () => {
    const y = parsePeriod('2026', SH);
    expect([y.kind, y.label, iso(y.startMs), iso(y.endMs)]).toEqual([
      'year',
      '2026',
      '2025-12-31T16:00:00.000Z',
      '2026-12-31T16:00:00.000Z',
    ]);
    const q = parsePeriod('2026-Q4', SH);
    expect([q.kind, q.label, iso(q.startMs), iso(q.endMs)]).toEqual([
      'quarter',
      '2026-Q4',
      '2026-09-30T16:00:00.000Z',
      '2026-12-31T16:00:00.000Z',
    ]);
    expect(parsePeriod(' 2026-Q1 ', SH).endMs).toBe(parsePeriod('2026-04', SH).startMs);
    expect(() => parsePeriod('2026-Q5', SH)).toThrow(/'2026-Q5' is not a valid quarter/);
    expect(() => parsePeriod('2026-Q0', SH)).toThrow(PeriodError);
    expect(splitPeriod(y, 'quarter').map((p) => p.label)).toEqual([
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
    ]);
    expect(splitPeriod(q, 'month').map((p) => p.label)).toEqual(['2026-10', '2026-11', '2026-12']);
  });

  it('the period holding an instant, and a period a year or one period earlier', () => {
    const m = parsePeriod('2026-10', SH);
    expect(periodHolding(m.startMs + H, 'year', SH).label).toBe('2026');
    expect(periodHolding(m.endMs - 1, 'quarter', SH).label).toBe('2026-Q4');
    expect(shiftPeriod(m, { years: -1 })!.label).toBe('2025-10');
    expect(shiftPeriod(m, { periods: -1 })!.label).toBe('2026-09');
    expect(shiftPeriod(parsePeriod('2026-01', SH), { periods: -1 })!.label).toBe('2025-12');
    expect(shiftPeriod(parsePeriod('2026-Q1', SH), { periods: -1 })!.label).toBe('2025-Q4');
    expect(shiftPeriod(parsePeriod('2028-02-29', SH), { years: -1 })!.label).toBe('2027-02-28');
    expect(shiftPeriod(parsePeriod('2026-10-01..2026-10-05', SH), { years: -1 })).toBeNull();
  });

  it('an hour given with its offset gets the plain label where the hour is not repeated', () => {
    expect(parsePeriod('2026-10-05T08+08:00', SH)).toEqual(parsePeriod('2026-10-05T08', SH));
    expect(() => parsePeriod('2026-10-05T08+01:00', SH)).toThrow(
      /\+01:00 is not the offset of Asia\/Shanghai/,
    );
  });

  it('ranges of dates (local midnights) and ISO date-times with or without offset; the label is the spec', () => {
    const r = parsePeriod('2026-10-01..2026-10-16', SH);
    expect([r.kind, r.label, iso(r.startMs), hours(r)]).toEqual([
      'range',
      '2026-10-01..2026-10-16',
      '2026-09-30T16:00:00.000Z',
      15 * 24,
    ]);
    const t = parsePeriod('2026-10-01T08:00..2026-10-01T20:00:00+08:00', SH);
    expect([iso(t.startMs), iso(t.endMs)]).toEqual(['2026-10-01T00:00:00.000Z', '2026-10-01T12:00:00.000Z']);
    const z = parsePeriod('2026-10-01T00:00Z..2026-10-02', SH);
    expect(iso(z.startMs)).toBe('2026-10-01T00:00:00.000Z');
  });

  it('rejects what it cannot read with a PeriodError that names the spec and the accepted forms', () => {
    for (const spec of [
      'October',
      '',
      '2026-1',
      '2026-10-01..',
      '2026-10-01..2026-10-02..2026-10-03',
      '1.10.2026',
    ]) {
      expect(() => parsePeriod(spec, SH)).toThrow(PeriodError);
      expect(() => parsePeriod(spec, SH)).toThrow(`period '${spec}'`);
      expect(() => parsePeriod(spec, SH)).toThrow(
        /use a month '2026-10', a day '2026-10-05', an hour .*'FROM\.\.TO'/,
      );
    }
    expect(() => parsePeriod('2026-13', SH)).toThrow(/'2026-13' is not a valid month/);
    expect(() => parsePeriod('2026-02-30', SH)).toThrow(/not a valid day/);
    expect(() => parsePeriod('2026-10-05T24', SH)).toThrow(/not a valid hour/);
    expect(() => parsePeriod('2026-10-05T24+08:00', SH)).toThrow(/not a valid hour/);
    expect(() => parsePeriod('2026-02-30T01', SH)).toThrow(/not a valid hour/);
    expect(() => parsePeriod('2026-10-01..2026-10-40', SH)).toThrow(/'2026-10-40' is not a valid date/);
    expect(() => parsePeriod('2026-10-01..tomorrow', SH)).toThrow(
      /'tomorrow' is not a date or ISO date-time/,
    );
  });

  it('enforces endMs > startMs for ranges', () => {
    expect(() => parsePeriod('2026-10-05..2026-10-01', SH)).toThrow(/TO is not after FROM/);
    expect(() => parsePeriod('2026-10-05..2026-10-05', SH)).toThrow(/TO is not after FROM/);
    expect(() => parsePeriod('2026-10-05T08:00+08:00..2026-10-05T00:00Z', SH)).toThrow(
      /TO is not after FROM/,
    );
  });

  it('refuses an unknown time zone', () => {
    expect(() => parsePeriod('2026-10', 'Mars/Olympus')).toThrow("unknown time zone 'Mars/Olympus'");
  });
});

describe('DST days (Europe/Berlin)', () => {
  it('DST days: the spring day has 23 hours and the autumn day 25; their months one hour less or more', () => {
    expect(hours(parsePeriod('2026-03-29', BER))).toBe(23);
    expect(hours(parsePeriod('2026-10-25', BER))).toBe(25);
    expect(hours(parsePeriod('2026-10-24', BER))).toBe(24);
    expect(hours(parsePeriod('2026-03', BER))).toBe(31 * 24 - 1);
    expect(hours(parsePeriod('2026-10', BER))).toBe(31 * 24 + 1);
    expect(iso(parsePeriod('2026-10-25', BER).startMs)).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(parsePeriod('2026-10-25', BER).endMs)).toBe('2026-10-25T23:00:00.000Z');
  });

  it('DST days split into 23 and 25 hours with unique local labels; the repeated hour carries its offset', () => {
    const spring = splitPeriod(parsePeriod('2026-03-29', BER), 'hour');
    expect(spring.map((p) => p.label.slice(11))).toEqual([
      '00',
      '01',
      ...Array.from({ length: 21 }, (_, i) => String(i + 3).padStart(2, '0')),
    ]);
    const autumn = splitPeriod(parsePeriod('2026-10-25', BER), 'hour');
    expect(autumn).toHaveLength(25);
    expect(autumn.slice(1, 5).map((p) => p.label)).toEqual([
      '2026-10-25T01',
      '2026-10-25T02+02:00',
      '2026-10-25T02+01:00',
      '2026-10-25T03',
    ]);
    expect(new Set(autumn.map((p) => p.label)).size).toBe(25);
    expect(autumn.every((p) => hours(p) === 1 && p.kind === 'hour')).toBe(true);
  });

  it('DST days: the skipped hour does not exist, the repeated hour needs its offset', () => {
    expect(() => parsePeriod('2026-03-29T02', BER)).toThrow(/2026-03-29T02 does not exist in Europe\/Berlin/);
    expect(() => parsePeriod('2026-10-25T02', BER)).toThrow(
      /occurs twice in Europe\/Berlin .*'2026-10-25T02\+02:00' or '2026-10-25T02\+01:00'/,
    );
    expect(iso(parsePeriod('2026-10-25T02+02:00', BER).startMs)).toBe('2026-10-25T00:00:00.000Z');
    expect(iso(parsePeriod('2026-10-25T02+01:00', BER).startMs)).toBe('2026-10-25T01:00:00.000Z');
    expect(parsePeriod('2026-10-25T03', BER).label).toBe('2026-10-25T03');
  });

  it('a DST month splits into days of 23, 24 and 25 hours that cover it exactly', () => {
    const days = splitPeriod(parsePeriod('2026-10', BER), 'day');
    expect(days).toHaveLength(31);
    expect(days.filter((d) => hours(d) === 25).map((d) => d.label)).toEqual(['2026-10-25']);
    expect(days.reduce((sum, d) => sum + hours(d), 0)).toBe(745);
  });
});

describe('splitPeriod', () => {
  it('a month splits into its days, a day into its hours, with local labels', () => {
    const days = splitPeriod(parsePeriod('2026-10', SH), 'day');
    expect(days).toHaveLength(31);
    expect(days[4]).toEqual(parsePeriod('2026-10-05', SH));
    const hrs = splitPeriod(parsePeriod('2026-10-05', SH), 'hour');
    expect(hrs.map((p) => p.label)).toEqual(
      Array.from({ length: 24 }, (_, h) => `2026-10-05T${String(h).padStart(2, '0')}`),
    );
    expect(splitPeriod(parsePeriod('2026-10', SH), 'month')).toEqual([parsePeriod('2026-10', SH)]);
  });

  it('partial ends of a range are clipped and labelled FROM..TO in local ISO time', () => {
    const r = splitPeriod(parsePeriod('2026-10-01T12:00..2026-10-03T06:00', SH), 'day');
    expect(r.map((p) => [p.kind, p.label])).toEqual([
      ['range', '2026-10-01T12:00:00+08:00..2026-10-02T00:00:00+08:00'],
      ['day', '2026-10-02'],
      ['range', '2026-10-03T00:00:00+08:00..2026-10-03T06:00:00+08:00'],
    ]);
    expect(parsePeriod(r[0]!.label, SH)).toEqual(r[0]);
  });

  it('a range across months splits into months with clipped ends', () => {
    const r = splitPeriod(parsePeriod('2026-09-15..2026-12-01', SH), 'month');
    expect(r.map((p) => p.label)).toEqual([
      '2026-09-15T00:00:00+08:00..2026-10-01T00:00:00+08:00',
      '2026-10',
      '2026-11',
    ]);
  });

  it('a day split into months is the day itself, as a range', () => {
    const d = parsePeriod('2026-10-05', SH);
    expect(splitPeriod(d, 'month')).toEqual([
      { ...d, kind: 'range', label: '2026-10-05T00:00:00+08:00..2026-10-06T00:00:00+08:00' },
    ]);
  });

  it('property: pieces are contiguous, cover the period exactly, have unique labels and parse back', () => {
    const zones = [SH, BER, 'America/New_York', 'Australia/Sydney', 'Asia/Kathmandu', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 1, max: 40 * 24 * H }),
        fc.constantFrom('hour', 'day', 'month' as const),
        (zone, start, length, into) => {
          const p: Period = {
            label: 'x',
            kind: 'range',
            startMs: start,
            endMs: start + length,
            timeZone: zone,
          };
          const pieces = splitPeriod(p, into);
          expect(pieces[0]!.startMs).toBe(p.startMs);
          expect(pieces[pieces.length - 1]!.endMs).toBe(p.endMs);
          pieces.forEach((q, i) => {
            expect(q.endMs).toBeGreaterThan(q.startMs);
            if (i > 0) expect(q.startMs).toBe(pieces[i - 1]!.endMs);
            expect(parsePeriod(q.label, zone)).toEqual(q);
          });
          expect(new Set(pieces.map((q) => q.label)).size).toBe(pieces.length);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('splitPoints', () => {
  it('keeps the cuts strictly inside, sorted and unique, between the ends', () => {
    expect(splitPoints(0, 10, [5, -1, 5, 10, 3, 0, Number.NaN])).toEqual([0, 3, 5, 10]);
    expect(splitPoints(0, 10, [])).toEqual([0, 10]);
  });

  it('an empty range is its start alone; a reversed one is refused', () => {
    expect(splitPoints(4, 4, [4])).toEqual([4]);
    expect(() => splitPoints(5, 4, [])).toThrow(/endMs 4 is before startMs 5/);
  });
});

describe('periodKey', () => {
  it('tells periods apart by zone, kind and label', () => {
    const keys = [
      parsePeriod('2026-10', SH),
      parsePeriod('2026-10', BER),
      parsePeriod('2026-10-05', SH),
      parsePeriod('2026-10-01..2026-11-01', SH),
    ].map(periodKey);
    expect(new Set(keys).size).toBe(4);
    expect(periodKey(parsePeriod('2026-10-05', SH))).toBe('Asia/Shanghai|day|2026-10-05');
  });

  it('two spellings of the same range share a key', () => {
    expect(periodKey(parsePeriod('2026-10-01..2026-10-02', SH))).toBe(
      periodKey(parsePeriod('2026-09-30T16:00Z..2026-10-02T00:00:00+08:00', SH)),
    );
  });
});
