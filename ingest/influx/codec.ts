/** How readings sit in the spool: one record = a JSON array of compact readings [signal, timeMs, value, quality?]. */
import type { Reading } from './line-protocol.ts';

export function encodeReadings(readings: readonly Reading[]): Buffer {
  return Buffer.from(
    JSON.stringify(
      readings.map((r) =>
        r.quality && r.quality !== 'Good'
          ? [r.signal, r.timeMs, r.value, r.quality]
          : [r.signal, r.timeMs, r.value],
      ),
    ),
  );
}

export function decodeReadings(buf: Buffer): Reading[] {
  const raw = JSON.parse(buf.toString('utf8')) as [string, number, number, string?][];
  return raw.map(([signal, timeMs, value, quality]) =>
    quality ? { signal, timeMs, value, quality } : { signal, timeMs, value },
  );
}
