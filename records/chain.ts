/**
 * The audit log's hash chain, pure: the canonical encoding of an entry, its hash, and the walk that finds the first
 * entry that does not fit. No I/O; the store reads the rows and the head and hands them here.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../config/canonical-json.ts';
import type { AuditEntry, VerifyResult } from './port.ts';

/** The prevHash of entry 1. */
export const GENESIS = '0'.repeat(64);

/** The fields an entry's hash covers, in a fixed order (everything but the hash itself). */
export type HashedFields = Omit<AuditEntry, 'hash'>;

/** sha256 (hex) over the canonical encoding of seq, atMs, action, period, by, reason, detail and prevHash. */
export function entryHash(e: HashedFields): string {
  const text = canonicalJson([
    'plantkpi-audit-v1',
    e.seq,
    e.atMs,
    e.action,
    e.period,
    e.by,
    e.reason,
    e.detail,
    e.prevHash,
  ]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The head row: the seq and hash of the last entry appended, updated in the same transaction as the append. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Walks entries (ordered by seq) from entry 1: each must have the next seq, link to the hash before it and hash to
 * its own hash; the last must be the head. The first failure is named, with why.
 */
export function verifyChain(entries: readonly AuditEntry[], head: ChainHead): VerifyResult {
  let prev = { seq: 0, hash: GENESIS };
  let checked = 0;
  for (const e of entries) {
    const bad = (reason: string): VerifyResult => ({ ok: false, checked, firstBad: { seq: e.seq, reason } });
    if (e.seq !== prev.seq + 1)
      return bad(
        e.seq > prev.seq + 1
          ? `entry ${prev.seq + 1}${e.seq > prev.seq + 2 ? `..${e.seq - 1}` : ''} is missing (deleted)`
          : `seq ${e.seq} follows ${prev.seq} (reordered or duplicated)`,
      );
    if (e.prevHash !== prev.hash)
      return bad('its prevHash is not the hash of the entry before it (an entry was replaced or reordered)');
    if (entryHash(e) !== e.hash) return bad('its content does not match its hash (edited)');
    prev = { seq: e.seq, hash: e.hash };
    checked++;
  }
  if (head.seq !== prev.seq || head.hash !== prev.hash) {
    const seq = Math.min(head.seq, prev.seq + 1);
    const reason =
      head.seq > prev.seq
        ? `the log ends at entry ${prev.seq} but ${head.seq} were appended (entries at the end deleted)`
        : `the head records entry ${head.seq} but the log holds ${prev.seq} (the head was edited)`;
    return { ok: false, checked, firstBad: { seq, reason } };
  }
  return { ok: true, checked };
}
