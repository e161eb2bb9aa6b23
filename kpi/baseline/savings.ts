/**
 * Pure: savings against a baseline (ISO 50006 / IPMVP "avoided energy"): per period of the baseline's granularity,
 * saving = adjusted baseline − actual, where the adjusted baseline is the model applied to that period's drivers —
 * so a plant that makes twice as much at its baseline intensity saves nothing. Savings are in the carrier's unit and
 * converted to tce and tCO2 by the factors the engine uses for the carrier (Plant.factor, valid at the period's start).
 */
import type { Plant } from '../plant.ts';
import type { KpiRow, PeriodResult, ScopeKind } from '../rows.ts';
import type { Baseline } from './compile.ts';
import { type Fitted, predict } from './fit.ts';
import { ashraePass } from './stats.ts';

/** One period of the reporting span: its actual energy, its drivers and how the energy converts. */
export interface ReportingUnit {
  label: string;
  actual: number;
  x: number[];
  /** tce per unit of the energy KPI */
  tcePerUnit: number;
  /** tCO2 per unit of the energy KPI */
  co2PerUnit: number;
  provisional: boolean;
}

export interface Saved {
  adjusted: number;
  actual: number;
  /** in the energy KPI's unit */
  energy: number;
  tce: number;
  co2: number;
  provisional: boolean;
}

export const NOTHING_SAVED: Saved = { adjusted: 0, actual: 0, energy: 0, tce: 0, co2: 0, provisional: false };

export function unitSavings(m: Pick<Fitted, 'intercept' | 'slopes'>, u: ReportingUnit): Saved {
  const adjusted = predict(m, u.x);
  const energy = adjusted - u.actual;
  return {
    adjusted,
    actual: u.actual,
    energy,
    tce: energy * u.tcePerUnit,
    co2: energy * u.co2PerUnit,
    provisional: u.provisional,
  };
}

/** Savings add over periods (amounts, never ratios). */
export function addSaved(parts: readonly Saved[]): Saved {
  return parts.reduce(
    (a, s) => ({
      adjusted: a.adjusted + s.adjusted,
      actual: a.actual + s.actual,
      energy: a.energy + s.energy,
      tce: a.tce + s.tce,
      co2: a.co2 + s.co2,
      provisional: a.provisional || s.provisional,
    }),
    NOTHING_SAVED,
  );
}

/**
 * tce and tCO2 per unit of the energy KPI in a period starting at startMs: a carrier's factors as the engine takes
 * them (Plant.factor, kgce or kgCO2 per carrier unit); energy.total is in tce already and converts to CO2 by the
 * scope's own mix in that period (its emissions.co2 over its energy.total, both summed).
 */
export function conversion(
  plant: Plant,
  energyKpi: string,
  startMs: number,
  run: PeriodResult,
  scope: { type: string; id: string },
): { tcePerUnit: number; co2PerUnit: number } {
  if (energyKpi === 'energy.total') {
    const of = (kpi: string) =>
      run.kpis.find((k) => k.kpi === kpi && k.scope_type === scope.type && k.scope_id === scope.id)?.value ??
      0;
    const tce = of('energy.total');
    return { tcePerUnit: 1, co2PerUnit: tce === 0 ? 0 : of('emissions.co2') / tce };
  }
  const carrier = energyKpi.slice('energy.'.length);
  return {
    tcePerUnit: plant.factor(carrier, 'tce', startMs).perCarrierUnit / 1000,
    co2PerUnit: plant.factor(carrier, 'co2', startMs).perCarrierUnit / 1000,
  };
}

/** The KPI rows of a baseline for a reporting period: the period's savings, the cumulative ones, the fit. */
export function savingsRows(
  b: Baseline,
  energyUnit: string,
  period: string,
  fitted: Fitted,
  now: Saved | undefined,
  cumulative: Saved | undefined,
  fitProvisional: boolean,
): KpiRow[] {
  const rows: KpiRow[] = [];
  const row = (kpi: string, value: number, unit: string, provisional: boolean) =>
    rows.push({
      kpi,
      scope_type: b.scope.type as ScopeKind,
      scope_id: b.scope.id,
      period,
      value,
      unit,
      provisional,
    });
  if (now !== undefined) {
    row('baseline.adjusted', now.adjusted, energyUnit, now.provisional);
    row('savings.energy', now.energy, energyUnit, now.provisional);
    row('savings.tce', now.tce, 'tce', now.provisional);
    row('savings.co2', now.co2, 'tCO2', now.provisional);
    // a ratio of the summed parts
    if (now.adjusted !== 0) row('savings.pct', (100 * now.energy) / now.adjusted, '%', now.provisional);
  }
  if (cumulative !== undefined) {
    row('savings.cumulative.energy', cumulative.energy, energyUnit, cumulative.provisional);
    row('savings.cumulative.tce', cumulative.tce, 'tce', cumulative.provisional);
    row('savings.cumulative.co2', cumulative.co2, 'tCO2', cumulative.provisional);
  }
  const s = fitted.stats;
  row('baseline.r2', s.r2, 'R2', fitProvisional);
  row('baseline.cvrmse_pct', s.cvrmsePct, '%', fitProvisional);
  row('baseline.nmbe_pct', s.nmbePct, '%', fitProvisional);
  row('baseline.pass', ashraePass(s, b.granularity).pass ? 1 : 0, 'flag', fitProvisional);
  return rows;
}
