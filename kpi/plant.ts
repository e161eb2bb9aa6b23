/**
 * The plant config compiled for calculation, once: times in epoch ms, lookups by id, scopes with their assignments
 * and names, units, emission scopes and factor series resolved. The engine takes this model, never the raw config.
 */
import type { Term } from '../config/expression.ts';
import { buildLibrary, type FactorLibrary } from '../config/factors/library.ts';
import type { PlantConfig, TargetConfig } from '../config/schema.ts';
import { ratioUnitFactor } from '../transforms/units.ts';
import { type Balance, compileBalances } from './balance.ts';
import { type Baseline, compileBaselines } from './baseline/compile.ts';
import { type Cems, compileCems } from './cems.ts';
import { compileEquipment, compileSignals, type Equipment, type Signal } from './plant-signals.ts';

export { DataError, type FactorUse, type ResolvedFactor } from './plant-factors.ts';

import { type FactorLookup, factorLookup } from './plant-factors.ts';
import { CompileProblems } from './plant-times.ts';
import { compileRecoveries, type Recovery, recoveryChangePoints } from './recovery.ts';
import { type LabelNames, labelNames, type ScopeKind } from './rows.ts';
import { compileScorecard } from './scorecard/compile.ts';
import type { ScorecardModel } from './scorecard/model.ts';

export type {
  CounterSignal,
  EmissionScopeId,
  Equipment,
  RateSignal,
  Replacement,
  Signal,
  StateSignal,
} from './plant-signals.ts';

export interface Assignment {
  signal: string;
  share: number;
  fromMs: number;
  toMs: number;
}

export interface Scope {
  type: ScopeKind;
  id: string;
  /** the label from the config, when it gives one */
  name?: string;
  /** for areas and teams: the branch; for branches: the general branch if any */
  parent?: string;
  meters: Assignment[];
  products: Assignment[];
  equipment: { id: string; fromMs: number; toMs: number }[];
  /**
   * for teams: the meters and products by their own validity, not cut at the team's from/to (a team's energy
   * baseline is fitted over the time before it started; kpi/baseline/stage.ts)
   */
  uncut?: { meters: Assignment[]; products: Assignment[] };
}

export interface Carrier {
  id: string;
  name?: string;
  /** the unit its KPI rows are reported in */
  unit: string;
  /** the tce series of its equal value (等价值), when the site declares one */
  equalValueSeries?: string;
}

/** Process CO2: a signal's amount × a factor, scope 1 (processEmissions in the config). */
export interface ProcessEmission {
  signal: string;
  name?: string;
  /** kgCO2 per unit of the signal's amount (its measured unit) */
  kgCo2PerUnit: number;
  /** counts at the site (the signal's inSiteTotal) */
  inSiteTotal: boolean;
  source: string;
}

export interface Product {
  id: string;
  name?: string;
  unit: string;
}

/** A target as configured (it holds no times to parse). */
export type Target = Readonly<TargetConfig>;

export interface Plant {
  timeZone: string;
  /** KPIs resting on a signal with completeness below this are provisional */
  provisionalBelow: number;
  /** in config order */
  signals: ReadonlyMap<string, Signal>;
  virtualTerms: ReadonlyMap<string, readonly Term[]>;
  /** in config order */
  carriers: ReadonlyMap<string, Carrier>;
  products: ReadonlyMap<string, Product>;
  /** carrier and product names, for KPI labels */
  names: LabelNames;
  /** in config order */
  equipment: ReadonlyMap<string, Equipment>;
  site: Scope;
  committee: Scope;
  areas: Scope[];
  teams: Scope[];
  branches: Scope[];
  generalBranches: Scope[];
  targets: readonly Target[];
  /** metering balances, nested ones resolved to their main meter */
  balances: readonly Balance[];
  /** CEMS stacks, when the site has any */
  cems?: Cems;
  /** waste-heat recoveries: flows of their own, never products (recovery.ts) */
  recoveries: readonly Recovery[];
  /** ranking groups, point rules, key tasks and pledges */
  scorecard: ScorecardModel;
  /** energy baselines (ISO 50006) and the savings against them */
  baselines: readonly Baseline[];
  library: FactorLibrary;
  /** all instants at which an assignment or factor starts or ends */
  changePointsMs: number[];
  /** the factor of a carrier's use (tce, equal value, CO2) at an instant, honouring a pinned year */
  factor: FactorLookup;
  /** some carrier declares an equal value: the energy.total.equal_value rows are reported */
  reportsEqualValue: boolean;
  /** process CO2 sources, in config order */
  processEmissions: readonly ProcessEmission[];
}

const NEG = Number.NEGATIVE_INFINITY;
const POS = Number.POSITIVE_INFINITY;

/**
 * Compiles a (schema-parsed, validated) plant config. A value that cannot be compiled (a time that does not parse,
 * say) throws a ConfigError listing every such problem with its path; `file` names the config in that error.
 */
export function compilePlant(config: PlantConfig, file = '<config>'): Plant {
  const p = new CompileProblems(config.site.timeZone);
  type Valid = { from?: string; to?: string };
  const range = (x: Valid, path: string, clip: readonly number[]) => ({
    fromMs: Math.max(p.time(x.from, `${path}.from`, NEG), clip[0]!),
    toMs: Math.min(p.time(x.to, `${path}.to`, POS), clip[1]!),
  });
  const assign = (list: ({ signal: string; share: number } & Valid)[], path: string, clip = [NEG, POS]) =>
    list.map((m, i) => ({ signal: m.signal, share: m.share, ...range(m, `${path}[${i}]`, clip) }));
  const equip = (list: ({ id: string } & Valid)[], path: string, clip = [NEG, POS]) =>
    list.map((e, i) => ({ id: e.id, ...range(e, `${path}[${i}]`, clip) }));
  const named = (type: ScopeKind, x: { id: string; name?: string | undefined }, parent?: string): Scope => ({
    type,
    id: x.id,
    ...(x.name === undefined ? {} : { name: x.name }),
    ...(parent === undefined ? {} : { parent }),
    meters: [],
    products: [],
    equipment: [],
  });

  const { signals, virtualTerms } = compileSignals(config, p);
  const whole = (id: string) => ({ signal: id, share: 1, fromMs: NEG, toMs: POS });
  const site: Scope = {
    ...named('site', config.site),
    meters: config.signals.filter((s) => s.carrier !== undefined && s.inSiteTotal).map((s) => whole(s.id)),
    products: config.signals.filter((s) => s.product !== undefined && s.inSiteTotal).map((s) => whole(s.id)),
    equipment: config.equipment.map((e) => ({ id: e.id, fromMs: NEG, toMs: POS })),
  };
  const org = config.organisation;
  const areas: Scope[] = org.areas.map((a, i) => {
    const at = `organisation.areas[${i}]`;
    return {
      ...named('area', a, a.branch),
      meters: assign(a.meters, `${at}.meters`),
      products: assign(a.products, `${at}.products`),
      equipment: equip(a.equipment, `${at}.equipment`),
    };
  });
  const teams: Scope[] = org.teams.map((tm, i) => {
    const at = `organisation.teams[${i}]`;
    const own = range(tm, at, [NEG, POS]);
    const clip = [own.fromMs, own.toMs];
    return {
      ...named('team', tm, tm.branch),
      meters: assign(tm.meters, `${at}.meters`, clip),
      products: assign(tm.products, `${at}.products`, clip),
      equipment: equip(tm.equipment, `${at}.equipment`, clip),
    };
  });
  const branches = org.branches.map((b) => named('branch', b, b.generalBranch));
  const generalBranches = org.generalBranches.map((g) => named('general_branch', g));

  // the library parses factor times itself; the site's are checked here first, so a bad one is named by its path
  config.factors.forEach((f, i) => {
    range(f, `factors[${i}]`, [NEG, POS]);
  });
  p.throwIfAny(file);
  // times are known good now (read again without the team's cut, so a bad one is not reported twice)
  org.teams.forEach((tm, i) => {
    const at = `organisation.teams[${i}]`;
    teams[i]!.uncut = {
      meters: assign(tm.meters, `${at}.meters`),
      products: assign(tm.products, `${at}.products`),
    };
  });
  const library = buildLibrary(config);
  const points = new Set<number>();
  for (const s of [...areas, ...teams]) {
    for (const a of [...s.meters, ...s.products, ...s.equipment]) points.add(a.fromMs).add(a.toMs);
  }
  for (const f of library.factors) points.add(f.fromMs).add(f.toMs);
  const recoveries = compileRecoveries(config, signals);
  for (const t of recoveryChangePoints(recoveries)) points.add(t);

  return {
    timeZone: config.site.timeZone,
    provisionalBelow: config.completeness.provisionalBelow,
    signals,
    virtualTerms,
    carriers: new Map(
      config.carriers.map((c) => [
        c.id,
        {
          id: c.id,
          name: c.name,
          unit: c.unit,
          ...(c.equalValueSeries === undefined ? {} : { equalValueSeries: c.equalValueSeries }),
        },
      ]),
    ),
    products: new Map(config.products.map((x) => [x.id, { id: x.id, name: x.name, unit: x.unit }])),
    names: labelNames(config),
    equipment: compileEquipment(config),
    site,
    committee: named('committee', org.committee),
    areas,
    teams,
    branches,
    generalBranches,
    targets: [...config.targets],
    balances: compileBalances(config),
    ...(config.cems === undefined ? {} : { cems: compileCems(config)! }),
    recoveries,
    scorecard: compileScorecard(config),
    baselines: compileBaselines(config),
    library,
    changePointsMs: [...points].filter(Number.isFinite).sort((a, b) => a - b),
    factor: factorLookup(config, library),
    reportsEqualValue: config.carriers.some((c) => c.equalValueSeries !== undefined),
    processEmissions: config.processEmissions.map((pe) => ({
      signal: pe.signal,
      inSiteTotal: config.signals.find((s) => s.id === pe.signal)?.inSiteTotal ?? true,
      ...(pe.name === undefined ? {} : { name: pe.name }),
      kgCo2PerUnit: pe.factor * ratioUnitFactor(pe.unit, `kgCO2/${signals.get(pe.signal)!.measuredUnit}`),
      source: pe.source,
    })),
  };
}

/** The physical (non-virtual) signals a signal's amounts are made of, itself included when physical. */
export function physicalSignals(plant: Plant, id: string, seen = new Set<string>()): Set<string> {
  const terms = plant.virtualTerms.get(id);
  if (terms === undefined) return seen.add(id);
  for (const term of terms) physicalSignals(plant, term.signal, seen);
  return seen;
}
