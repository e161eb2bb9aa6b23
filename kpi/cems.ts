/**
 * Pollutant mass from CEMS, pure: per pollutant and period, the mass in kg (hourly mean concentration × hourly mean
 * flow × 1 h / 1e6, summed over the local hours and over every stack), the mass per unit of the configured product
 * (summed mass / the site's summed output), and the hours whose mean concentration at the reference O2 is above
 * the limit. Rows are the site's, like the balances' (see balance.ts): a stack holds no assignments; its own rows
 * are left for when the boards show stacks.
 *
 * Provisional: a row is provisional when a signal it rests on is below the completeness threshold (as every row),
 * and also when an hour of the period lacked enough data for its mean: mass rests on concentration and flow, the
 * exceedance hours on concentration and O2, the intensity on the mass and the product's meters.
 */
import type { PlantConfig } from '../config/schema.ts';
import type { PollutantName } from '../config/schema-metering.ts';
import type { Series } from '../store/port.ts';
import { binMeans, type PollutantLimit, pollutantHours } from '../transforms/cems.ts';
import type { Period } from '../transforms/periods.ts';
import { splitPeriod } from '../transforms/periods.ts';
import { unitFactor } from '../transforms/units.ts';
import type { PeriodData } from './load.ts';
import type { Plant } from './plant.ts';
import type { KpiRow } from './rows.ts';

export type { PollutantName } from '../config/schema-metering.ts';
export const POLLUTANTS: readonly PollutantName[] = ['so2', 'nox', 'particulate'];

/** A gauge of a stack with the factor to the unit the arithmetic uses (mg/m3, m3/h, %). */
export interface CemsGauge {
  signal: string;
  factor: number;
  sampleIntervalMs: number;
}

export interface StackPollutant extends PollutantLimit {
  concentration: CemsGauge;
}

export interface Stack {
  id: string;
  name?: string;
  flow: CemsGauge;
  o2?: CemsGauge;
  pollutants: ReadonlyMap<PollutantName, StackPollutant>;
}

export interface Cems {
  stacks: readonly Stack[];
  /** the product intensities are per */
  product?: string;
  minHourCoverage: number;
}

/** CEMS volumes are standard dry (标干): m3 and Nm3 name the same reference state here. */
export function standardDryFactor(unit: string, to: 'mg/m3' | 'm3/h' | '%'): number {
  return unitFactor(unit.replaceAll('Nm3', 'm3'), to);
}

/** The stacks with their gauges' unit factors resolved once (validation has refused units that do not convert). */
export function compileCems(config: PlantConfig): Cems | undefined {
  if (config.cems === undefined) return undefined;
  const signals = new Map(config.signals.map((s) => [s.id, s]));
  const gauge = (id: string, to: 'mg/m3' | 'm3/h' | '%'): CemsGauge => {
    const s = signals.get(id)!;
    return { signal: id, factor: standardDryFactor(s.unit, to), sampleIntervalMs: s.sampleIntervalS * 1000 };
  };
  const stacks = config.cems.stacks.map((st) => {
    const pollutants = new Map<PollutantName, StackPollutant>();
    for (const p of POLLUTANTS) {
      const c = st.pollutants[p];
      if (c === undefined) continue;
      pollutants.set(p, {
        concentration: gauge(c.signal, 'mg/m3'),
        ...(c.limitMgM3 === undefined ? {} : { limitMgM3: c.limitMgM3 }),
        ...(c.referenceO2Pct === undefined ? {} : { referenceO2Pct: c.referenceO2Pct }),
      });
    }
    return {
      id: st.id,
      ...(st.name === undefined ? {} : { name: st.name }),
      flow: gauge(st.flowSignal, 'm3/h'),
      ...(st.o2Signal === undefined ? {} : { o2: gauge(st.o2Signal, '%') }),
      pollutants,
    };
  });
  return {
    stacks,
    ...(config.cems.product === undefined ? {} : { product: config.cems.product }),
    minHourCoverage: config.cems.minHourCoverage,
  };
}

/** The site's output of the CEMS product in the period and whether it rests on an incomplete meter. */
export interface CemsOutput {
  amount: number;
  unit: string;
  provisional: boolean;
}

const EMPTY: Series = { times: new Float64Array(0), values: new Float64Array(0) };

/** The emissions rows of a period, summed over the stacks. */
export function cemsRows(
  plant: Plant,
  cems: Cems,
  data: PeriodData,
  period: Period,
  low: ReadonlySet<string>,
  output: CemsOutput | undefined,
): KpiRow[] {
  const hours = splitPeriod(period, 'hour');
  const bounds = hours.length === 0 ? [period.startMs] : [hours[0]!.startMs, ...hours.map((h) => h.endMs)];
  const means = new Map<string, Float64Array>();
  const meansOf = (g: CemsGauge) => {
    let m = means.get(g.signal);
    if (m === undefined) {
      m = binMeans(data.get(g.signal) ?? EMPTY, bounds, g.sampleIntervalMs, cems.minHourCoverage);
      for (let k = 0; k < m.length; k++) m[k] = m[k]! * g.factor;
      means.set(g.signal, m);
    }
    return m;
  };

  const rows: KpiRow[] = [];
  const row = (kpi: string, value: number, unit: string, provisional: boolean) =>
    rows.push({
      kpi,
      scope_type: 'site',
      scope_id: plant.site.id,
      period: period.label,
      value,
      unit,
      provisional,
    });
  for (const p of POLLUTANTS) {
    const at = cems.stacks.filter((s) => s.pollutants.has(p));
    if (at.length === 0) continue;
    let mass = 0;
    let exceedance = 0;
    let massLow = false;
    let limitLow = false;
    let limited = false;
    for (const s of at) {
      const sp = s.pollutants.get(p)!;
      const o2 = sp.referenceO2Pct !== undefined && s.o2 ? meansOf(s.o2) : undefined;
      const r = pollutantHours(bounds, meansOf(sp.concentration), meansOf(s.flow), o2, sp);
      mass += r.massKg;
      exceedance += r.exceedanceHours;
      massLow ||= r.missingMassHours > 0 || low.has(sp.concentration.signal) || low.has(s.flow.signal);
      if (sp.limitMgM3 !== undefined) {
        limited = true;
        const o2Low = sp.referenceO2Pct !== undefined && s.o2 !== undefined && low.has(s.o2.signal);
        limitLow ||= r.uncheckedHours > 0 || low.has(sp.concentration.signal) || o2Low;
      }
    }
    row(`emissions.${p}.mass`, mass, 'kg', massLow);
    if (output !== undefined && output.amount > 0)
      row(
        `emissions.${p}.intensity`,
        mass / output.amount,
        `kg/${output.unit}`,
        massLow || output.provisional,
      );
    if (limited) row(`emissions.${p}.exceedance_hours`, exceedance, 'h', limitLow);
  }
  return rows;
}
