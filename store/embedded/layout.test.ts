import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSignalName,
  decodeSignal,
  encodeSignal,
  lowerBound,
  MAX_TIME_MS,
  MIN_TIME_MS,
  monthEndMs,
  monthOf,
  monthStartMs,
  parsePartitionFileName,
  partitionFileName,
  upperBound,
} from './layout.ts';

describe('signal folder names', () => {
  it('are reversible and safe for any id', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (id) => {
        const name = encodeSignal(id);
        expect(name).toMatch(/^[A-Za-z0-9_%-]+$/);
        expect(decodeSignal(name)).toBe(id);
      }),
    );
  });

  it('turn path tricks into plain names', () => {
    expect(encodeSignal('..')).toBe('%2E%2E');
    expect(encodeSignal('a/b')).toBe('a%2Fb');
    expect(encodeSignal('电表 1')).toBe('%E7%94%B5%E8%A1%A8%201');
    expect(encodeSignal("x(1)!~*'")).toBe('x%281%29%21%7E%2A%27');
  });

  it('decode only what this store wrote', () => {
    expect(decodeSignal('bad%zz')).toBeNull();
    expect(decodeSignal('a.b')).toBeNull(); // would be written a%2Eb
    expect(decodeSignal('%61')).toBeNull(); // would be written a
    expect(decodeSignal('')).toBeNull();
  });

  it('refuse an id too long to be a folder name', () => {
    expect(() => checkSignalName('x'.repeat(255))).not.toThrow();
    expect(() => checkSignalName('x'.repeat(256))).toThrow(/too long.*256 bytes/);
    expect(() => checkSignalName('电'.repeat(29))).toThrow(/too long/); // 9 bytes each once encoded
  });
});

describe('months', () => {
  it('name partitions by UTC month, with four-digit years', () => {
    expect(partitionFileName(monthOf(Date.UTC(2026, 9, 31, 23, 59, 59, 999)))).toBe('2026-10.arrow');
    expect(partitionFileName(monthOf(Date.UTC(2026, 10, 1)))).toBe('2026-11.arrow');
    expect(partitionFileName(monthOf(Date.parse('2026-11-01T07:59:59+08:00')))).toBe('2026-10.arrow');
    expect(partitionFileName(monthOf(0))).toBe('1970-01.arrow');
    expect(partitionFileName(monthOf(-1))).toBe('1969-12.arrow');
    expect(partitionFileName(monthOf(MIN_TIME_MS))).toBe('0000-01.arrow');
    expect(partitionFileName(monthOf(MAX_TIME_MS - 1))).toBe('9999-12.arrow');
    expect(partitionFileName(monthOf(Date.parse('0050-06-15T00:00:00Z')))).toBe('0050-06.arrow');
  });

  it('parse back only partition names', () => {
    expect(parsePartitionFileName('2026-10.arrow')).toBe(monthOf(Date.UTC(2026, 9, 1)));
    for (const name of [
      '2026-13.arrow',
      '2026-00.arrow',
      '2026-1.arrow',
      '.2026-10.arrow.1.x.tmp',
      'a.arrow',
    ]) {
      expect(parsePartitionFileName(name)).toBeNull();
    }
  });

  it('hold exactly the times from their start up to their end', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TIME_MS, max: MAX_TIME_MS - 1 }), (t) => {
        const m = monthOf(t);
        expect(monthStartMs(m)).toBeLessThanOrEqual(t);
        expect(monthEndMs(m)).toBeGreaterThan(t);
        expect(monthOf(monthStartMs(m))).toBe(m);
        expect(monthOf(monthEndMs(m) - 1)).toBe(m);
        expect(parsePartitionFileName(partitionFileName(m))).toBe(m);
      }),
    );
  });
});

describe('binary search', () => {
  it('finds the first time >= t and the first time > t', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 100 })),
        fc.integer({ min: -1, max: 101 }),
        (xs, t) => {
          const times = Float64Array.from(xs.sort((a, b) => a - b));
          expect(lowerBound(times, t)).toBe(xs.filter((x) => x < t).length);
          expect(upperBound(times, t)).toBe(xs.filter((x) => x <= t).length);
        },
      ),
    );
  });
});
