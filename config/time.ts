/** Parsing of config times: ISO 8601 with an offset, or without (then in the site's zone), or a date. */
import { DateTime, IANAZone } from 'luxon';

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

export function isIsoDateOrDateTime(text: string): boolean {
  if (!ISO.test(text)) return false;
  return DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}

/** Epoch ms of a config time; text without an offset is read in `timeZone`. Throws on invalid text. */
export function parseConfigTime(text: string, timeZone: string): number {
  const dt = DateTime.fromISO(text, { zone: timeZone });
  if (!ISO.test(text) || !dt.isValid) {
    throw new Error(`'${text}' is not an ISO 8601 date or date-time`);
  }
  return dt.toMillis();
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Local ISO text of an instant, e.g. 2026-10-16T00:00:00+08:00. */
export function formatLocal(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toISO({ suppressMilliseconds: true }) ?? String(ms);
}
