/** Which factor a carrier's use reads: its series, and the pick among a series by region, instant or pinned year. */
import type { PlantConfig } from '../schema.ts';
import type { FactorLibrary, LibraryFactor } from './library.ts';

/** tce: equivalent value (当量值) or the carrier's tceSeries; equal: equal value (等价值); co2: emission factor */
export type FactorUse = 'tce' | 'equal' | 'co2';

/** The series each use of a carrier reads (equal: the tce series when the carrier declares no equal value). */
export function carrierSeries(
  car: PlantConfig['carriers'][number],
  library: Pick<FactorLibrary, 'defaultCo2Series'>,
): Record<FactorUse, string> {
  return {
    tce: car.tceSeries,
    equal: car.equalValueSeries ?? car.tceSeries,
    co2: car.co2Series ?? library.defaultCo2Series[car.id] ?? 'default',
  };
}

/**
 * Among one series' factors, those of the region (else CN): valid at the instant, or of the pinned year when the
 * series is dated (an undated series ignores the pin).
 */
export function pickFactor(
  candidates: readonly LibraryFactor[],
  region: string,
  year: number | undefined,
  atMs: number,
): { factor: LibraryFactor; pinned: boolean } | undefined {
  for (const r of [region, 'CN']) {
    const pool = candidates.filter((f) => f.region === r);
    const pinned = year !== undefined && pool.some((f) => f.year !== undefined);
    const found = pinned
      ? pool.find((f) => f.year === year)
      : pool.find((f) => f.fromMs <= atMs && atMs < f.toMs);
    if (found) return { factor: found, pinned };
  }
  return undefined;
}
