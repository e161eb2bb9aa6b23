/** How readings sit in the spool: one record = a JSON array of compact readings [signal, timeMs, value, quality?]. */
import type { Reading } from '../../store/port.ts';

/** JSON-quoted signal ids, built once each (signals are bounded by the plant config) */
const quoted = new Map<string, string>();

export function encodeReadings(readings: readonly Reading[]): Buffer {
  // the same text JSON.stringify gives, without an array per reading
  let out = '[';
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    let q = quoted.get(r.signal);
    if (q === undefined) {
      q = JSON.stringify(r.signal);
      if (quoted.size < 100_000) quoted.set(r.signal, q);
    }
    const v = Number.isFinite(r.value) ? String(r.value) : 'null';
    const t = Number.isFinite(r.timeMs) ? String(r.timeMs) : 'null';
    const quality = r.quality && r.quality !== 'Good' ? `,${JSON.stringify(r.quality)}` : '';
    out += `${i === 0 ? '' : ','}[${q},${t},${v}${quality}]`;
  }
  return Buffer.from(`${out}]`);
}

export function decodeReadings(buf: Buffer): Reading[] {
  const raw = JSON.parse(buf.toString('utf8')) as [string, number, number, string?][];
  return raw.map(([signal, timeMs, value, quality]) =>
    quality ? { signal, timeMs, value, quality } : { signal, timeMs, value },
  );
}
