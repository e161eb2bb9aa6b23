/**
 * The factor lookup of the compiled plant: each carrier's series, region and pinned year resolved once; the lookup
 * picks the factor valid at an instant (for a pinned carrier: the one of its year, whatever the instant).
 */
import { KpiError } from '../config/errors.ts';
import type { FactorLibrary, LibraryFactor } from '../config/factors/library.ts';
import { carrierSeries, type FactorUse, pickFactor } from '../config/factors/lookup.ts';
import type { PlantConfig } from '../config/schema.ts';
import { ratioUnitFactor } from '../transforms/units.ts';

export interface ResolvedFactor {
  /** kgce or kgCO2 per unit of the carrier */
  perCarrierUnit: number;
  factor: LibraryFactor;
  /** picked by a pinned year (site.factorYear or the carrier's), not by the instant */
  pinned: boolean;
}

export type { FactorUse };

export type FactorLookup = (carrier: string, use: FactorUse, atMs: number) => ResolvedFactor;

/** The config or the data cannot give a KPI (no factor valid at a time, say): exit 5; retrying will not help. */
export class DataError extends KpiError {
  override name = 'DataError';
}

export function factorLookup(config: PlantConfig, library: FactorLibrary): FactorLookup {
  const resolved = new Map(
    config.carriers.map((car) => {
      const series = carrierSeries(car, library);
      const of = (use: FactorUse) =>
        library.factors.filter(
          (f) =>
            f.carrier === car.id && f.kind === (use === 'co2' ? 'co2' : 'tce') && f.series === series[use],
        );
      return [
        car.id,
        {
          unit: car.unit,
          region: car.region ?? config.site.gridRegion,
          year: car.factorYear ?? config.site.factorYear,
          series,
          factors: { tce: of('tce'), equal: of('equal'), co2: of('co2') },
        },
      ];
    }),
  );
  return (carrier, use, atMs) => {
    const car = resolved.get(carrier);
    if (car === undefined) throw new DataError(`unknown carrier '${carrier}'`);
    const found = pickFactor(car.factors[use], car.region, car.year, atMs);
    if (found === undefined) {
      const kind = use === 'equal' ? 'equal value (tce)' : use;
      const when =
        car.year === undefined ? `valid at ${new Date(atMs).toISOString()}` : `of year ${car.year}`;
      throw new DataError(
        `no ${kind} factor for '${carrier}' (series '${car.series[use]}', region ${car.region}) ${when}: ` +
          'add one under factors in the plant config',
      );
    }
    const per = use === 'co2' ? `kgCO2/${car.unit}` : `kgce/${car.unit}`;
    return { perCarrierUnit: found.factor.value * ratioUnitFactor(found.factor.unit, per), ...found };
  };
}
