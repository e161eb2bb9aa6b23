/**
 * Savings from the store, for a reporting period: for each baseline, the engine runs over the days or months of its
 * baseline period (each once, runs.ts), the model fitted to them (fit.ts), then applied to the drivers of every whole
 * day or month of the reporting period and of the span since the scope's savings start (savings.ts). Reading is
 * done through `Runs` and the gauge reader; everything else is the pure modules beside this one.
 */
import type { Series, SeriesStore } from '../../store/port.ts';
import { type Period, parsePeriod, range, splitPeriod } from '../../transforms/periods.ts';
import { loadSignal } from '../load.ts';
import { DataError, type Plant } from '../plant.ts';
import type { KpiRow } from '../rows.ts';
import { cachedRuns, type Runs } from '../scorecard/runs.ts';
import { type Baseline, driverLabel } from './compile.ts';
import { driverValue, rowValue, type Value } from './drivers.ts';
import { type Fitted, fitModel } from './fit.ts';
import { addSaved, conversion, type ReportingUnit, type Saved, savingsRows, unitSavings } from './savings.ts';
import { type AshraeLimits, ashraeLimits, ashraePass } from './stats.ts';

export interface SavingsSources {
  /** engine runs of the plant with its teams' meters uncut (baselineView) */
  runs: Runs;
  /** a gauge's readings around [startMs, endMs) */
  gauge: (signal: string, startMs: number, endMs: number) => Promise<Series>;
}

/**
 * The plant as a baseline sees it: each team holds its meters and products by their own validity, so the months
 * before the team started have the team's energy and output (a team's baseline is its meters' past). The reporting
 * periods are cut to the team's activity by the stage, where the two views agree.
 */
export function baselineView(plant: Plant): Plant {
  if (!plant.baselines.some((b) => b.scope.type === 'team')) return plant;
  const points = new Set(plant.changePointsMs);
  const teams = plant.teams.map((t) => {
    if (t.uncut === undefined) return t;
    for (const a of [...t.uncut.meters, ...t.uncut.products]) points.add(a.fromMs).add(a.toMs);
    return { ...t, meters: t.uncut.meters, products: t.uncut.products };
  });
  return {
    ...plant,
    teams,
    changePointsMs: [...points].filter(Number.isFinite).sort((a, b) => a - b),
  };
}

export function savingsSources(store: SeriesStore, plant: Plant): SavingsSources {
  return {
    runs: cachedRuns(store, baselineView(plant)),
    gauge: (signal, startMs, endMs) => loadSignal(store, signal, startMs, endMs),
  };
}

export interface UnitReport extends Saved {
  period: string;
}

export interface BaselineReport {
  id: string;
  name?: string;
  scope: { type: string; id: string };
  energy: string;
  /** the energy KPI's unit (the carrier's, or tce) */
  unit: string;
  granularity: 'day' | 'month';
  baselinePeriod: string;
  model: 'ratio' | 'regression';
  drivers: string[];
  intercept: number;
  slopes: number[];
  stats: Fitted['stats'];
  limits: AshraeLimits;
  pass: boolean;
  /** the days or months of the reporting period with their savings */
  units: UnitReport[];
  /** the first period counted in the cumulative savings, if any */
  cumulativeFrom: string | null;
  /** periods left out and why, said plainly */
  notes: string[];
}

export interface SavingsResult {
  period: string;
  rows: KpiRow[];
  baselines: BaselineReport[];
}

/** Whole calendar periods of the granularity in [startMs, endMs). */
function wholeUnits(startMs: number, endMs: number, g: 'day' | 'month', tz: string): Period[] {
  if (endMs <= startMs) return [];
  return splitPeriod(range(startMs, endMs, tz), g).filter((p) => p.kind !== 'range');
}

export interface SavingsOptions {
  /** the baselines to compute (default: every baseline of the plant) */
  baselines?: readonly Baseline[];
  /** also the cumulative savings since each scope's savings start (default true) */
  cumulative?: boolean;
}

export async function computeSavings(
  src: SavingsSources,
  plant: Plant,
  periodSpec: string | Period,
  o: SavingsOptions = {},
): Promise<SavingsResult> {
  const period = typeof periodSpec === 'string' ? parsePeriod(periodSpec, plant.timeZone) : periodSpec;
  const rows: KpiRow[] = [];
  const baselines: BaselineReport[] = [];
  for (const b of o.baselines ?? plant.baselines) {
    const r = await baselineSavings(src, plant, b, period, o.cumulative ?? true);
    rows.push(...r.rows);
    baselines.push(r.report);
  }
  return { period: period.label, rows, baselines };
}

async function observe(
  src: SavingsSources,
  b: Baseline,
  u: Period,
): Promise<{ y: Value; x: Value[]; run: Awaited<ReturnType<Runs>> }> {
  const run = await src.runs(u);
  const days = b.model.drivers.some((d) => d.type === 'degree_days') ? splitPeriod(u, 'day') : [];
  const x: Value[] = [];
  for (const d of b.model.drivers) {
    const series = d.type === 'kpi' ? undefined : await src.gauge(d.signal, u.startMs, u.endMs);
    x.push(driverValue(d, run, b.scope, series, days));
  }
  return { y: rowValue(run, b.scope, b.energy), x, run };
}

const missing = (v: Value[]): string | undefined => {
  const m = v.find((x) => x.value === undefined);
  return m && m.value === undefined ? m.why : undefined;
};

async function fitBaseline(
  src: SavingsSources,
  plant: Plant,
  b: Baseline,
  notes: string[],
): Promise<{ fitted: Fitted; provisional: boolean }> {
  const units = wholeUnits(b.startMs, b.endMs, b.granularity, plant.timeZone);
  const x: number[][] = [];
  const y: number[] = [];
  let provisional = false;
  for (const u of units) {
    const o = await observe(src, b, u);
    const why = missing([o.y, ...o.x]);
    if (why !== undefined) {
      notes.push(`基准期 baseline ${u.label}: left out (${why})`);
      continue;
    }
    y.push(o.y.value!);
    x.push(o.x.map((v) => v.value!));
    provisional ||= [o.y, ...o.x].some((v) => v.value !== undefined && v.provisional);
  }
  const at = `baseline '${b.id}' (${b.scope.type} ${b.scope.id}, ${b.energy}, ${b.periodText})`;
  if (y.length === 0) {
    throw new DataError(
      `基准期无数据 ${at}: no ${b.granularity} of the baseline period has readings for the energy and every driver` +
        (units.length === 0 ? ` (the period holds no whole ${b.granularity})` : '') +
        ': import the baseline period’s readings, or move the baseline’s period',
    );
  }
  try {
    return { fitted: fitModel(b.model.type, x, y), provisional };
  } catch (err) {
    throw new DataError(`基准模型无法拟合 ${at}: ${(err as Error).message}`);
  }
}

async function baselineSavings(
  src: SavingsSources,
  plant: Plant,
  b: Baseline,
  period: Period,
  withCumulative: boolean,
): Promise<{ rows: KpiRow[]; report: BaselineReport }> {
  const notes: string[] = [];
  const { fitted, provisional } = await fitBaseline(src, plant, b, notes);
  const tz = plant.timeZone;
  const unit = b.energy === 'energy.total' ? 'tce' : (plant.carriers.get(b.energy.slice(7))?.unit ?? '');
  const active = (u: Period) => u.startMs >= b.activeFromMs && u.endMs <= b.activeToMs;

  const savedIn = async (u: Period): Promise<Saved | undefined> => {
    const o = await observe(src, b, u);
    const why = missing([o.y, ...o.x]);
    if (why !== undefined) {
      notes.push(`${u.label}: no savings (${why})`);
      return undefined;
    }
    const reading: ReportingUnit = {
      label: u.label,
      actual: o.y.value!,
      x: o.x.map((v) => v.value!),
      ...conversion(plant, b.energy, u.startMs, o.run, b.scope),
      provisional: [o.y, ...o.x].some((v) => v.value !== undefined && v.provisional),
    };
    return unitSavings(fitted, reading);
  };

  const inPeriod = wholeUnits(period.startMs, period.endMs, b.granularity, tz);
  const counted = inPeriod.filter(active);
  if (counted.length < inPeriod.length)
    notes.push(
      `${inPeriod.length - counted.length} ${b.granularity}(s) outside the team's activity left out`,
    );
  if (inPeriod.length === 0) notes.push(`${period.label} holds no whole ${b.granularity}: no savings for it`);
  const units: UnitReport[] = [];
  const parts: Saved[] = [];
  let gaps = false;
  for (const u of counted) {
    const s = await savedIn(u);
    if (s === undefined) gaps = true;
    else {
      parts.push(s);
      units.push({ period: u.label, ...s });
    }
  }
  const sum = addSaved(parts);
  // a period with a day or month left out is provisional: its savings cover less than the period
  const now = parts.length === 0 ? undefined : { ...sum, provisional: sum.provisional || gaps };

  // a day job leaves the running total to its month: summing every day since the start each day costs a run per day
  const cumulativeUnits = withCumulative
    ? wholeUnits(
        Math.max(b.savingsFromMs, b.activeFromMs),
        Math.min(period.endMs, b.activeToMs),
        b.granularity,
        tz,
      ).filter((u) => u.startMs >= b.savingsFromMs)
    : [];
  let cumulative: Saved | undefined;
  if (cumulativeUnits.length > 0) {
    const all: Saved[] = [];
    let cumGaps = false;
    for (const u of cumulativeUnits) {
      const own = units.find((x) => x.period === u.label);
      const s = own ?? (await savedIn(u));
      if (s === undefined) cumGaps = true;
      else all.push(s);
    }
    const total = addSaved(all);
    cumulative = { ...total, provisional: total.provisional || cumGaps };
  } else if (withCumulative)
    notes.push(`no whole ${b.granularity} since the savings start yet: no cumulative savings`);

  const check = ashraePass(fitted.stats, b.granularity);
  if (!check.pass) {
    notes.push(
      `不符合 ASHRAE Guideline 14: CV(RMSE) ${fitted.stats.cvrmsePct.toFixed(1)} %, NMBE ${fitted.stats.nmbePct.toFixed(1)} % ` +
        `(limits ${ashraeLimits(b.granularity).cvrmsePct} % and ±${ashraeLimits(b.granularity).nmbePct} % for ${b.granularity === 'month' ? 'monthly' : 'daily'} data)`,
    );
  }
  return {
    rows: savingsRows(b, unit, period.label, fitted, now, cumulative, provisional),
    report: {
      id: b.id,
      ...(b.name === undefined ? {} : { name: b.name }),
      scope: b.scope,
      energy: b.energy,
      unit,
      granularity: b.granularity,
      baselinePeriod: b.periodText,
      model: b.model.type,
      drivers: b.model.drivers.map(driverLabel),
      intercept: fitted.intercept,
      slopes: fitted.slopes,
      stats: fitted.stats,
      limits: ashraeLimits(b.granularity),
      pass: check.pass,
      units,
      cumulativeFrom: cumulativeUnits[0]?.label ?? null,
      notes,
    },
  };
}
