/** Pure: what a scope holds in a period (carrier amounts, tce, CO2 by scope, outputs), summable for rollups. */
import type { SignalAmounts } from './amounts.ts';
import type { Assignment, FactorUse, Plant, ProcessEmission, Scope } from './plant.ts';

export interface ScopeSums {
  /** carrier id -> amount in the carrier's unit */
  carriers: Map<string, number>;
  /** product id -> output in the product's unit */
  products: Map<string, number>;
  /** equivalent value (当量值) */
  tceKg: number;
  /** equal value (等价值): a carrier without one counts its equivalent value */
  tceEqualKg: number;
  /** by scope; scope 1 holds the process CO2 too */
  co2Kg: { 1: number; 2: number; 3: number };
  /** process CO2 (a signal's amount × its declared factor), a part of co2Kg[1] */
  co2ProcessKg: number;
  /** signals feeding carriers and products (for provisional marks) */
  signals: Set<string>;
}

export function emptySums(): ScopeSums {
  return {
    carriers: new Map(),
    products: new Map(),
    tceKg: 0,
    tceEqualKg: 0,
    co2Kg: { 1: 0, 2: 0, 3: 0 },
    co2ProcessKg: 0,
    signals: new Set(),
  };
}

type PerSegment = Record<FactorUse, Float64Array>;

/** Per carrier, the tce, equal-value and CO2 factor (per carrier unit) of each segment, resolved once per run. */
export class SegmentFactors {
  private readonly cache = new Map<string, PerSegment>();
  constructor(
    private readonly plant: Plant,
    private readonly points: readonly number[],
  ) {}

  of(carrier: string): PerSegment {
    let f = this.cache.get(carrier);
    if (f === undefined) {
      const n = this.points.length - 1;
      // the equal value is looked up only when the plant reports it (no carrier needs one otherwise)
      const uses: FactorUse[] = this.plant.reportsEqualValue ? ['tce', 'equal', 'co2'] : ['tce', 'co2'];
      f = { tce: new Float64Array(n), equal: new Float64Array(n), co2: new Float64Array(n) };
      for (let k = 0; k < n; k++) {
        for (const use of uses) f[use][k] = this.plant.factor(carrier, use, this.points[k]!).perCarrierUnit;
      }
      this.cache.set(carrier, f);
    }
    return f;
  }
}

/** A scope's own sums from its assignments (areas, teams, the site). */
export function scopeSums(
  plant: Plant,
  scope: Scope,
  amounts: Map<string, SignalAmounts>,
  points: readonly number[],
  factors: SegmentFactors,
): ScopeSums {
  const sums = emptySums();
  const start = points[0]!;
  const end = points[points.length - 1]!;
  for (const a of scope.meters) {
    if (a.toMs <= start || a.fromMs >= end) continue;
    const s = plant.signals.get(a.signal)!;
    const got = amounts.get(a.signal);
    if (s.carrier === undefined || got === undefined) continue;
    const f = factors.of(s.carrier);
    const em = s.emissionScope;
    let amount = 0;
    let tce = 0;
    let tceEqual = 0;
    let co2 = 0;
    for (let k = 0; k < got.amounts.length; k++) {
      if (a.fromMs > points[k]! || points[k + 1]! > a.toMs) continue;
      const x = got.amounts[k]! * a.share;
      amount += x;
      tce += x * f.tce[k]!;
      tceEqual += x * f.equal[k]!;
      co2 += x * f.co2[k]!;
    }
    sums.carriers.set(s.carrier, (sums.carriers.get(s.carrier) ?? 0) + amount);
    sums.tceKg += tce;
    sums.tceEqualKg += tceEqual;
    if (em !== 'none') sums.co2Kg[em] += co2;
    sums.signals.add(a.signal);
  }
  for (const a of scope.products) {
    if (a.toMs <= start || a.fromMs >= end) continue;
    const s = plant.signals.get(a.signal)!;
    const got = amounts.get(a.signal);
    if (s.product === undefined || got === undefined) continue;
    let amount = 0;
    for (let k = 0; k < got.amounts.length; k++) {
      if (a.fromMs <= points[k]! && points[k + 1]! <= a.toMs) amount += got.amounts[k]! * a.share;
    }
    sums.products.set(s.product, (sums.products.get(s.product) ?? 0) + amount);
    sums.signals.add(a.signal);
  }
  for (const pe of plant.processEmissions) {
    const got = amounts.get(pe.signal);
    if (got === undefined) continue;
    let kg = 0;
    for (const a of processAssignments(scope, pe)) {
      for (let k = 0; k < got.amounts.length; k++) {
        if (a.fromMs <= points[k]! && points[k + 1]! <= a.toMs)
          kg += got.amounts[k]! * a.share * pe.kgCo2PerUnit;
      }
      sums.signals.add(pe.signal);
    }
    sums.co2ProcessKg += kg;
    sums.co2Kg[1] += kg;
  }
  return sums;
}

/**
 * Where a process signal counts: the whole of it at the site when it is in the site's totals; in an area or team
 * by the meter or product assignments that hold it.
 */
function processAssignments(scope: Scope, pe: ProcessEmission): readonly Assignment[] {
  if (scope.type === 'site') {
    const whole = {
      signal: pe.signal,
      share: 1,
      fromMs: Number.NEGATIVE_INFINITY,
      toMs: Number.POSITIVE_INFINITY,
    };
    return pe.inSiteTotal ? [whole] : [];
  }
  return [...scope.meters, ...scope.products].filter((a) => a.signal === pe.signal);
}

/** Rolled-up sums: numerators and denominators add; ratios are taken afterwards, never averaged. */
export function addSums(parts: readonly ScopeSums[]): ScopeSums {
  const out = emptySums();
  for (const p of parts) {
    for (const [k, v] of p.carriers) out.carriers.set(k, (out.carriers.get(k) ?? 0) + v);
    for (const [k, v] of p.products) out.products.set(k, (out.products.get(k) ?? 0) + v);
    out.tceKg += p.tceKg;
    out.tceEqualKg += p.tceEqualKg;
    out.co2ProcessKg += p.co2ProcessKg;
    out.co2Kg[1] += p.co2Kg[1];
    out.co2Kg[2] += p.co2Kg[2];
    out.co2Kg[3] += p.co2Kg[3];
    for (const s of p.signals) out.signals.add(s);
  }
  return out;
}
