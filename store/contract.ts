/**
 * The contract every SeriesStore passes (embedded, InfluxDB 1.x, InfluxDB through the v2 API): one suite, run
 * against each implementation with a fresh, empty store per test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading, SeriesStore } from './port.ts';

export interface StoreFixture {
  store: SeriesStore;
  cleanup: () => Promise<void>;
}

const OCT = Date.UTC(2026, 9, 1); // 2026-10-01T00:00Z
const NOV = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
const MIN = 60_000;

const pt = (signal: string, timeMs: number, value: number): Reading => ({ signal, timeMs, value });

export function storeContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`SeriesStore contract: ${name}`, () => {
    let fx: StoreFixture;
    let store: SeriesStore;
    beforeEach(async () => {
      fx = await makeStore();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.store.close();
      await fx.cleanup();
    });

    const read = async (signal: string, fromMs: number, toMs: number) => {
      const r = await store.readRange(signal, fromMs, toMs);
      expect(r.times.length).toBe(r.values.length);
      return { times: [...r.times], values: [...r.values] };
    };

    it('a fresh store is empty', async () => {
      expect(await store.signals()).toEqual([]);
      await store.write([]);
      expect(await store.signals()).toEqual([]);
    });

    it('reads back what was written out of order, ascending, in a half-open range', async () => {
      await store.write([pt('E-1', OCT + 2000, 3), pt('E-1', OCT, 1), pt('E-2', OCT, 9)]);
      await store.write([pt('E-1', OCT + 1000, 2), pt('E-1', OCT - 1000, 0)]);
      expect(await read('E-1', OCT, OCT + 2000)).toEqual({ times: [OCT, OCT + 1000], values: [1, 2] });
      expect((await read('E-1', OCT - 1000, OCT + 2001)).values).toEqual([0, 1, 2, 3]);
      expect((await read('E-1', OCT + 1, OCT + 1000)).values).toEqual([]);
      expect((await read('E-1', OCT + 1000, OCT + 1000)).values).toEqual([]);
      expect((await read('E-1', OCT + 2000, OCT)).values).toEqual([]);
      expect((await read('E-2', OCT, OCT + 1)).values).toEqual([9]);
    });

    it('reads a range across month partitions in order, the month edge belonging to the later month', async () => {
      const pts = [pt('E-1', NOV, 3), pt('E-1', NOV - 1, 2), pt('E-1', OCT - 1, 0), pt('E-1', OCT, 1)];
      await store.write(pts);
      expect(await read('E-1', OCT - DAY, NOV + DAY)).toEqual({
        times: [OCT - 1, OCT, NOV - 1, NOV],
        values: [0, 1, 2, 3],
      });
      expect((await read('E-1', OCT, NOV)).values).toEqual([1, 2]);
      expect((await read('E-1', NOV - 1, NOV + 1)).values).toEqual([2, 3]);
    });

    it('a write at the same signal and time overwrites: the value is replaced, the count unchanged', async () => {
      await store.write([pt('E-1', OCT - MIN, 0), pt('E-1', OCT, 1), pt('E-1', OCT + MIN, 2)]);
      await store.write([pt('E-1', OCT, 5)]);
      expect(await store.count('E-1', OCT - DAY, OCT + DAY)).toBe(3);
      expect((await read('E-1', OCT - DAY, OCT + DAY)).values).toEqual([0, 5, 2]);
      await store.write([pt('E-1', OCT - MIN, 0), pt('E-1', OCT, 5), pt('E-1', OCT + MIN, 2)]); // a replay
      expect(await store.count('E-1', OCT - DAY, OCT + DAY)).toBe(3);
      expect(await store.lastAtOrBefore('E-1', OCT)).toEqual({ timeMs: OCT, value: 5 });
    });

    it('within one write, the last of several readings at the same time wins', async () => {
      await store.write([pt('E-1', OCT, 1), pt('E-1', OCT + MIN, 7), pt('E-1', OCT, 2), pt('E-1', OCT, 3)]);
      expect(await read('E-1', OCT, OCT + DAY)).toEqual({ times: [OCT, OCT + MIN], values: [3, 7] });
    });

    it('keeps millisecond timestamps and exact fractional and negative values', async () => {
      const v = 0.1 + 0.2;
      await store.write([
        pt('E-1', OCT + 1, v),
        pt('E-1', OCT + 2, -1.5e-7),
        pt('E-1', OCT + 999, 123456789.125),
      ]);
      expect(await read('E-1', OCT, OCT + 1000)).toEqual({
        times: [OCT + 1, OCT + 2, OCT + 999],
        values: [v, -1.5e-7, 123456789.125],
      });
      expect(await store.count('E-1', OCT + 1, OCT + 2)).toBe(1);
      expect(await store.firstAtOrAfter('E-1', OCT + 3)).toEqual({ timeMs: OCT + 999, value: 123456789.125 });
    });

    it('lastAtOrBefore and firstAtOrAfter include the instant itself', async () => {
      await store.write([pt('E-1', OCT, 1), pt('E-1', OCT + MIN, 2)]);
      expect(await store.lastAtOrBefore('E-1', OCT)).toEqual({ timeMs: OCT, value: 1 });
      expect(await store.lastAtOrBefore('E-1', OCT + MIN - 1)).toEqual({ timeMs: OCT, value: 1 });
      expect(await store.lastAtOrBefore('E-1', OCT - 1)).toBeNull();
      expect(await store.firstAtOrAfter('E-1', OCT + MIN)).toEqual({ timeMs: OCT + MIN, value: 2 });
      expect(await store.firstAtOrAfter('E-1', OCT + 1)).toEqual({ timeMs: OCT + MIN, value: 2 });
      expect(await store.firstAtOrAfter('E-1', OCT + MIN + 1)).toBeNull();
    });

    it('lastAtOrBefore and firstAtOrAfter cross a month edge', async () => {
      await store.write([pt('E-1', NOV - 1, 1), pt('E-1', NOV + DAY, 2)]);
      expect(await store.lastAtOrBefore('E-1', NOV)).toEqual({ timeMs: NOV - 1, value: 1 });
      expect(await store.lastAtOrBefore('E-1', NOV + DAY - 1)).toEqual({ timeMs: NOV - 1, value: 1 });
      expect(await store.firstAtOrAfter('E-1', NOV)).toEqual({ timeMs: NOV + DAY, value: 2 });
      expect(await store.firstAtOrAfter('E-1', OCT)).toEqual({ timeMs: NOV - 1, value: 1 });
    });

    it('lastAtOrBefore and firstAtOrAfter skip gaps of several months', async () => {
      const aug = OCT - 61 * DAY + 5 * DAY; // 2026-08-05
      const jan = Date.UTC(2027, 0, 20);
      await store.write([pt('E-1', aug, 1), pt('E-1', OCT, 2), pt('E-1', jan, 3)]);
      expect(await store.lastAtOrBefore('E-1', OCT - 1)).toEqual({ timeMs: aug, value: 1 });
      expect(await store.lastAtOrBefore('E-1', jan - 1)).toEqual({ timeMs: OCT, value: 2 });
      expect(await store.lastAtOrBefore('E-1', aug - 1)).toBeNull();
      expect(await store.lastAtOrBefore('E-1', Date.UTC(2030, 0, 1))).toEqual({ timeMs: jan, value: 3 });
      expect(await store.firstAtOrAfter('E-1', aug + 1)).toEqual({ timeMs: OCT, value: 2 });
      expect(await store.firstAtOrAfter('E-1', OCT + 1)).toEqual({ timeMs: jan, value: 3 });
      expect(await store.firstAtOrAfter('E-1', Date.UTC(2020, 0, 1))).toEqual({ timeMs: aug, value: 1 });
      expect(await store.firstAtOrAfter('E-1', jan + 1)).toBeNull();
    });

    it('counts readings in a half-open range across months', async () => {
      await store.write(Array.from({ length: 90 }, (_, i) => pt('E-1', OCT - 30 * DAY + i * DAY, i)));
      expect(await store.count('E-1', OCT - 30 * DAY, OCT + 60 * DAY)).toBe(90);
      expect(await store.count('E-1', OCT - 30 * DAY, OCT + 59 * DAY)).toBe(89);
      expect(await store.count('E-1', OCT - 30 * DAY + 1, OCT + 60 * DAY)).toBe(89);
      expect(await store.count('E-1', OCT, NOV)).toBe(31);
      expect(await store.count('E-1', OCT, OCT + DAY)).toBe(1);
      expect(await store.count('E-1', OCT + DAY, OCT)).toBe(0);
      expect(await store.count('E-1', OCT, OCT)).toBe(0);
    });

    it('unknown signals read as empty', async () => {
      await store.write([pt('E-1', OCT, 1)]);
      expect(await read('nope', OCT - DAY, OCT + DAY)).toEqual({ times: [], values: [] });
      expect(await store.lastAtOrBefore('nope', OCT)).toBeNull();
      expect(await store.firstAtOrAfter('nope', OCT)).toBeNull();
      expect(await store.count('nope', OCT - DAY, OCT + DAY)).toBe(0);
      expect(await read('e-1', OCT - DAY, OCT + DAY)).toEqual({ times: [], values: [] }); // ids are exact
    });

    it('signal ids with / . : spaces, quotes, , = and Chinese characters are each their own series', async () => {
      const ids = [
        'a/b',
        'a',
        '..',
        '.',
        'x.y:z',
        'with space',
        "it's",
        '"q"',
        'k=v,w',
        '电表-1',
        '%41',
        'E-1',
      ];
      await store.write(ids.map((signal, i) => pt(signal, OCT + i, i)));
      expect(await store.signals()).toEqual([...ids].sort());
      for (const [i, id] of ids.entries()) {
        expect(await read(id, OCT - DAY, OCT + DAY)).toEqual({ times: [OCT + i], values: [i] });
        expect(await store.lastAtOrBefore(id, OCT + DAY)).toEqual({ timeMs: OCT + i, value: i });
      }
    });

    it('holds many signals, listed sorted', async () => {
      const pts: Reading[] = [];
      for (let s = 0; s < 200; s++) for (let k = 0; k < 10; k++) pts.push(pt(`M${s}`, OCT + k * MIN, s + k));
      await store.write(pts);
      const signals = await store.signals();
      expect(signals).toHaveLength(200);
      expect(signals).toEqual([...signals].sort());
      expect((await read('M123', OCT, OCT + DAY)).values).toEqual(
        Array.from({ length: 10 }, (_, k) => 123 + k),
      );
    });

    it('returns series the caller may change without changing the store', async () => {
      await store.write([pt('E-1', OCT, 1), pt('E-1', OCT + MIN, 2)]);
      const r = await store.readRange('E-1', OCT, OCT + DAY);
      r.values[0] = 99;
      r.times[1] = 0;
      expect(await read('E-1', OCT, OCT + DAY)).toEqual({ times: [OCT, OCT + MIN], values: [1, 2] });
    });
  });
}
