/** The factor library: built-in defaults merged with a site's own factors, dated, and their validity. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { type FactorConfig, FactorSchema, type PlantConfig } from '../schema.ts';
import { parseConfigTime } from '../time.ts';

const BuiltinFile = z.strictObject({
  factors: z.array(FactorSchema),
  defaultSeries: z.strictObject({ co2: z.record(z.string(), z.string()).default({}) }),
});

export type FactorKind = 'tce' | 'co2';

export interface LibraryFactor extends FactorConfig {
  origin: 'builtin' | 'site';
  /** inclusive start, epoch ms (-Infinity when open) */
  fromMs: number;
  /** exclusive end, epoch ms (+Infinity when open) */
  toMs: number;
  /** the validity as applied: `from`/`to` as written, else derived from `year` (YYYY-01-01); absent when open */
  validFrom?: string;
  validTo?: string;
}

export interface FactorLibrary {
  factors: LibraryFactor[];
  /** carrier -> default CO2 series when the carrier names none */
  defaultCo2Series: Record<string, string>;
}

export function builtinLibraryText(): string {
  return readFileSync(new URL('./builtin.yaml', import.meta.url), 'utf8');
}

export function parseBuiltinLibrary(text = builtinLibraryText()): z.infer<typeof BuiltinFile> {
  return BuiltinFile.parse(parse(text));
}

export function factorKey(f: Pick<FactorConfig, 'carrier' | 'kind' | 'series' | 'region'>): string {
  return `${f.carrier}|${f.kind}|${f.series}|${f.region}`;
}

/**
 * Built-ins (when enabled) merged with the site's factors: a site factor with a year replaces the built-in one of
 * its key and year; one without replaces every built-in one of its key. Dated factors without from/to are valid
 * from January 1 of their year until the next year of their key starts; the newest stays valid on.
 */
export function buildLibrary(config: PlantConfig): FactorLibrary {
  const tz = config.site.timeZone;
  const siteKeys = new Set(config.factors.filter((f) => f.year === undefined).map(factorKey));
  const siteYears = new Set(config.factors.filter((f) => f.year !== undefined).map(yearKey));
  const builtin = config.useBuiltInFactors
    ? parseBuiltinLibrary()
    : { factors: [], defaultSeries: { co2: {} } };
  const kept = builtin.factors.filter((f) => !siteKeys.has(factorKey(f)) && !siteYears.has(yearKey(f)));
  const merged = [
    ...kept.map((f) => ({ f, origin: 'builtin' as const })),
    ...config.factors.map((f) => ({ f, origin: 'site' as const })),
  ];
  // per key, the years' starts in order: a dated factor runs until the next one's
  const starts = new Map<string, number[]>();
  for (const { f } of merged) {
    if (f.year === undefined) continue;
    starts.set(factorKey(f), [...(starts.get(factorKey(f)) ?? []), f.year]);
  }
  const factors = merged.map(({ f, origin }): LibraryFactor => {
    const next =
      f.year === undefined
        ? undefined
        : starts
            .get(factorKey(f))!
            .filter((y) => y > f.year!)
            .sort((a, b) => a - b)[0];
    const validFrom = f.from ?? (f.year === undefined ? undefined : `${f.year}-01-01`);
    const validTo = f.to ?? (next === undefined ? undefined : `${next}-01-01`);
    return {
      ...f,
      origin,
      fromMs: validFrom ? parseConfigTime(validFrom, tz) : Number.NEGATIVE_INFINITY,
      toMs: validTo ? parseConfigTime(validTo, tz) : Number.POSITIVE_INFINITY,
      ...(validFrom === undefined ? {} : { validFrom }),
      ...(validTo === undefined ? {} : { validTo }),
    };
  });
  return { factors, defaultCo2Series: builtin.defaultSeries.co2 };
}

function yearKey(f: FactorConfig): string {
  return `${factorKey(f)}|${f.year}`;
}

export interface FactorOverlap {
  index: number;
  other: number;
  key: string;
}

/** Pairs of factors of one key whose validity overlaps (indices into library.factors). */
export function findOverlaps(factors: readonly LibraryFactor[]): FactorOverlap[] {
  const byKey = new Map<string, number[]>();
  factors.forEach((f, i) => {
    const k = factorKey(f);
    byKey.set(k, [...(byKey.get(k) ?? []), i]);
  });
  const out: FactorOverlap[] = [];
  for (const [key, idx] of byKey) {
    for (let a = 0; a < idx.length; a++) {
      for (let b = a + 1; b < idx.length; b++) {
        const fa = factors[idx[a]!]!;
        const fb = factors[idx[b]!]!;
        if (fa.fromMs < fb.toMs && fb.fromMs < fa.toMs) out.push({ index: idx[b]!, other: idx[a]!, key });
      }
    }
  }
  return out;
}
