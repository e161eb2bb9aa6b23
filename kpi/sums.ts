/** Pure: what a scope holds in a period (carrier amounts, tce, CO2 by scope, outputs), summable for rollups. */
import type { SignalAmounts } from './amounts.ts';
import type { Plant, Scope } from './plant.ts';

export interface ScopeSums {
  /** carrier id -> amount in the carrier's unit */
  carriers: Map<string, number>;
  /** product id -> output in the product's unit */
  products: Map<string, number>;
  tceKg: number;
  co2Kg: { 1: number; 2: number; 3: number };
  /** signals feeding carriers and products (for provisional marks) */
  signals: Set<string>;
}

export function emptySums(): ScopeSums {
  return {
    carriers: new Map(),
    products: new Map(),
    tceKg: 0,
    co2Kg: { 1: 0, 2: 0, 3: 0 },
    signals: new Set(),
  };
}

/** Per carrier, the tce and CO2 factor (per carrier unit) of each segment, resolved once per run. */
export class SegmentFactors {
  private readonly cache = new Map<string, { tce: Float64Array; co2: Float64Array }>();
  constructor(
    private readonly plant: Plant,
    private readonly points: readonly number[],
  ) {}

  of(carrier: string): { tce: Float64Array; co2: Float64Array } {
    let f = this.cache.get(carrier);
    if (f === undefined) {
      const n = this.points.length - 1;
      f = { tce: new Float64Array(n), co2: new Float64Array(n) };
      for (let k = 0; k < n; k++) {
        f.tce[k] = this.plant.factor(carrier, 'tce', this.points[k]!).perCarrierUnit;
        f.co2[k] = this.plant.factor(carrier, 'co2', this.points[k]!).perCarrierUnit;
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
    let co2 = 0;
    for (let k = 0; k < got.amounts.length; k++) {
      if (a.fromMs > points[k]! || points[k + 1]! > a.toMs) continue;
      const x = got.amounts[k]! * a.share;
      amount += x;
      tce += x * f.tce[k]!;
      co2 += x * f.co2[k]!;
    }
    sums.carriers.set(s.carrier, (sums.carriers.get(s.carrier) ?? 0) + amount);
    sums.tceKg += tce;
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
  return sums;
}

/** Rolled-up sums: numerators and denominators add; ratios are taken afterwards, never averaged. */
export function addSums(parts: readonly ScopeSums[]): ScopeSums {
  const out = emptySums();
  for (const p of parts) {
    for (const [k, v] of p.carriers) out.carriers.set(k, (out.carriers.get(k) ?? 0) + v);
    for (const [k, v] of p.products) out.products.set(k, (out.products.get(k) ?? 0) + v);
    out.tceKg += p.tceKg;
    out.co2Kg[1] += p.co2Kg[1];
    out.co2Kg[2] += p.co2Kg[2];
    out.co2Kg[3] += p.co2Kg[3];
    for (const s of p.signals) out.signals.add(s);
  }
  return out;
}
