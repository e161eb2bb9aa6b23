/** The hash chain on its own: canonical encoding, the hash, and each way verifyChain names the first bad entry. */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../config/canonical-json.ts';
import { entryHash, GENESIS, verifyChain } from './chain.ts';
import type { AuditEntry } from './port.ts';

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prevHash = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      seq,
      atMs: 1_000 * seq,
      action: seq % 2 ? 'lock' : 'reopen',
      period: '2026-10',
      by: 'x',
      reason: `r${seq}`,
      detail: seq === 2 ? { a: 1 } : null,
      prevHash,
    };
    const e = { ...fields, hash: entryHash(fields) };
    out.push(e);
    prevHash = e.hash;
  }
  return out;
}
const headOf = (es: AuditEntry[]) => ({ seq: es.at(-1)?.seq ?? 0, hash: es.at(-1)?.hash ?? GENESIS });

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"x":2,"y":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: undefined } as never)).toBe('{"a":1}');
    expect(canonicalJson('电表/1')).toBe('"电表/1"');
  });
  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/not JSON/);
  });
});

describe('entryHash', () => {
  it('is 64 hex digits and changes with every field', () => {
    const [e] = chain(1);
    if (!e) throw new Error('no entry');
    const { hash, ...fields } = e;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const variants = [
      { seq: 2 },
      { atMs: 1001 },
      { action: 'reopen' },
      { period: null },
      { period: '2026-11' },
      { by: 'y' },
      { reason: 'r' },
      { detail: {} },
      { prevHash: 'f'.repeat(64) },
    ];
    for (const v of variants) expect(entryHash({ ...fields, ...v })).not.toBe(hash);
    expect(entryHash({ ...fields })).toBe(hash);
  });
  it('does not depend on the key order of detail', () => {
    const [e] = chain(1);
    if (!e) throw new Error('no entry');
    expect(entryHash({ ...e, detail: { a: 1, b: 2 } })).toBe(entryHash({ ...e, detail: { b: 2, a: 1 } }));
  });
});

describe('verifyChain', () => {
  it('passes an intact chain and the empty one', () => {
    const es = chain(5);
    expect(verifyChain(es, headOf(es))).toEqual({ ok: true, checked: 5 });
    expect(verifyChain([], { seq: 0, hash: GENESIS })).toEqual({ ok: true, checked: 0 });
  });
  it('names an edited entry', () => {
    const es = chain(5);
    es[2] = { ...(es[2] as AuditEntry), reason: 'other' };
    expect(verifyChain(es, headOf(chain(5)))).toEqual({
      ok: false,
      checked: 2,
      firstBad: { seq: 3, reason: expect.stringMatching(/edited/) },
    });
  });
  it('names the entry after a gap, and says which are missing', () => {
    const es = chain(6);
    const head = headOf(es);
    expect(verifyChain([...es.slice(0, 2), ...es.slice(4)], head).firstBad).toEqual({
      seq: 5,
      reason: expect.stringMatching(/entry 3\.\.4 is missing/),
    });
  });
  it('finds entries deleted at the end through the head', () => {
    const es = chain(4);
    expect(verifyChain(es.slice(0, 3), headOf(es))).toMatchObject({
      ok: false,
      checked: 3,
      firstBad: { seq: 4 },
    });
    expect(verifyChain([], headOf(es))).toMatchObject({ ok: false, firstBad: { seq: 1 } });
  });
  it('finds entries out of order or duplicated', () => {
    const es = chain(4);
    const [a, b, c, d] = es as [AuditEntry, AuditEntry, AuditEntry, AuditEntry];
    expect(verifyChain([a, c, b, d], headOf(es)).firstBad?.seq).toBe(3);
    expect(verifyChain([a, b, b, c, d], headOf(es)).firstBad).toEqual({
      seq: 2,
      reason: expect.stringMatching(/reordered or duplicated/),
    });
  });
  it('finds an entry replaced by a self-consistent forgery at the link after it', () => {
    const es = chain(3);
    const second = es[1] as AuditEntry;
    const forged = { ...second, reason: 'forged' };
    es[1] = { ...forged, hash: entryHash(forged) };
    expect(verifyChain(es, headOf(chain(3))).firstBad).toEqual({
      seq: 3,
      reason: expect.stringMatching(/prevHash/),
    });
  });
  it('finds a head that was edited', () => {
    const es = chain(2);
    expect(verifyChain(es, { seq: 2, hash: GENESIS }).ok).toBe(false);
  });
});
