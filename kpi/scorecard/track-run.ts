/**
 * Target tracking from the store: for every target that applies to a period (its own, or an annual or quarterly
 * target holding it), the engine runs it needs — the period, the year to date, the target period to date, the same
 * period a year earlier and the period before — each once (runs.ts), then the arithmetic of track.ts.
 */
import { type Period, periodHolding, range, shiftPeriod } from '../../transforms/periods.ts';
import type { Plant } from '../plant.ts';
import type { PeriodResult } from '../rows.ts';
import type { Runs } from './runs.ts';
import { type Reading, type TrackedTarget, targetPeriodFor, trackRow } from './track.ts';

/** [startMs, period end) as the period itself when it is the same span, else as a range. */
function toDate(startMs: number, period: Period): Period {
  return startMs === period.startMs ? period : range(startMs, period.endMs, period.timeZone);
}

function reading(r: PeriodResult | null, kpi: string, type: string, id: string): Reading {
  // a run over a span without a single reading says nothing (its zeros are not a quiet month)
  if (r === null || r.quality.every((q) => q.present === 0)) return { value: null };
  const row = r.kpis.find((k) => k.kpi === kpi && k.scope_type === type && k.scope_id === id);
  return row ? { value: row.value, unit: row.unit, provisional: row.provisional } : { value: null };
}

export async function trackTargets(runs: Runs, plant: Plant, period: Period): Promise<TrackedTarget[]> {
  const applying = plant.targets.flatMap((t) => {
    const tp = targetPeriodFor(t, period);
    return tp ? [{ t, tp }] : [];
  });
  if (applying.length === 0) return [];
  const maybe = (p: Period | null) => (p ? runs(p) : Promise.resolve(null));
  const year = periodHolding(period.endMs - 1, 'year', period.timeZone);
  const [now, ytd, prevYear, prevPeriod] = await Promise.all([
    runs(period),
    runs(toDate(Math.min(year.startMs, period.startMs), period)),
    maybe(shiftPeriod(period, { years: -1 })),
    maybe(shiftPeriod(period, { periods: -1 })),
  ]);
  const out: TrackedTarget[] = [];
  for (const { t, tp } of applying) {
    const at = (r: PeriodResult | null) => reading(r, t.kpi, t.scope.type, t.scope.id);
    const sofar = await runs(toDate(tp.startMs, period));
    out.push(
      trackRow(t, period, tp, {
        actual: at(now),
        ytd: at(ytd),
        toDate: at(sofar),
        prevYear: at(prevYear),
        prevPeriod: at(prevPeriod),
      }),
    );
  }
  return out;
}
