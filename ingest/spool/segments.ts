/**
 * On-disk record format of the spool: append-only segment files of framed records.
 * Frame: magic u32 'PKSP' | payload length u32 | crc32 of payload u32 | payload bytes. Little-endian.
 * A torn tail (SIGKILL during a write) or a damaged record is found by length and checksum; reading resyncs at the
 * next magic, so one bad record never hides the ones after it.
 */
import { crc32 } from 'node:zlib';

export const MAGIC = 0x50534b50; // 'PKSP' little-endian
export const HEADER_BYTES = 12;
/** a single record may not exceed this (protects against a garbage length) */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(payload.length, 4);
  out.writeUInt32LE(crc32(payload), 8);
  payload.copy(out, HEADER_BYTES);
  return out;
}

export interface ScannedRecord {
  /** byte offset of the frame in the segment */
  offset: number;
  /** byte offset just after it */
  end: number;
  payload: Buffer;
}

export interface ScanResult {
  records: ScannedRecord[];
  /** offset after the last good record: anything beyond is a torn tail */
  goodEnd: number;
  /** damaged records skipped (bad checksum or length) */
  damaged: number;
}

/**
 * Reads the intact records of a segment from `from`, skipping damaged ones, at most maxRecords. With `partial`, the
 * buffer is a chunk of a longer file: a record running past its end is not damage, the scan just stops there.
 */
export function scan(
  buf: Buffer,
  from = 0,
  maxRecords = Number.POSITIVE_INFINITY,
  partial = false,
): ScanResult {
  const records: ScannedRecord[] = [];
  let damaged = 0;
  let pos = from;
  let goodEnd = from;
  while (pos + HEADER_BYTES <= buf.length && records.length < maxRecords) {
    if (buf.readUInt32LE(pos) !== MAGIC) {
      const next = buf.indexOf(magicBytes, pos + 1);
      if (next < 0) break;
      damaged++;
      pos = next;
      continue;
    }
    const len = buf.readUInt32LE(pos + 4);
    const end = pos + HEADER_BYTES + len;
    if (partial && len <= MAX_RECORD_BYTES && end > buf.length) break; // the rest is in the next chunk
    if (len > MAX_RECORD_BYTES || end > buf.length) {
      // a torn tail when nothing follows; else damage: look for the next frame
      const next = buf.indexOf(magicBytes, pos + 1);
      if (next < 0) break;
      damaged++;
      pos = next;
      continue;
    }
    const payload = buf.subarray(pos + HEADER_BYTES, end);
    if (crc32(payload) !== buf.readUInt32LE(pos + 8)) {
      const next = buf.indexOf(magicBytes, pos + 1);
      damaged++;
      if (next < 0) break;
      pos = next;
      continue;
    }
    records.push({ offset: pos, end, payload });
    pos = end;
    goodEnd = end;
  }
  return { records, goodEnd, damaged };
}

const magicBytes = (() => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(MAGIC, 0);
  return b;
})();

export function segmentName(seq: number): string {
  return `seg-${String(seq).padStart(12, '0')}.log`;
}

export function parseSegmentName(name: string): number | null {
  const m = /^seg-(\d{12})\.log$/.exec(name);
  return m ? Number(m[1]) : null;
}
