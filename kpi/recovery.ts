/**
 * Waste-heat recovery (余热回收), pure: recovered heat is a flow of its own, never a product, so it raises no scope's
 * output and lowers no intensity (a boiler's kgce/t counts the boiler's own steam only). Per period, for the site and
 * for each area or team a recovery names in its `scopes`:
 *
 * - `heat.recovered`, GJ: the recovered signal's amount in GJ (steam t × `steamEnthalpyGJPerT`);
 * - `heat.recovery_rate`, %: recovered / basis × 100, the basis being the total heat supplied to the same network
 *   (recovered + the other sources, `basis: supplied`) or the waste heat available (`basis: available`); one basis
 *   per site (validation), so the site's rate is Σ recovered / Σ basis;
 * - `heat.displaced_fuel`, tce: the fuel the boiler would have burnt for that heat,
 *   recovered GJ / boilerEfficiency / 0.0293076 GJ/kgce (GB/T 2589-2020: 1 kgce = 29,307.6 kJ);
 * - `emissions.co2.avoided`, tCO2: that fuel as an amount of the displaced carrier (tce / its tce factor) times its
 *   CO2 factor, both the factors valid in each segment.
 *
 * Rows are the site's and the holders' only: a recovery is no assignment, so it does not roll up into branches.
 */
import type { PlantConfig } from '../config/schema.ts';
import { parseConfigTime } from '../config/time.ts';
import type { Period } from '../transforms/periods.ts';
import { unitFactor } from '../transforms/units.ts';
import type { SignalAmounts } from './amounts.ts';
import type { Plant, Signal } from './plant.ts';
import type { KpiRow, ScopeKind } from './rows.ts';

/** GB/T 2589-2020: the calorific value of 1 kgce, 29,307.6 kJ, in GJ */
export const GJ_PER_KGCE = 0.0293076;

/** A signal's amounts with the factor that turns them into GJ. */
export interface HeatTerm {
  signal: string;
  toGJ: number;
}

export interface Recovery {
  id: string;
  name?: string;
  recovered: HeatTerm;
  basis: { type: 'supplied' | 'available'; terms: readonly HeatTerm[] };
  boilerEfficiency: number;
  /** the displaced fuel's carrier id */
  displaces: string;
  /** the areas and teams holding it, each over its time (a team's from/to) */
  holders: readonly { type: 'area' | 'team'; id: string; fromMs: number; toMs: number }[];
}

export const RECOVERY_KPIS = [
  'heat.recovered',
  'heat.recovery_rate',
  'heat.displaced_fuel',
  'emissions.co2.avoided',
] as const;

/** Times and units resolved once (validation has refused unknown ids, units and missing enthalpies). */
export function compileRecoveries(config: PlantConfig, signals: ReadonlyMap<string, Signal>): Recovery[] {
  const tz = config.site.timeZone;
  const teams = new Map(config.organisation.teams.map((t) => [t.id, t]));
  return config.recovery.map((r) => {
    const term = (id: string): HeatTerm => {
      const unit = signals.get(id)!.measuredUnit;
      let toGJ: number;
      try {
        toGJ = unitFactor(unit, 'GJ');
      } catch {
        toGJ = unitFactor(unit, 't') * r.steamEnthalpyGJPerT!;
      }
      return { signal: id, toGJ };
    };
    const holders = r.scopes.map((s) => {
      const team = s.type === 'team' ? teams.get(s.id) : undefined;
      return {
        type: s.type,
        id: s.id,
        fromMs: team ? parseConfigTime(team.from, tz) : Number.NEGATIVE_INFINITY,
        toMs: team?.to !== undefined ? parseConfigTime(team.to, tz) : Number.POSITIVE_INFINITY,
      };
    });
    return {
      id: r.id,
      ...(r.name === undefined ? {} : { name: r.name }),
      recovered: term(r.signal),
      basis:
        r.basis.type === 'supplied'
          ? { type: 'supplied', terms: r.basis.signals.map(term) }
          : { type: 'available', terms: [term(r.basis.signal)] },
      boilerEfficiency: r.boilerEfficiency,
      displaces: r.displaces,
      holders,
    };
  });
}

/** The instants at which a holder's time starts or ends (the engine cuts its segments there). */
export function recoveryChangePoints(recoveries: readonly Recovery[]): number[] {
  return recoveries.flatMap((r) => r.holders.flatMap((h) => [h.fromMs, h.toMs])).filter(Number.isFinite);
}

export interface DisplacedFuel {
  /** fuel energy the boiler would have burnt, GJ */
  fuelGJ: number;
  kgce: number;
  /** in the displaced carrier's unit */
  carrierAmount: number;
  co2Kg: number;
}

/**
 * The fuel a recovered heat displaces: 2,500 GJ at 90 % efficiency is 2,777.8 GJ of fuel, 94,780 kgce; as natural
 * gas at 1.2143 kgce/Nm3 that is 78,053 Nm3, at 2.1622 kgCO2/Nm3 168.8 tCO2.
 */
export function displacedFuel(
  recoveredGJ: number,
  boilerEfficiency: number,
  kgcePerUnit: number,
  co2KgPerUnit: number,
): DisplacedFuel {
  const fuelGJ = recoveredGJ / boilerEfficiency;
  const kgce = fuelGJ / GJ_PER_KGCE;
  const carrierAmount = kgcePerUnit > 0 ? kgce / kgcePerUnit : 0;
  return { fuelGJ, kgce, carrierAmount, co2Kg: carrierAmount * co2KgPerUnit };
}

/** The recovery rate in % of its basis; null when the basis is nothing. */
export function recoveryRatePct(
  recoveredGJ: number,
  basis: 'supplied' | 'available',
  basisGJ: number,
): number | null {
  const whole = basis === 'supplied' ? recoveredGJ + basisGJ : basisGJ;
  return whole > 0 ? (recoveredGJ / whole) * 100 : null;
}

interface Totals {
  recoveredGJ: number;
  /** the other heat supplied, or the heat available */
  basisGJ: number;
  kgce: number;
  co2Kg: number;
  recoveredLow: boolean;
  basisLow: boolean;
}

/** Every recovery row of a period: the site's, then each holder's while its time overlaps the period. */
export function recoveryRows(
  plant: Plant,
  amounts: ReadonlyMap<string, SignalAmounts>,
  points: readonly number[],
  period: Period,
  low: ReadonlySet<string>,
): KpiRow[] {
  const recoveries = plant.recoveries;
  if (recoveries.length === 0) return [];
  const basis = recoveries[0]!.basis.type;
  const isLow = (id: string) => low.has(id) || !amounts.has(id);
  const sumOver = (rs: readonly Recovery[], fromMs: number, toMs: number): Totals => {
    const t: Totals = { recoveredGJ: 0, basisGJ: 0, kgce: 0, co2Kg: 0, recoveredLow: false, basisLow: false };
    for (const r of rs) {
      const rec = amounts.get(r.recovered.signal)?.amounts;
      t.recoveredLow ||= isLow(r.recovered.signal);
      for (const b of r.basis.terms) t.basisLow ||= isLow(b.signal);
      for (let k = 0; k + 1 < points.length; k++) {
        if (points[k]! < fromMs || points[k + 1]! > toMs) continue;
        const gj = (rec?.[k] ?? 0) * r.recovered.toGJ;
        t.recoveredGJ += gj;
        for (const b of r.basis.terms) t.basisGJ += (amounts.get(b.signal)?.amounts[k] ?? 0) * b.toGJ;
        const tce = plant.factor(r.displaces, 'tce', points[k]!).perCarrierUnit;
        const co2 = plant.factor(r.displaces, 'co2', points[k]!).perCarrierUnit;
        const d = displacedFuel(gj, r.boilerEfficiency, tce, co2);
        t.kgce += d.kgce;
        t.co2Kg += d.co2Kg;
      }
    }
    return t;
  };

  const rows: KpiRow[] = [];
  const emit = (type: ScopeKind, id: string, t: Totals) => {
    const row = (kpi: string, value: number, unit: string, provisional: boolean) =>
      rows.push({ kpi, scope_type: type, scope_id: id, period: period.label, value, unit, provisional });
    row('heat.recovered', t.recoveredGJ, 'GJ', t.recoveredLow);
    const rate = recoveryRatePct(t.recoveredGJ, basis, t.basisGJ);
    if (rate !== null) row('heat.recovery_rate', rate, '%', t.recoveredLow || t.basisLow);
    row('heat.displaced_fuel', t.kgce / 1000, 'tce', t.recoveredLow);
    row('emissions.co2.avoided', t.co2Kg / 1000, 'tCO2', t.recoveredLow);
  };
  const start = period.startMs;
  const end = period.endMs;
  emit('site', plant.site.id, sumOver(recoveries, start, end));

  // each holder over its own time, in config order of first mention
  const holders = new Map<string, { type: 'area' | 'team'; id: string; fromMs: number; toMs: number }>();
  for (const r of recoveries) for (const h of r.holders) holders.set(`${h.type}|${h.id}`, h);
  for (const h of holders.values()) {
    if (h.toMs <= start || h.fromMs >= end) continue;
    const held = recoveries.filter((r) => r.holders.some((x) => x.type === h.type && x.id === h.id));
    emit(h.type, h.id, sumOver(held, Math.max(start, h.fromMs), Math.min(end, h.toMs)));
  }
  return rows;
}
