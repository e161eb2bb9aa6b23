/**
 * The portal's read side: every number comes from the code the commands use. The scorecard is `computeScorecard`
 * with the records read as `plantkpi scorecard` reads them (`scorecardRecords`), so a branch's share
 * (`branchScorecard`) is `plantkpi scorecard --branch ID --format json`; a month's KPIs and its days are engine runs
 * with their savings (`savingsRuns`: the runs computeScorecard makes itself, the rows the `kpi` command prints); the
 * export is the export's own code (`runDays`, slices, workbook).
 *
 * The engine runs of a month are kept for `runsKeptMs` (60 s by default) and shared by the requests in that time;
 * the records (closures, awards) are read afresh for every scorecard, so an action shows at once, while readings the
 * worker writes show within that time.
 */
import { savingsRuns } from '../kpi/baseline/period.ts';
import { factorsUsed } from '../kpi/export/factors.ts';
import { branchSlice, siteSlice } from '../kpi/export/slice.ts';
import { workbook } from '../kpi/export/workbook.ts';
import type { Plant, Scope } from '../kpi/plant.ts';
import type { PeriodResult } from '../kpi/rows.ts';
import { runDays } from '../kpi/run.ts';
import type { Scorecard } from '../kpi/scorecard/build.ts';
import { computeScorecard } from '../kpi/scorecard/compute.ts';
import { hasScorecard } from '../kpi/scorecard/model.ts';
import type { Runs } from '../kpi/scorecard/runs.ts';
import { scorecardRecords } from '../kpi/scorecard/settle.ts';
import type { RecordsStore } from '../records/port.ts';
import type { SeriesStore } from '../store/port.ts';
import { type Period, parsePeriod, splitPeriod } from '../transforms/periods.ts';

export interface PortalDataOptions {
  store: SeriesStore;
  plant: Plant;
  records: Pick<RecordsStore, 'closures' | 'ledger' | 'computed'>;
  now: () => number;
  /** how long a month's engine runs are reused, ms (60 s) */
  runsKeptMs?: number;
  /** the oldest month `periods()` looks at, counted back from the newest reading (120) */
  maxMonths?: number;
}

export class PortalData {
  private readonly kept = new Map<string, { runs: Runs; atMs: number }>();
  private periodsKept: { periods: string[]; atMs: number } | null = null;

  constructor(private readonly o: PortalDataOptions) {}

  get plant(): Plant {
    return this.o.plant;
  }

  month(label: string): Period {
    return parsePeriod(label, this.o.plant.timeZone);
  }

  /** The month's engine runs, shared for runsKeptMs; older ones are let go. */
  runs(month: string): Runs {
    const now = this.o.now();
    const keep = this.o.runsKeptMs ?? 60_000;
    for (const [k, v] of this.kept) if (now - v.atMs > keep) this.kept.delete(k);
    let r = this.kept.get(month);
    if (!r) {
      r = { runs: savingsRuns(this.o.store, this.o.plant), atMs: now };
      this.kept.set(month, r);
    }
    return r.runs;
  }

  /** The month's scorecard as `plantkpi scorecard` computes it (records read, never settled). */
  async scorecard(month: string): Promise<Scorecard> {
    const records = await scorecardRecords(this.o.records);
    const p = this.month(month);
    return (
      await computeScorecard(
        this.o.store,
        this.o.plant,
        this.o.plant.scorecard,
        p,
        records,
        undefined,
        this.runs(month),
      )
    ).scorecard;
  }

  result(month: string): Promise<PeriodResult> {
    return this.runs(month)(this.month(month));
  }

  /** Each local day of the month, as the export's daily sheet computes them. */
  async days(month: string): Promise<PeriodResult[]> {
    const runs = this.runs(month);
    return Promise.all(splitPeriod(this.month(month), 'day').map((d) => runs(d)));
  }

  /**
   * The months that can be shown, newest first: each month holding a reading in the store (from the first reading
   * to the last, at most maxMonths) and each month the jobs recorded as computed; none after the current month.
   */
  async periods(): Promise<string[]> {
    const now = this.o.now();
    if (this.periodsKept && now - this.periodsKept.atMs <= (this.o.runsKeptMs ?? 60_000))
      return this.periodsKept.periods;
    const { store, plant } = this.o;
    const tz = plant.timeZone;
    const found = new Set<string>();
    const signals = await store.signals();
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const s of signals) {
      const a = await store.firstAtOrAfter(s, 0);
      const b = await store.lastAtOrBefore(s, now);
      if (a) first = Math.min(first, a.timeMs);
      if (b) last = Math.max(last, b.timeMs);
    }
    if (first <= last) {
      const months: Period[] = [];
      let p = parsePeriod(monthOf(last, tz), tz);
      const oldest = parsePeriod(monthOf(first, tz), tz).startMs;
      while (months.length < (this.o.maxMonths ?? 120) && p.startMs >= oldest) {
        months.push(p);
        p = parsePeriod(monthOf(p.startMs - 1, tz), tz);
      }
      for (const m of months) {
        for (const s of signals) {
          // a counter's reading at the month's first instant closes the month before: it shows nothing of this one
          if ((await store.count(s, m.startMs + 1, m.endMs)) > 0) {
            found.add(m.label);
            break;
          }
        }
      }
    }
    const current = monthOf(now, tz);
    for (const c of await this.o.records.computed())
      if (c.kind === 'month' && /^\d{4}-\d{2}$/.test(c.period) && c.period <= current) found.add(c.period);
    const periods = [...found].sort().reverse();
    this.periodsKept = { periods, atMs: now };
    return periods;
  }

  /**
   * The month's workbook for a branch (or the site: null) as the monthly export writes it (kpi/export/month.ts):
   * the month with its savings, its days, the scorecard computed on that month, sliced and made a workbook.
   */
  async exportWorkbook(month: string, branch: Scope | null): Promise<Buffer> {
    const { store, plant } = this.o;
    const p = this.month(month);
    // the month with its savings (savingsRuns: withSavings over runPeriod, as cmdExport), its days as runDays
    const result = await this.result(month);
    const days = await runDays(store, plant, p);
    const scorecard = hasScorecard(plant)
      ? (
          await computeScorecard(
            store,
            plant,
            plant.scorecard,
            p,
            await scorecardRecords(this.o.records),
            result,
          )
        ).scorecard
      : undefined;
    const slice = branch
      ? branchSlice(plant, branch, result, days, scorecard)
      : siteSlice(plant, result, days, scorecard);
    return workbook(slice, plant, factorsUsed(plant, slice.carriers, result.startMs, result.endMs));
  }
}

export function monthOf(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(
    new Date(ms),
  );
}
