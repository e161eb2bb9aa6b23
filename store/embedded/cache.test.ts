import { describe, expect, it } from 'vitest';
import { PartitionCache } from './cache.ts';

const series = (n: number) => ({ times: new Float64Array(n), values: new Float64Array(n) });

describe('partition cache', () => {
  it('serves an entry only for the identity it was read under', () => {
    const c = new PartitionCache();
    const s = series(1);
    c.set('f', 'ino1', s);
    expect(c.get('f', 'ino1')).toBe(s);
    expect(c.get('f', 'ino2')).toBeUndefined();
    expect(c.get('f', 'ino1')).toBeUndefined(); // dropped once seen stale
    expect(c.size).toBe(0);
    expect(c.sizeBytes).toBe(0);
  });

  it('keeps at most maxPartitions, dropping the least recently used', () => {
    const c = new PartitionCache({ maxPartitions: 2, maxBytes: 1e9 });
    c.set('a', 'x', series(1));
    c.set('b', 'x', series(1));
    c.get('a', 'x');
    c.set('c', 'x', series(1));
    expect(c.get('b', 'x')).toBeUndefined();
    expect(c.get('a', 'x')).toBeDefined();
    expect(c.get('c', 'x')).toBeDefined();
    expect(c.size).toBe(2);
  });

  it('keeps at most maxBytes, and never an entry larger than that', () => {
    const c = new PartitionCache({ maxPartitions: 100, maxBytes: 1000 });
    c.set('a', 'x', series(20)); // 320 bytes
    c.set('b', 'x', series(20));
    c.set('c', 'x', series(20));
    expect(c.sizeBytes).toBe(960);
    c.set('d', 'x', series(20));
    expect(c.get('a', 'x')).toBeUndefined();
    expect(c.sizeBytes).toBe(960);
    c.set('huge', 'x', series(100));
    expect(c.get('huge', 'x')).toBeUndefined();
    expect(c.sizeBytes).toBe(960);
  });
});
