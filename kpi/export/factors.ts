/** The emission and tce factors a month's KPIs used, with their sources (for the manifest and the factor sheet). */
import type { LibraryFactor } from '../../config/factors/library.ts';
import type { FactorUse, Plant } from '../plant.ts';

export interface FactorUsed {
  carrier: string;
  /** tce (equivalent value), equal (equal value, 等价值) or co2 */
  kind: FactorUse;
  series: string;
  region: string;
  /** the data year of a dated factor, null when undated */
  year: number | null;
  value: number;
  unit: string;
  source: string;
  from: string | null;
  to: string | null;
  /** why this year applies when not simply by date: pinned, or the newest published for a later period */
  note: string | null;
}

/**
 * Per carrier (in the plant's order) and use, every factor the engine resolves in [startMs, endMs): at the start
 * and at each change point inside, as the engine splits the period. The equal value only for carriers with their own.
 */
export function factorsUsed(
  plant: Plant,
  carriers: ReadonlySet<string>,
  startMs: number,
  endMs: number,
): FactorUsed[] {
  const instants = [startMs, ...plant.changePointsMs.filter((t) => t > startMs && t < endMs)];
  const out: FactorUsed[] = [];
  for (const [carrier, car] of plant.carriers) {
    if (!carriers.has(carrier)) continue;
    const uses: FactorUse[] = car.equalValueSeries === undefined ? ['tce', 'co2'] : ['tce', 'equal', 'co2'];
    for (const use of uses) {
      const seen = new Set<LibraryFactor>();
      for (const at of instants) {
        const r = plant.factor(carrier, use, at);
        const f = r.factor;
        if (seen.has(f)) continue;
        seen.add(f);
        out.push({
          carrier,
          kind: use,
          series: f.series,
          region: f.region,
          year: f.year ?? null,
          value: f.value,
          unit: f.unit,
          source: f.source,
          from: f.validFrom ?? null,
          to: f.validTo ?? null,
          note: r.pinned ? `固定年份 pinned to ${f.year}` : newestNote(f, at, plant.timeZone),
        });
      }
    }
  }
  return out;
}

/** A dated factor used for a period after its year whose successor is not published: say so. */
function newestNote(f: LibraryFactor, atMs: number, timeZone: string): string | null {
  if (f.year === undefined || f.toMs !== Number.POSITIVE_INFINITY) return null;
  const periodYear = Number(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(new Date(atMs)),
  );
  return periodYear > f.year
    ? `最新公布 ${f.year} 年因子用于 ${periodYear} 年 newest published year (${f.year}) applied to ${periodYear}`
    : null;
}
