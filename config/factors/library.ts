/** The factor library: built-in defaults merged with a site's own factors, and lookup by time. */
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

/** Built-ins (when enabled) with every key the site declares replaced by the site's entries. */
export function buildLibrary(config: PlantConfig): FactorLibrary {
  const tz = config.site.timeZone;
  const toLib = (f: FactorConfig, origin: LibraryFactor['origin']): LibraryFactor => ({
    ...f,
    origin,
    fromMs: f.from ? parseConfigTime(f.from, tz) : Number.NEGATIVE_INFINITY,
    toMs: f.to ? parseConfigTime(f.to, tz) : Number.POSITIVE_INFINITY,
  });
  const site = config.factors.map((f) => toLib(f, 'site'));
  const siteKeys = new Set(site.map(factorKey));
  const builtin = config.useBuiltInFactors
    ? parseBuiltinLibrary()
    : { factors: [], defaultSeries: { co2: {} } };
  const kept = builtin.factors.filter((f) => !siteKeys.has(factorKey(f))).map((f) => toLib(f, 'builtin'));
  return { factors: [...kept, ...site], defaultCo2Series: builtin.defaultSeries.co2 };
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
