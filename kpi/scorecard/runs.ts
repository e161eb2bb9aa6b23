/** Engine runs over the store, each period computed once however many parts of the scorecard ask for it. */
import type { SeriesStore } from '../../store/port.ts';
import type { Period } from '../../transforms/periods.ts';
import type { Plant } from '../plant.ts';
import type { PeriodResult } from '../rows.ts';
import { runPeriod } from '../run.ts';

export type Runs = (p: Period) => Promise<PeriodResult>;

/**
 * A cached runPeriod, keyed by the period's instants (so a month and the range that spells the same month share a
 * run); `given` is a result already at hand.
 */
export function cachedRuns(store: SeriesStore, plant: Plant, given?: PeriodResult): Runs {
  const cache = new Map<string, Promise<PeriodResult>>();
  return (p) => {
    const key = `${p.startMs}..${p.endMs}`;
    let r = cache.get(key);
    if (!r) {
      r =
        given && given.startMs === p.startMs && given.endMs === p.endMs
          ? Promise.resolve(given)
          : runPeriod(store, plant, p);
      cache.set(key, r);
    }
    return r;
  };
}
