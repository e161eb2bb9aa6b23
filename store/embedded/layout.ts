/**
 * The on-disk names of the embedded store, as pure functions:
 * `DIR/series/<encoded signal>/<YYYY-MM>.arrow`, one partition per signal and UTC calendar month.
 */

/** Longest folder name most file systems take (ext4, NTFS, APFS: 255 bytes). */
const MAX_NAME_BYTES = 255;

/**
 * Reversible, file-system-safe folder name for a signal id: encodeURIComponent, and also `. ! ~ * ' ( )` escaped,
 * so that `.`, `..` and `a/b` are plain folder names. Letters keep their case (see README: case-insensitive file
 * systems).
 */
export function encodeSignal(id: string): string {
  return encodeURIComponent(id).replace(
    /[.!~*'()]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The signal id of a folder name, or null when the folder is not one this store wrote. */
export function decodeSignal(name: string): string | null {
  let id: string;
  try {
    id = decodeURIComponent(name);
  } catch {
    return null;
  }
  return id !== '' && encodeSignal(id) === name ? id : null;
}

/** Throws when a signal id cannot be a folder name on this store (empty, or too long once encoded). */
export function checkSignalName(id: string): void {
  const bytes = Buffer.byteLength(encodeSignal(id));
  if (bytes > MAX_NAME_BYTES) {
    throw new Error(
      `signal id '${id.slice(0, 60)}...' is too long for the embedded store (${bytes} bytes once encoded, at most ${MAX_NAME_BYTES}); use a shorter id`,
    );
  }
}

/** A UTC calendar month as one integer: year * 12 + month (0-based). */
export type MonthIndex = number;

/** 0000-01-01T00:00Z and 10000-01-01T00:00Z: partition names have four-digit years. */
export const MIN_TIME_MS = -62_167_219_200_000;
export const MAX_TIME_MS = 253_402_300_800_000;

export function monthOf(timeMs: number): MonthIndex {
  const d = new Date(timeMs);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** First millisecond of the month. */
export function monthStartMs(m: MonthIndex): number {
  const d = new Date(0);
  d.setUTCFullYear(Math.floor(m / 12), m % 12, 1); // not Date.UTC, which reads years 0-99 as 1900-1999
  return d.getTime();
}

/** First millisecond after the month. */
export function monthEndMs(m: MonthIndex): number {
  return monthStartMs(m + 1);
}

/** `2026-10.arrow` for October 2026. */
export function partitionFileName(m: MonthIndex): string {
  const y = String(Math.floor(m / 12)).padStart(4, '0');
  const mm = String((m % 12) + 1).padStart(2, '0');
  return `${y}-${mm}.arrow`;
}

/** The month of a partition file name, or null for any other file (temp files, strangers). */
export function parsePartitionFileName(name: string): MonthIndex | null {
  const m = /^(\d{4})-(\d{2})\.arrow$/.exec(name);
  if (m === null) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return Number(m[1]) * 12 + month - 1;
}

/** Index of the first time >= t in ascending times (times.length when none). */
export function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first time > t in ascending times (times.length when none). */
export function upperBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
