/** Periods in local time (hour, day, month, custom range), their splitting, and cut points inside them. */
import { DateTime } from 'luxon';

export type PeriodKind = 'hour' | 'day' | 'month' | 'range';

export interface Period {
  label: string;
  kind: PeriodKind;
  startMs: number;
  endMs: number;
  timeZone: string;
}

const FORMS =
  "a month '2026-10', a day '2026-10-05', an hour '2026-10-05T08', or 'FROM..TO' (dates or ISO date-times)";

/** A period text that cannot be read: the caller's input is wrong. */
export class PeriodError extends Error {}

function fail(spec: string, why: string): never {
  throw new PeriodError(`period '${spec}': ${why}; use ${FORMS}`);
}

function parseInstant(text: string, zone: string, spec: string): DateTime {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text))
    fail(spec, `'${text}' is not a date or date-time`);
  const dt = DateTime.fromISO(text, { zone });
  if (!dt.isValid) fail(spec, `'${text}' is not a valid date or date-time`);
  return dt;
}

export function parsePeriod(spec: string, timeZone: string): Period {
  const s = spec.trim();
  let m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) {
    const start = DateTime.fromObject({ year: +m[1]!, month: +m[2]! }, { zone: timeZone });
    if (!start.isValid) fail(spec, 'not a valid month');
    return make(s, 'month', start, start.plus({ months: 1 }), timeZone);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) {
    const start = DateTime.fromObject({ year: +m[1]!, month: +m[2]!, day: +m[3]! }, { zone: timeZone });
    if (!start.isValid) fail(spec, 'not a valid day');
    return make(s, 'day', start, start.plus({ days: 1 }), timeZone);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/.exec(s);
  if (m) {
    const start = DateTime.fromObject(
      { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]! },
      { zone: timeZone },
    );
    if (!start.isValid) fail(spec, 'not a valid hour');
    return make(s, 'hour', start, start.plus({ hours: 1 }), timeZone);
  }
  const parts = s.split('..');
  if (parts.length === 2) {
    const a = parseInstant(parts[0]!, timeZone, spec);
    const b = parseInstant(parts[1]!, timeZone, spec);
    if (b.toMillis() <= a.toMillis()) fail(spec, 'TO is not after FROM');
    return make(s, 'range', a, b, timeZone);
  }
  fail(spec, 'unrecognised form');
}

function make(label: string, kind: PeriodKind, a: DateTime, b: DateTime, timeZone: string): Period {
  return { label, kind, startMs: a.toMillis(), endMs: b.toMillis(), timeZone };
}

const FMT: Record<'hour' | 'day' | 'month', string> = {
  hour: "yyyy-MM-dd'T'HH",
  day: 'yyyy-MM-dd',
  month: 'yyyy-MM',
};

/** Sub-periods covering p exactly; partial pieces at the ends become ranges. */
export function splitPeriod(p: Period, into: 'hour' | 'day' | 'month'): Period[] {
  const out: Period[] = [];
  const zone = p.timeZone;
  let cur = DateTime.fromMillis(p.startMs, { zone }).startOf(into);
  while (cur.toMillis() < p.endMs) {
    const next = cur.plus({ [`${into}s`]: 1 });
    const a = Math.max(cur.toMillis(), p.startMs);
    const b = Math.min(next.toMillis(), p.endMs);
    if (a === cur.toMillis() && b === next.toMillis())
      out.push(make(cur.toFormat(FMT[into]), into, cur, next, zone));
    else {
      const da = DateTime.fromMillis(a, { zone });
      const db = DateTime.fromMillis(b, { zone });
      const label = `${da.toISO({ suppressMilliseconds: true })}..${db.toISO({ suppressMilliseconds: true })}`;
      out.push(make(label, 'range', da, db, zone));
    }
    cur = next;
  }
  return out;
}

/** [start, every cut strictly inside, end], sorted and unique. */
export function splitPoints(startMs: number, endMs: number, cutsMs: readonly number[]): number[] {
  const inside = cutsMs.filter((c) => c > startMs && c < endMs);
  return [startMs, ...[...new Set(inside)].sort((a, b) => a - b), endMs];
}

export function periodKey(p: Period): string {
  return `${p.timeZone}|${p.kind}|${p.label}`;
}
