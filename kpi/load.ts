/** The only I/O of a KPI run: read, through the store port, the readings a period needs. */
import type { Series, SeriesStore } from '../store/port.ts';
import type { Plant } from './plant.ts';

export type PeriodData = Map<string, Series>;

/**
 * Readings of every configured signal in [startMs, endMs], plus the last reading before the start and the first
 * after the end, so that counters and rates can be evaluated (or interpolated) exactly at both boundaries.
 */
export async function loadPeriodData(
  store: SeriesStore,
  plant: Plant,
  startMs: number,
  endMs: number,
): Promise<PeriodData> {
  const out: PeriodData = new Map();
  for (const [id, s] of plant.signals) {
    if (s.kind === 'virtual') continue;
    out.set(id, await loadSignal(store, id, startMs, endMs));
  }
  return out;
}

export async function loadSignal(
  store: SeriesStore,
  id: string,
  startMs: number,
  endMs: number,
): Promise<Series> {
  const [inside, before, after] = await Promise.all([
    store.readRange(id, startMs, endMs + 1),
    store.lastAtOrBefore(id, startMs - 1),
    store.firstAtOrAfter(id, endMs + 1),
  ]);
  const n = inside.times.length + (before ? 1 : 0) + (after ? 1 : 0);
  if (n === inside.times.length) return inside;
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  let k = 0;
  if (before) {
    times[0] = before.timeMs;
    values[0] = before.value;
    k = 1;
  }
  times.set(inside.times, k);
  values.set(inside.values, k);
  if (after) {
    times[n - 1] = after.timeMs;
    values[n - 1] = after.value;
  }
  return { times, values };
}
