/**
 * The InfluxDB schema of plantkpi, in one place:
 *   measurement `reading`   tags: site, signal            fields: value (float), quality (string: Good or the OPC UA status)
 *   measurement `kpi`       tags: kpi, scope_type, scope_id, period_kind   fields: value, provisional (bool)
 * Tags are bounded by the plant config (signal ids, scopes), never by data values; the timestamp is the source time
 * in ms, so a replayed point overwrites itself. Quality is a field, not a tag, so that a reading re-sent with a
 * different status still overwrites the same point instead of forking a second series.
 */
import type { Reading } from '../port.ts';

export const READING_MEASUREMENT = 'reading';

const escTag = (s: string) => s.replace(/[,= \\]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
const escMeasurement = (s: string) => s.replace(/[, \\]/g, (c) => `\\${c}`);
const escString = (s: string) => s.replace(/["\\]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');

export function formatFloat(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`value ${v} is not finite`);
  return String(v);
}

/** `reading,site=..,signal=.. value=` per site and signal, built once (signals are bounded by the plant config) */
const prefixes = new Map<string, Map<string, string>>();

function seriesPrefix(site: string, signal: string): string {
  let bySignal = prefixes.get(site);
  if (bySignal === undefined) {
    bySignal = new Map();
    prefixes.set(site, bySignal);
  }
  let p = bySignal.get(signal);
  if (p === undefined) {
    p = `${READING_MEASUREMENT},site=${escTag(site)},signal=${escTag(signal)} value=`;
    if (bySignal.size < 100_000) bySignal.set(signal, p);
  }
  return p;
}

const GOOD = ',quality="Good" ';

export function readingLine(site: string, r: Reading): string {
  // quality is always written: a re-sent point replaces every field, so an old status never lingers
  const quality =
    r.quality === undefined || r.quality === 'Good' ? GOOD : `,quality="${escString(r.quality)}" `;
  return `${seriesPrefix(site, r.signal)}${formatFloat(r.value)}${quality}${Math.round(r.timeMs)}`;
}

/**
 * An integer field (`3i`). A plain number is written as a float; InfluxDB keeps the type a field was first written
 * with and rejects a later write of another type, so a field meant as an integer is always written through this.
 */
export interface IntegerField {
  integer: number;
}

export function integer(n: number): IntegerField {
  if (!Number.isSafeInteger(n)) throw new Error(`value ${n} is not an integer`);
  return { integer: n };
}

export interface LinePoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, number | string | boolean | IntegerField>;
  timeMs: number;
}

function fieldValue(v: number | string | boolean | IntegerField): string {
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return `"${escString(v)}"`;
  return `${v.integer}i`;
}

/** A general point: tags sorted (as InfluxDB recommends), float/integer/string/bool fields. */
export function pointLine(p: LinePoint): string {
  const tags = Object.keys(p.tags)
    .sort()
    .filter((k) => p.tags[k] !== '')
    .map((k) => `,${escTag(k)}=${escTag(p.tags[k]!)}`)
    .join('');
  const fields = Object.entries(p.fields)
    .map(([k, v]) => `${escTag(k)}=${fieldValue(v)}`)
    .join(',');
  return `${escMeasurement(p.measurement)}${tags} ${fields} ${Math.round(p.timeMs)}`;
}
