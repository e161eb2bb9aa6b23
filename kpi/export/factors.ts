/** The emission and tce factors a month's KPIs used, with their sources (for the manifest and the factor sheet). */
import type { Plant } from '../plant.ts';

export interface FactorUsed {
  carrier: string;
  kind: string;
  series: string;
  region: string;
  value: number;
  unit: string;
  source: string;
  from: string | null;
  to: string | null;
}

/** Per carrier (in the plant's order) and kind, every factor the engine resolves at some instant of [startMs, endMs). */
export function factorsUsed(
  plant: Plant,
  carriers: ReadonlySet<string>,
  startMs: number,
  endMs: number,
): FactorUsed[] {
  const out: FactorUsed[] = [];
  for (const carrier of plant.carriers.keys()) {
    if (!carriers.has(carrier)) continue;
    for (const kind of ['tce', 'co2'] as const) {
      const seen = new Set<string>();
      for (const f of plant.library.factors) {
        if (f.carrier !== carrier || f.kind !== kind || f.fromMs >= endMs || f.toMs <= startMs) continue;
        // used when it is the factor the engine resolves at the start of its validity inside the period
        const r = plant.factor(carrier, kind, Math.max(startMs, f.fromMs));
        if (r.factor !== f || seen.has(f.source)) continue;
        seen.add(f.source);
        out.push({
          carrier,
          kind,
          series: f.series,
          region: f.region,
          value: f.value,
          unit: f.unit,
          source: f.source,
          from: f.from ?? null,
          to: f.to ?? null,
        });
      }
    }
  }
  return out;
}
