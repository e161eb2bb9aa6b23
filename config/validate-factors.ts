/**
 * Checks of the factor library as a site uses it: overlapping validity, a factor for every carrier's series and
 * region (did-you-mean for a misspelt series or region), pinned years that exist, site factors of a series no
 * carrier reads, and process emissions (signal, unit).
 */
import { rateTimeUnitMs, ratioUnitFactor } from '../transforms/units.ts';
import { buildLibrary, type FactorLibrary, findOverlaps } from './factors/library.ts';
import { carrierSeries, type FactorUse, pickFactor } from './factors/lookup.ts';
import type { PlantConfig } from './schema.ts';
import { didYouMean, ID_KIND, unknownId } from './suggest.ts';

type Add = (path: string, message: string) => void;

const SERIES_FIELD: Record<FactorUse, string> = {
  tce: 'tceSeries',
  equal: 'equalValueSeries',
  co2: 'co2Series',
};

export function checkFactorLibrary(c: PlantConfig, add: Add): void {
  let lib: FactorLibrary;
  try {
    lib = buildLibrary(c);
  } catch {
    return; // bad times are reported by their own checks
  }
  const firstSite = lib.factors.findIndex((f) => f.origin === 'site');
  const pathOf = (i: number) =>
    lib.factors[i]!.origin === 'site'
      ? `factors[${i - firstSite}]`
      : `built-in factor library (${lib.factors[i]!.source})`;
  for (const o of findOverlaps(lib.factors)) {
    const f = lib.factors[o.index]!;
    add(
      pathOf(o.index),
      `validity overlaps ${pathOf(o.other)}: both are ${f.kind} factors of ${f.carrier} (series ${f.series}, region ${f.region})`,
    );
  }
  c.carriers.forEach((car, i) => {
    const series = carrierSeries(car, lib);
    const uses: FactorUse[] = car.equalValueSeries === undefined ? ['tce', 'co2'] : ['tce', 'equal', 'co2'];
    for (const use of uses) checkCarrierUse(c, lib, i, use, series[use], add);
  });
  checkSiteFactors(c, lib, add);
  checkProcessEmissions(c, add);
}

function checkCarrierUse(
  c: PlantConfig,
  lib: FactorLibrary,
  i: number,
  use: FactorUse,
  series: string,
  add: Add,
): void {
  const car = c.carriers[i]!;
  const kind = use === 'co2' ? 'co2' : 'tce';
  const region = car.region ?? c.site.gridRegion;
  const ofCarrier = lib.factors.filter((f) => f.carrier === car.id && f.kind === kind);
  const inSeries = ofCarrier.filter((f) => f.series === series);
  const here = inSeries.filter((f) => f.region === region || f.region === 'CN');
  if (here.length === 0) {
    const hint =
      inSeries.length === 0
        ? didYouMean(
            series,
            ofCarrier.map((f) => f.series),
          )
        : didYouMean(
            region,
            inSeries.map((f) => f.region),
          ) || ` (regions of this series: ${[...new Set(inSeries.map((f) => f.region))].join(', ')})`;
    add(
      `carriers[${i}].${SERIES_FIELD[use]}`,
      `no ${kind} factor for '${car.id}' in series '${series}' (region ${region} or CN): add one under factors${hint}`,
    );
    return;
  }
  const year = car.factorYear ?? c.site.factorYear;
  if (year === undefined || pickFactor(inSeries, region, year, 0) !== undefined) return;
  const dated = here.filter((f) => f.year !== undefined);
  if (dated.length === 0) return; // an undated series ignores the pin
  const years = [...new Set(dated.map((f) => f.year!))].sort((a, b) => a - b);
  add(
    car.factorYear === undefined ? 'site.factorYear' : `carriers[${i}].factorYear`,
    `no ${kind} factor of year ${year} for '${car.id}' in series '${series}' (region ${region} or CN); published years: ${years.join(', ')}`,
  );
}

/** A site factor whose series no carrier reads would never apply. */
function checkSiteFactors(c: PlantConfig, lib: FactorLibrary, add: Add): void {
  for (const [i, f] of c.factors.entries()) {
    const car = c.carriers.find((x) => x.id === f.carrier);
    if (car === undefined) {
      add(
        `factors[${i}].carrier`,
        unknownId(
          ID_KIND.carrier,
          f.carrier,
          c.carriers.map((x) => x.id),
        ),
      );
      continue;
    }
    const series = carrierSeries(car, lib);
    const used = f.kind === 'co2' ? [series.co2] : [...new Set([series.tce, series.equal])];
    if (!used.includes(f.series)) {
      const field = f.kind === 'co2' ? 'co2Series' : 'tceSeries or equalValueSeries';
      add(
        `factors[${i}].series`,
        `'${f.series}' is not the ${f.kind} series carrier '${car.id}' uses ('${used.join("' / '")}'), so this factor would never apply: ` +
          `set the factor's series or the carrier's ${field}${didYouMean(f.series, used)}`,
      );
    }
  }
}

function checkProcessEmissions(c: PlantConfig, add: Add): void {
  c.processEmissions.forEach((pe, i) => {
    const at = `processEmissions[${i}]`;
    const s = c.signals.find((x) => x.id === pe.signal);
    if (s === undefined) {
      add(
        `${at}.signal`,
        unknownId(
          ID_KIND.signal,
          pe.signal,
          c.signals.map((x) => x.id),
        ),
      );
      return;
    }
    if (s.kind === 'gauge' || s.kind === 'state') {
      add(
        `${at}.signal`,
        `'${pe.signal}' is a ${s.kind} signal: process emissions need an amount (counter, manual, rate, virtual)`,
      );
      return;
    }
    const measured = measuredUnit(c, s);
    try {
      ratioUnitFactor(pe.unit, `kgCO2/${measured}`);
    } catch {
      add(
        `${at}.unit`,
        `'${pe.unit}' is not CO2 per the signal's unit (${measured}): write it as tCO2/${measured} or kgCO2/${measured}`,
      );
    }
  });
}

/** The unit a signal's amounts are in (its carrier's or product's, a rate's amount unit, else its own). */
function measuredUnit(c: PlantConfig, s: PlantConfig['signals'][number]): string {
  const own = s.kind === 'rate' ? (rateTimeUnitMs(s.unit)?.amountUnit ?? s.unit) : s.unit;
  return (
    c.carriers.find((x) => x.id === s.carrier)?.unit ??
    c.products.find((x) => x.id === s.product)?.unit ??
    own
  );
}
