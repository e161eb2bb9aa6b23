/**
 * The contract every SeriesStore passes (embedded, InfluxDB 1.x, InfluxDB through the v2 API): one suite, run
 * against each implementation with a fresh store per test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SeriesStore } from './port.ts';

export interface StoreFixture {
  store: SeriesStore;
  cleanup: () => Promise<void>;
}

const T = Date.UTC(2026, 9, 1); // 2026-10-01T00:00Z
const DAY = 86_400_000;

export function storeContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`SeriesStore contract: ${name}`, () => {
    let fx: StoreFixture;
    let store: SeriesStore;
    beforeEach(async () => {
      fx = await makeStore();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('reads back what was written, sorted, in a half-open range', async () => {
      await store.write([
        { signal: 'E-1', timeMs: T + 2000, value: 3 },
        { signal: 'E-1', timeMs: T, value: 1 },
        { signal: 'E-1', timeMs: T + 1000, value: 2 },
        { signal: 'E-2', timeMs: T, value: 9 },
      ]);
      const r = await store.readRange('E-1', T, T + 2000);
      expect([...r.times]).toEqual([T, T + 1000]);
      expect([...r.values]).toEqual([1, 2]);
      expect([...(await store.readRange('E-1', T - 1, T + 2001)).values]).toEqual([1, 2, 3]);
    });

    it('a write at the same signal and time overwrites (a replay never doubles)', async () => {
      await store.write([{ signal: 'E-1', timeMs: T, value: 1 }]);
      await store.write([{ signal: 'E-1', timeMs: T, value: 5 }]);
      expect(await store.count('E-1', T - DAY, T + DAY)).toBe(1);
      expect([...(await store.readRange('E-1', T, T + 1)).values]).toEqual([5]);
    });

    it('keeps millisecond timestamps and fractional values', async () => {
      await store.write([{ signal: 'E-1', timeMs: T + 1, value: 0.1 + 0.2 }]);
      const r = await store.readRange('E-1', T, T + 2);
      expect([...r.times]).toEqual([T + 1]);
      expect(r.values[0]).toBe(0.1 + 0.2);
    });

    it('lastAtOrBefore and firstAtOrAfter are inclusive and cross months and gaps', async () => {
      await store.write([
        { signal: 'E-1', timeMs: T - 40 * DAY, value: 1 }, // August
        { signal: 'E-1', timeMs: T, value: 2 },
        { signal: 'E-1', timeMs: T + 100 * DAY, value: 3 }, // January 2027
      ]);
      expect(await store.lastAtOrBefore('E-1', T)).toEqual({ timeMs: T, value: 2 });
      expect(await store.lastAtOrBefore('E-1', T - 1)).toEqual({ timeMs: T - 40 * DAY, value: 1 });
      expect(await store.lastAtOrBefore('E-1', T - 41 * DAY)).toBeNull();
      expect(await store.firstAtOrAfter('E-1', T)).toEqual({ timeMs: T, value: 2 });
      expect(await store.firstAtOrAfter('E-1', T + 1)).toEqual({ timeMs: T + 100 * DAY, value: 3 });
      expect(await store.firstAtOrAfter('E-1', T + 101 * DAY)).toBeNull();
      expect(await store.lastAtOrBefore('E-1', T + 1000 * DAY)).toEqual({ timeMs: T + 100 * DAY, value: 3 });
    });

    it('counts readings in a half-open range across months', async () => {
      const pts = Array.from({ length: 90 }, (_, i) => ({
        signal: 'E-1',
        timeMs: T - 30 * DAY + i * DAY,
        value: i,
      }));
      await store.write(pts);
      expect(await store.count('E-1', T - 30 * DAY, T + 60 * DAY)).toBe(90);
      expect(await store.count('E-1', T, T + DAY)).toBe(1);
      expect(await store.count('E-1', T + DAY, T)).toBe(0);
    });

    it('unknown signals read as empty', async () => {
      expect((await store.readRange('nope', T, T + DAY)).times.length).toBe(0);
      expect(await store.lastAtOrBefore('nope', T)).toBeNull();
      expect(await store.firstAtOrAfter('nope', T)).toBeNull();
      expect(await store.count('nope', T, T + DAY)).toBe(0);
    });

    it('signal ids with / . : spaces, quotes and Chinese characters, each its own series', async () => {
      const ids = ['a/b', '..', 'x.y:z', 'with space', "it's", '电表-1', 'E-1'];
      await store.write(ids.map((signal, i) => ({ signal, timeMs: T, value: i })));
      expect(await store.signals()).toEqual([...ids].sort());
      for (const [i, id] of ids.entries())
        expect([...(await store.readRange(id, T, T + 1)).values]).toEqual([i]);
    });

    it('holds many signals', async () => {
      const pts = [];
      for (let s = 0; s < 200; s++)
        for (let k = 0; k < 10; k++) pts.push({ signal: `M${s}`, timeMs: T + k * 60_000, value: s + k });
      await store.write(pts);
      expect((await store.signals()).length).toBe(200);
      expect([...(await store.readRange('M123', T, T + DAY)).values]).toEqual(
        Array.from({ length: 10 }, (_, k) => 123 + k),
      );
    });
  });
}
