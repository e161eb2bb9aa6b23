/**
 * The savings a computed period carries as KPI rows (savings.*, baseline.*, in the baseline's scope), so the sink,
 * the boards and the exports read them like any KPI. The one way the jobs (kpi/jobs/worker.ts), `plantkpi kpi` and
 * `plantkpi export` get them; `plantkpi savings` shows the same computation with its model and notes.
 *
 * Which baselines a period carries (a baseline is fitted and applied per whole day or month):
 *   a day                       the day baselines: the day's savings and the fit (no running total, see below)
 *   a month, quarter or year    every baseline: the period's savings (its days or months added), the cumulative
 *                               savings since the scope's savings start, and the fit
 *   an hour, a FROM..TO range   none (ask `plantkpi savings` for a range)
 * A day leaves the cumulative savings to its month: a running total computed each day would run the engine over
 * every day since the savings start, every day.
 *
 * A baseline that cannot be fitted (no data in its baseline period, a singular regression: a DataError) gives no
 * rows and a note; the period's other KPIs are written and exported all the same. Anything else (the store out of
 * reach) fails as the period's computation would.
 */
import type { SeriesStore } from '../../store/port.ts';
import type { Period } from '../../transforms/periods.ts';
import { DataError, type Plant } from '../plant.ts';
import { compareRows, type KpiRow, type PeriodResult, type TargetRow } from '../rows.ts';
import { cachedRuns, type Runs } from '../scorecard/runs.ts';
import { targetRows } from '../targets.ts';
import type { Baseline } from './compile.ts';
import { computeSavings, type SavingsSources, savingsSources } from './stage.ts';

const COARSE = new Set(['month', 'quarter', 'year']);

/** The baselines whose savings a period of this kind carries. */
export function dueBaselines(plant: Pick<Plant, 'baselines'>, period: Pick<Period, 'kind'>): Baseline[] {
  if (COARSE.has(period.kind)) return [...plant.baselines];
  if (period.kind === 'day') return plant.baselines.filter((b) => b.granularity === 'day');
  return [];
}

export interface PeriodSavings {
  rows: KpiRow[];
  /** baselines left out, and why, said plainly */
  notes: string[];
}

/** The savings rows of a period, baseline by baseline (see the top of this file). */
export async function periodSavings(
  store: SeriesStore,
  plant: Plant,
  period: Period,
  /** the engine runs to share (one source for every baseline, and for every period of savingsRuns) */
  src: SavingsSources = savingsSources(store, plant),
): Promise<PeriodSavings> {
  const due = dueBaselines(plant, period);
  const out: PeriodSavings = { rows: [], notes: [] };
  if (due.length === 0) return out;
  const cumulative = period.kind !== 'day';
  for (const b of due) {
    try {
      out.rows.push(...(await computeSavings(src, plant, period, { baselines: [b], cumulative })).rows);
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      out.notes.push(`基准 baseline '${b.id}': no savings for ${period.label} (${err.message})`);
    }
  }
  return out;
}

/**
 * The period's result with its savings rows among its KPI rows (in the rows' order), and the notes. A target on a
 * savings KPI (`savings.tce` of a team, at least so much) is judged here, once its row exists: the engine judged it
 * `no_data` before the savings were known. The other target rows are kept as the engine made them.
 */
export async function withSavings(
  store: SeriesStore,
  plant: Plant,
  result: PeriodResult,
  period: Period,
  src?: SavingsSources,
): Promise<{ result: PeriodResult; notes: string[] }> {
  const s = await periodSavings(store, plant, period, src);
  if (s.rows.length === 0) return { result, notes: s.notes };
  const kpis = [...result.kpis, ...s.rows].sort(compareRows);
  const scope = (r: { kpi: string; scope_type: string; scope_id: string }) =>
    `${r.kpi}|${r.scope_type}|${r.scope_id}`;
  const bounds = (t: TargetRow) => `${scope(t)}|${t.target_max ?? ''}|${t.target_min ?? ''}`;
  const added = new Set(s.rows.map(scope));
  const judged = new Map(targetRows(plant.targets, period, kpis).map((t) => [bounds(t), t]));
  const targets = result.targets.map((t) => (added.has(scope(t)) ? (judged.get(bounds(t)) ?? t) : t));
  return { result: { ...result, kpis, targets }, notes: s.notes };
}

/**
 * Cached engine runs whose results carry their savings (and the targets on them judged), for the scorecard: a task
 * proved by a team's savings, a target on them tracked over the year. The baselines are fitted once for all periods.
 * `given` is a result at hand (with its savings already).
 */
export function savingsRuns(store: SeriesStore, plant: Plant, given?: PeriodResult): Runs {
  const plain = cachedRuns(store, plant, given);
  if (plant.baselines.length === 0) return plain;
  const src = savingsSources(store, plant);
  const cache = new Map<string, Promise<PeriodResult>>();
  return (p) => {
    const key = `${p.startMs}..${p.endMs}`;
    let r = cache.get(key);
    if (!r) {
      r =
        given && given.startMs === p.startMs && given.endMs === p.endMs
          ? Promise.resolve(given)
          : plain(p).then(async (res) => (await withSavings(store, plant, res, p, src)).result);
      cache.set(key, r);
    }
    return r;
  };
}
