/** One KPI run: stream each signal's readings through the store port into amounts, then compute (pure). */
import { hasAggregates, type SeriesStore } from '../store/port.ts';
import { type Period, parsePeriod, splitPeriod } from '../transforms/periods.ts';
import { isQuantity, physicalAmounts, type SignalAmounts, withVirtual } from './amounts.ts';
import { computeFromAmounts, periodPoints } from './engine.ts';
import { loadSignal, type PeriodData } from './load.ts';
import type { Plant } from './plant.ts';
import { pushdownCounters } from './pushdown.ts';
import type { PeriodResult } from './rows.ts';

/** Signals read at once; each is reduced to its amounts right away, so memory holds a few signal-periods. */
const READ_CONCURRENCY = 8;

export async function runPeriod(
  store: SeriesStore,
  plant: Plant,
  periodSpec: string | Period,
): Promise<PeriodResult> {
  const period = typeof periodSpec === 'string' ? parsePeriod(periodSpec, plant.timeZone) : periodSpec;
  const points = periodPoints(plant, period);
  const physical = new Map<string, SignalAmounts>();
  const others: PeriodData = new Map();
  let ids = [...plant.signals.keys()].filter((id) => plant.signals.get(id)!.kind !== 'virtual');
  if (hasAggregates(store)) {
    // counters settle from aggregates computed where the data is; only the rest is read in full
    const pushed = await pushdownCounters(plant, store, period, points, ids);
    for (const [id, a] of pushed.amounts) physical.set(id, a);
    ids = ids.filter((id) => !pushed.amounts.has(id));
  }
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const series = await loadSignal(store, id, period.startMs, period.endMs);
      if (isQuantity(plant.signals.get(id)!.kind))
        physical.set(id, physicalAmounts(plant, id, series, points));
      else others.set(id, series);
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  // a stable order, whatever order the reads finished in
  const ordered = new Map([...physical].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return computeFromAmounts(plant, withVirtual(plant, ordered, points), others, period, points);
}

/** Each local day of a period (a month's days for its export's daily sheet), computed as `runPeriod` does. */
export async function runDays(store: SeriesStore, plant: Plant, period: Period): Promise<PeriodResult[]> {
  const days: PeriodResult[] = [];
  for (const d of splitPeriod(period, 'day')) days.push(await runPeriod(store, plant, d));
  return days;
}
