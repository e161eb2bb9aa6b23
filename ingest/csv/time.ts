/**
 * ISO 8601 times of the readings CSV (pure). `2026-10-01T00:00:00+08:00`, `...Z`, `+0800` and `+08` are read
 * directly; a time without an offset is read in a given IANA zone with luxon, else refused.
 */
import { IANAZone } from 'luxon';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export type TimeResult = { ms: number } | { error: string };

/** A zone for reading times that have no offset; throws naming the zone when it is not an IANA zone. */
export function timeZone(name: string): IANAZone {
  if (!IANAZone.isValidZone(name)) {
    throw new Error(`defaultTimeZone '${name}' is not an IANA time zone (e.g. Asia/Shanghai)`);
  }
  return IANAZone.create(name);
}

/** The wall-clock fields as if in UTC, or null when a field is out of range (2026-02-30, 24:10). */
function wallClockMs(m: RegExpExecArray): number | null {
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as number[];
  const fraction = m[7] ?? '';
  if (mo! < 1 || mo! > 12 || d! < 1 || h! > 23 || mi! > 59 || s! > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y!, mo! - 1, d!); // not Date.UTC, which reads years 0-99 as 1900-1999
  if (date.getUTCDate() !== d) return null; // 2026-02-30
  return (
    date.getTime() + h! * HOUR_MS + mi! * 60_000 + s! * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3))
  );
}

/**
 * The instant of a local wall-clock time in a zone. A time in the hour skipped when clocks go forward does not
 * exist and is refused; one in the hour repeated when they go back is read as the first of the two.
 */
function inZone(wallMs: number, zone: IANAZone, text: string): TimeResult {
  const candidates = new Set([
    zone.offset(wallMs - DAY_MS),
    zone.offset(wallMs),
    zone.offset(wallMs + DAY_MS),
  ]);
  const instants = [...candidates]
    .map((offsetMin) => wallMs - offsetMin * 60_000)
    .filter((ms) => wallMs - zone.offset(ms) * 60_000 === ms);
  if (instants.length === 0) {
    return { error: `time '${text}' does not exist in ${zone.name} (clocks moved forward over it)` };
  }
  return { ms: Math.min(...instants) };
}

/** Epoch ms of an ISO 8601 time; `zone` reads a time without an offset. Sub-millisecond digits are dropped. */
export function parseIsoTime(text: string, zone?: IANAZone): TimeResult {
  const m = ISO.exec(text);
  if (m === null) return { error: `time '${text}' is not ISO 8601 (e.g. 2026-10-01T00:00:00+08:00)` };
  const wallMs = wallClockMs(m);
  if (wallMs === null) return { error: `time '${text}' is not a valid date and time` };
  if (m[8] === 'Z') return { ms: wallMs };
  if (m[8] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11] ?? 0);
    if (oh > 23 || om > 59) return { error: `time '${text}' has an invalid offset` };
    const sign = m[9] === '-' ? -1 : 1;
    return { ms: wallMs - sign * (oh * HOUR_MS + om * 60_000) };
  }
  if (zone === undefined) {
    return { error: `time '${text}' has no offset (add one, e.g. +08:00, or give a default time zone)` };
  }
  return inZone(wallMs, zone, text);
}
