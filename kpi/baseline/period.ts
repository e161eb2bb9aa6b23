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
import { compareRows, type KpiRow, type PeriodResult } from '../rows.ts';
import type { Baseline } from './compile.ts';
import { computeSavings, savingsSources } from './stage.ts';

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
): Promise<PeriodSavings> {
  const due = dueBaselines(plant, period);
  const out: PeriodSavings = { rows: [], notes: [] };
  if (due.length === 0) return out;
  // one source for every baseline: a period the engine ran for one is not run again for the next
  const src = savingsSources(store, plant);
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

/** The period's result with its savings rows among its KPI rows (in the rows' order), and the notes. */
export async function withSavings(
  store: SeriesStore,
  plant: Plant,
  result: PeriodResult,
  period: Period,
): Promise<{ result: PeriodResult; notes: string[] }> {
  const s = await periodSavings(store, plant, period);
  if (s.rows.length === 0) return { result, notes: s.notes };
  return { result: { ...result, kpis: [...result.kpis, ...s.rows].sort(compareRows) }, notes: s.notes };
}
