/**
 * Periods in local time (hour, day, month, quarter, year, custom range), their splitting, and cut points inside them.
 * Days and months follow the zone's calendar, so in a zone with daylight saving a day lasts 23, 24 or 25 hours.
 */
import { DateTime, IANAZone } from 'luxon';
import { UsageError } from '../config/errors.ts';

export type PeriodKind = 'hour' | 'day' | 'month' | 'quarter' | 'year' | 'range';
/** The calendar kinds: every period but a range. */
export type CalendarKind = Exclude<PeriodKind, 'range'>;

export interface Period {
  /** '2026', '2026-Q4', '2026-10', '2026-10-05', '2026-10-05T08' (local), or a range's 'FROM..TO' */
  label: string;
  kind: PeriodKind;
  /** epoch ms, inclusive */
  startMs: number;
  /** epoch ms, exclusive; always after startMs */
  endMs: number;
  /** IANA zone the label is read in */
  timeZone: string;
}

const FORMS =
  "a month '2026-10', a day '2026-10-05', an hour '2026-10-05T08' (with its offset, '2026-10-25T02+01:00', " +
  "where a clock change repeats it), a quarter '2026-Q4', a year '2026', or 'FROM..TO' with dates or ISO date-times ('2026-10-01..2026-10-16', " +
  "'2026-10-01T08:00..2026-10-01T20:00+08:00')";

/** A period text that cannot be read: the caller's input is wrong (a usage error, exit 2; never retried). */
export class PeriodError extends UsageError {
  override name = 'PeriodError';
}

function fail(spec: string, why: string): never {
  throw new PeriodError(`period '${spec}': ${why}; use ${FORMS}`);
}

const FMT = {
  hour: "yyyy-MM-dd'T'HH",
  day: 'yyyy-MM-dd',
  month: 'yyyy-MM',
  quarter: "yyyy-'Q'q",
  year: 'yyyy',
} as const;
const UNIT = { hour: 'hours', day: 'days', month: 'months', quarter: 'quarters', year: 'years' } as const;

export function parsePeriod(spec: string, timeZone: string): Period {
  if (!IANAZone.isValidZone(timeZone)) throw new PeriodError(`unknown time zone '${timeZone}'`);
  const s = spec.trim();
  let m = /^(\d{4})$/.exec(s);
  if (m) {
    const start = DateTime.fromObject({ year: +m[1]! }, { zone: timeZone });
    if (!start.isValid) fail(spec, `'${s}' is not a valid year`);
    return calendar('year', start, timeZone);
  }
  m = /^(\d{4})-Q(\d)$/.exec(s);
  if (m) {
    if (+m[2]! < 1 || +m[2]! > 4) fail(spec, `'${s}' is not a valid quarter (Q1 to Q4)`);
    const start = DateTime.fromObject({ year: +m[1]!, month: 3 * (+m[2]! - 1) + 1 }, { zone: timeZone });
    return calendar('quarter', start, timeZone);
  }
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) {
    const start = DateTime.fromObject({ year: +m[1]!, month: +m[2]! }, { zone: timeZone });
    if (!start.isValid) fail(spec, `'${s}' is not a valid month`);
    return calendar('month', start.startOf('month'), timeZone);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) {
    const start = DateTime.fromObject({ year: +m[1]!, month: +m[2]!, day: +m[3]! }, { zone: timeZone });
    if (!start.isValid) fail(spec, `'${s}' is not a valid day`);
    return calendar('day', start.startOf('day'), timeZone);
  }
  m = /^(\d{4}-\d{2}-\d{2})T(\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(s);
  if (m) return calendar('hour', parseHour(spec, m[1]!, m[2]!, m[3], timeZone), timeZone);
  const parts = s.split('..');
  if (parts.length === 2) {
    const a = parseInstant(parts[0]!, timeZone, spec);
    const b = parseInstant(parts[1]!, timeZone, spec);
    if (b.toMillis() <= a.toMillis()) fail(spec, 'TO is not after FROM');
    return { label: s, kind: 'range', startMs: a.toMillis(), endMs: b.toMillis(), timeZone };
  }
  fail(spec, 'unrecognised form');
}

/** A local hour; where a clock change makes it ambiguous, its offset must say which. */
function parseHour(
  spec: string,
  date: string,
  hour: string,
  offset: string | undefined,
  zone: string,
): DateTime {
  const text = `${date}T${hour}`;
  if (+hour > 23) fail(spec, `'${text}' is not a valid hour`);
  if (offset !== undefined) {
    const dt = DateTime.fromISO(`${text}:00${offset}`, { zone });
    if (!dt.isValid) fail(spec, `'${text}' is not a valid hour`);
    if (dt.toFormat(FMT.hour) !== text || dt.minute !== 0)
      fail(spec, `${offset} is not the offset of ${zone} at ${text}`);
    return dt;
  }
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const dt = DateTime.fromObject({ year: y, month: mo, day: d, hour: +hour }, { zone });
  if (!dt.isValid) fail(spec, `'${text}' is not a valid hour`);
  if (dt.toFormat(FMT.hour) !== text) fail(spec, `${text} does not exist in ${zone} (the clocks skip it)`);
  if (hourLabel(dt) !== text) {
    const first = dt.minus({ hours: 1 }).toFormat(FMT.hour) === text ? dt.minus({ hours: 1 }) : dt;
    const second = first.plus({ hours: 1 });
    fail(
      spec,
      `${text} occurs twice in ${zone} (the clocks go back); say which: '${hourLabel(first)}' or '${hourLabel(second)}'`,
    );
  }
  return dt;
}

function parseInstant(text: string, zone: string, spec: string): DateTime {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text))
    fail(spec, `'${text}' is not a date or ISO date-time`);
  const dt = DateTime.fromISO(text, { zone });
  if (!dt.isValid) fail(spec, `'${text}' is not a valid date or date-time`);
  return dt;
}

/** The calendar period of the given kind that starts at `start` (a local boundary). */
function calendar(kind: CalendarKind, start: DateTime, timeZone: string): Period {
  return {
    label: kind === 'hour' ? hourLabel(start) : start.toFormat(FMT[kind]),
    kind,
    startMs: start.toMillis(),
    endMs: start.plus({ [UNIT[kind]]: 1 }).toMillis(),
    timeZone,
  };
}

/** '2026-10-05T08'; an hour the clocks repeat carries its offset: '2026-10-25T02+02:00', '2026-10-25T02+01:00'. */
function hourLabel(dt: DateTime): string {
  const plain = dt.toFormat(FMT.hour);
  // the local hour as a number (what the wall clock shows, in whole hours since the epoch)
  const wallHour = (ms: number) => Math.floor((ms + dt.zone.offset(ms) * 60_000) / 3_600_000);
  const ms = dt.toMillis();
  const h = wallHour(ms);
  return wallHour(ms - 3_600_000) === h || wallHour(ms + 3_600_000) === h ? plain + dt.toFormat('ZZ') : plain;
}

/**
 * Sub-periods covering p exactly, in order. Whole hours, days, months, quarters or years keep their calendar labels; partial pieces
 * at the ends of p become ranges labelled 'FROM..TO' in local ISO date-times with offsets.
 */
export function splitPeriod(p: Period, into: CalendarKind): Period[] {
  const out: Period[] = [];
  const zone = p.timeZone;
  let cur = DateTime.fromMillis(p.startMs, { zone }).startOf(into);
  while (cur.toMillis() < p.endMs) {
    const whole = calendar(into, cur, zone);
    if (whole.startMs >= p.startMs && whole.endMs <= p.endMs) out.push(whole);
    else out.push(range(Math.max(whole.startMs, p.startMs), Math.min(whole.endMs, p.endMs), zone));
    cur = cur.plus({ [UNIT[into]]: 1 });
  }
  return out;
}

/** The calendar period of a kind that holds the instant ms. */
export function periodHolding(ms: number, kind: CalendarKind, timeZone: string): Period {
  return calendar(kind, DateTime.fromMillis(ms, { zone: timeZone }).startOf(kind), timeZone);
}

/**
 * A calendar period moved by whole years and/or whole periods of its own kind: `{ years: -1 }` is the same period a
 * year earlier (2025-10 for 2026-10), `{ periods: -1 }` the one before (2026-09). Null for a range.
 */
export function shiftPeriod(p: Period, by: { years?: number; periods?: number }): Period | null {
  if (p.kind === 'range') return null;
  const start = DateTime.fromMillis(p.startMs, { zone: p.timeZone }).plus({
    years: by.years ?? 0,
    [UNIT[p.kind]]: by.periods ?? 0,
  });
  return calendar(p.kind, start.startOf(p.kind), p.timeZone);
}

/** The range [startMs, endMs) as a period labelled 'FROM..TO' in local ISO date-times with offsets. */
export function range(startMs: number, endMs: number, timeZone: string): Period {
  const iso = (ms: number) =>
    DateTime.fromMillis(ms, { zone: timeZone }).toISO({ suppressMilliseconds: true });
  return { label: `${iso(startMs)}..${iso(endMs)}`, kind: 'range', startMs, endMs, timeZone };
}

/** [startMs, every cut strictly inside, endMs], sorted and unique ([startMs] alone when the range is empty). */
export function splitPoints(startMs: number, endMs: number, cutsMs: readonly number[]): number[] {
  if (!(endMs >= startMs)) throw new RangeError(`splitPoints: endMs ${endMs} is before startMs ${startMs}`);
  if (endMs === startMs) return [startMs];
  const inside = [...new Set(cutsMs.filter((c) => c > startMs && c < endMs))].sort((a, b) => a - b);
  return [startMs, ...inside, endMs];
}

/**
 * A stable key for a period: zone, kind and label; a range is keyed by its instants, so that two spellings of the
 * same range share a key.
 */
export function periodKey(p: Period): string {
  if (p.kind !== 'range') return `${p.timeZone}|${p.kind}|${p.label}`;
  const iso = (ms: number) => new Date(ms).toISOString();
  return `${p.timeZone}|range|${iso(p.startMs)}..${iso(p.endMs)}`;
}
