/** The plant config compiled for calculation: times in epoch ms, lookups by id, scopes with assignments. */
import { KpiError } from '../config/errors.ts';
import { parseExpression, type Term } from '../config/expression.ts';
import {
  buildLibrary,
  type FactorKind,
  type FactorLibrary,
  type LibraryFactor,
} from '../config/factors/library.ts';
import type { EquipmentConfig, PlantConfig, SignalConfig } from '../config/schema.ts';
import { parseConfigTime } from '../config/time.ts';
import { ratioUnitFactor } from '../transforms/units.ts';
import type { ScopeKind } from './rows.ts';

export interface Assignment {
  signal: string;
  share: number;
  fromMs: number;
  toMs: number;
}

export interface Scope {
  type: ScopeKind;
  id: string;
  /** for areas and teams: the branch; for branches: the general branch if any */
  parent?: string;
  meters: Assignment[];
  products: Assignment[];
  equipment: { id: string; fromMs: number; toMs: number }[];
}

export interface ResolvedFactor {
  /** kgce or kgCO2 per unit of the carrier */
  perCarrierUnit: number;
  factor: LibraryFactor;
}

export interface Plant {
  config: PlantConfig;
  timeZone: string;
  signals: Map<string, SignalConfig>;
  virtualTerms: Map<string, Term[]>;
  carrierUnit: Map<string, string>;
  productUnit: Map<string, string>;
  equipment: Map<string, EquipmentConfig>;
  site: Scope;
  areas: Scope[];
  teams: Scope[];
  branches: Scope[];
  generalBranches: Scope[];
  library: FactorLibrary;
  /** all instants at which an assignment or factor starts or ends */
  changePointsMs: number[];
  factor(carrier: string, kind: FactorKind, atMs: number): ResolvedFactor;
  emissionScope(signal: string): 1 | 2 | 3 | 'none';
}

/** The config or the data cannot give a KPI (no factor valid at a time, say): exit 5; retrying will not help. */
export class DataError extends KpiError {
  override name = 'DataError';
}

const NEG = Number.NEGATIVE_INFINITY;
const POS = Number.POSITIVE_INFINITY;

export function compilePlant(config: PlantConfig): Plant {
  const tz = config.site.timeZone;
  const t = (text: string | undefined, dflt: number) =>
    text === undefined ? dflt : parseConfigTime(text, tz);
  const assign = (list: { signal: string; share: number; from?: string; to?: string }[], clip = [NEG, POS]) =>
    list.map((m) => ({
      signal: m.signal,
      share: m.share,
      fromMs: Math.max(t(m.from, NEG), clip[0]!),
      toMs: Math.min(t(m.to, POS), clip[1]!),
    }));
  const equip = (list: { id: string; from?: string; to?: string }[], clip = [NEG, POS]) =>
    list.map((e) => ({
      id: e.id,
      fromMs: Math.max(t(e.from, NEG), clip[0]!),
      toMs: Math.min(t(e.to, POS), clip[1]!),
    }));

  const signals = new Map(config.signals.map((s) => [s.id, s]));
  const virtualTerms = new Map<string, Term[]>();
  for (const s of config.signals)
    if (s.kind === 'virtual') virtualTerms.set(s.id, parseExpression(s.expression));

  const whole = (id: string) => ({ signal: id, share: 1, fromMs: NEG, toMs: POS });
  const site: Scope = {
    type: 'site',
    id: config.site.id,
    meters: config.signals.filter((s) => s.carrier !== undefined && s.inSiteTotal).map((s) => whole(s.id)),
    products: config.signals.filter((s) => s.product !== undefined && s.inSiteTotal).map((s) => whole(s.id)),
    equipment: config.equipment.map((e) => ({ id: e.id, fromMs: NEG, toMs: POS })),
  };
  const areas: Scope[] = config.organisation.areas.map((a) => ({
    type: 'area',
    id: a.id,
    parent: a.branch,
    meters: assign(a.meters),
    products: assign(a.products),
    equipment: equip(a.equipment),
  }));
  const teams: Scope[] = config.organisation.teams.map((tm) => {
    const clip = [t(tm.from, NEG), t(tm.to, POS)];
    return {
      type: 'team',
      id: tm.id,
      parent: tm.branch,
      meters: assign(tm.meters, clip),
      products: assign(tm.products, clip),
      equipment: equip(tm.equipment, clip),
    };
  });
  const empty = (type: ScopeKind, id: string, parent?: string): Scope => ({
    type,
    id,
    ...(parent === undefined ? {} : { parent }),
    meters: [],
    products: [],
    equipment: [],
  });
  const branches = config.organisation.branches.map((b) => empty('branch', b.id, b.generalBranch));
  const generalBranches = config.organisation.generalBranches.map((g) => empty('general_branch', g.id));

  const library = buildLibrary(config);
  const carriers = new Map(config.carriers.map((c) => [c.id, c]));
  const points = new Set<number>();
  for (const s of [...areas, ...teams]) {
    for (const a of [...s.meters, ...s.products, ...s.equipment]) points.add(a.fromMs).add(a.toMs);
  }
  for (const f of library.factors) points.add(f.fromMs).add(f.toMs);

  const factor = (carrier: string, kind: FactorKind, atMs: number): ResolvedFactor => {
    const car = carriers.get(carrier);
    if (car === undefined) throw new DataError(`unknown carrier '${carrier}'`);
    const series =
      kind === 'tce' ? car.tceSeries : (car.co2Series ?? library.defaultCo2Series[carrier] ?? 'default');
    const region = car.region ?? config.site.gridRegion;
    const valid = library.factors.filter(
      (f) =>
        f.carrier === carrier && f.kind === kind && f.series === series && f.fromMs <= atMs && atMs < f.toMs,
    );
    const found = valid.find((f) => f.region === region) ?? valid.find((f) => f.region === 'CN');
    if (found === undefined) {
      throw new DataError(
        `no ${kind} factor for '${carrier}' (series '${series}', region ${region}) valid at ${new Date(atMs).toISOString()}: ` +
          'add one under factors in the plant config',
      );
    }
    const per = kind === 'tce' ? `kgce/${car.unit}` : `kgCO2/${car.unit}`;
    return { perCarrierUnit: found.value * ratioUnitFactor(found.unit, per), factor: found };
  };

  return {
    config,
    timeZone: tz,
    signals,
    virtualTerms,
    carrierUnit: new Map(config.carriers.map((c) => [c.id, c.unit])),
    productUnit: new Map(config.products.map((p) => [p.id, p.unit])),
    equipment: new Map(config.equipment.map((e) => [e.id, e])),
    site,
    areas,
    teams,
    branches,
    generalBranches,
    library,
    changePointsMs: [...points].filter(Number.isFinite).sort((a, b) => a - b),
    factor,
    emissionScope(signal) {
      const s = signals.get(signal);
      const c = s?.carrier === undefined ? undefined : carriers.get(s.carrier);
      return s?.emissionScope ?? c?.emissionScope ?? 'none';
    },
  };
}

/** The physical (non-virtual) signals a signal's amounts are made of, itself included when physical. */
export function physicalSignals(plant: Plant, id: string, seen = new Set<string>()): Set<string> {
  const terms = plant.virtualTerms.get(id);
  if (terms === undefined) return seen.add(id);
  for (const term of terms) physicalSignals(plant, term.signal, seen);
  return seen;
}
