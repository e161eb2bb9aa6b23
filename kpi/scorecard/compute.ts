/**
 * The scorecard of a period from the store: the period's KPI and target rows, the targets tracked over the year
 * (track-run.ts), and for each key task with a KPI rule its owner's KPI in every period of the rule's kind from the
 * task's start to the period's end. Each period is computed once (runs.ts), whatever number of parts look at it.
 */
import type { SeriesStore } from '../../store/port.ts';
import { type Period, parsePeriod, splitPeriod } from '../../transforms/periods.ts';
import { savingsRuns } from '../baseline/period.ts';
import type { Plant } from '../plant.ts';
import type { PeriodResult } from '../rows.ts';
import { buildScorecard, type Scorecard } from './build.ts';
import type { ScorecardModel } from './model.ts';
import type { LedgerEntry } from './points.ts';
import type { Runs } from './runs.ts';
import type { HistoryPoint, ManualClosure } from './tasks.ts';
import { trackTargets } from './track-run.ts';

export interface ScorecardRecords {
  closures: readonly ManualClosure[];
  awards: readonly LedgerEntry[];
}

/** Whole calendar periods of a kind from the one holding fromMs to the last that ends by endMs. */
function periodsBetween(fromMs: number, endMs: number, kind: 'day' | 'month', timeZone: string): Period[] {
  if (endMs <= fromMs) return [];
  const range = parsePeriod(`${new Date(fromMs).toISOString()}..${new Date(endMs).toISOString()}`, timeZone);
  return splitPeriod(range, kind)
    .map((p) => (p.kind === 'range' ? calendarHolding(p.startMs, kind, timeZone) : p))
    .filter((p) => p.endMs <= endMs);
}

function calendarHolding(ms: number, kind: 'day' | 'month', timeZone: string): Period {
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms)); // 2026-10-16
  return parsePeriod(kind === 'month' ? local.slice(0, 7) : local, timeZone);
}

export async function computeScorecard(
  store: SeriesStore,
  plant: Plant,
  model: ScorecardModel,
  periodSpec: string | Period,
  records: ScorecardRecords,
  given?: PeriodResult,
  /** the runs to share with other calls on the same store (settle.ts computes twice); a fresh cache by default */
  runs?: Runs,
): Promise<{ scorecard: Scorecard; result: PeriodResult }> {
  const period = typeof periodSpec === 'string' ? parsePeriod(periodSpec, plant.timeZone) : periodSpec;
  const run = runs ?? savingsRuns(store, plant, given);
  const result = await run(period);
  const history = new Map<string, HistoryPoint[]>();
  for (const task of model.tasks) {
    if (!task.rule) continue;
    const points: HistoryPoint[] = [];
    for (const p of periodsBetween(task.fromMs, period.endMs, task.rule.every, plant.timeZone)) {
      const r = await run(p);
      const row = r.kpis.find(
        (k) => k.kpi === task.rule!.kpi && k.scope_type === task.owner.type && k.scope_id === task.owner.id,
      );
      points.push({
        period: p.label,
        startMs: p.startMs,
        endMs: p.endMs,
        value: row?.value ?? null,
        ...(row ? { unit: row.unit } : {}),
        provisional: row?.provisional ?? false,
      });
    }
    history.set(task.id, points);
  }
  const targets = await trackTargets(run, plant, period);
  return { scorecard: buildScorecard(plant, model, result, { history, targets, ...records }), result };
}
