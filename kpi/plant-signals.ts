/** Signals and equipment compiled for calculation: times in epoch ms, durations in ms, units and scopes resolved. */
import { parseExpression, type Term } from '../config/expression.ts';
import type { PlantConfig, SignalConfig, StateCategoryName } from '../config/schema.ts';
import type { Replacement } from '../transforms/counter.ts';
import { rateTimeUnitMs } from '../transforms/units.ts';
import type { CompileProblems } from './plant-times.ts';

export type { Replacement } from '../transforms/counter.ts';

/** GHG scope of a meter's use (1 fuel burnt on site, 2 purchased electricity and heat, 3 other). */
export type EmissionScopeId = 1 | 2 | 3 | 'none';

interface SignalBase {
  id: string;
  /** the label from the config, when it gives one */
  name?: string;
  carrier?: string;
  product?: string;
  /** equipment the signal belongs to */
  equipment?: string;
  /** the signal's own unit (a rate unit for rates) */
  unit: string;
  /** the unit its amounts are reported in: its carrier's or product's, else its own amount unit */
  measuredUnit: string;
  /** expected interval between readings, for completeness */
  sampleIntervalMs: number;
  /** the signal's own emission scope, else its carrier's, else none */
  emissionScope: EmissionScopeId;
}

export interface CounterSignal extends SignalBase {
  kind: 'counter' | 'manual';
  /** the counter wraps to 0 after this value */
  rolloverAt?: number;
  /** meter swaps, their times parsed once at compile time */
  replacements: readonly Replacement[];
}

export interface RateSignal extends SignalBase {
  kind: 'rate';
  /** the unit the rate integrates to (kWh for kW) */
  amountUnit: string;
  /** the rate's time unit (an hour for kW) */
  timeUnitMs: number;
  /** longer intervals between readings are gaps and not integrated (default 5 x the sample interval) */
  maxGapMs: number;
}

export interface StateSignal extends SignalBase {
  kind: 'state';
  /** a reading holds until the next, but at most this long (absent: until the next reading) */
  maxHoldMs?: number;
}

export interface OtherSignal extends SignalBase {
  /** gauges have no amounts; a virtual signal's terms are in Plant.virtualTerms */
  kind: 'gauge' | 'virtual';
}

export type Signal = CounterSignal | RateSignal | StateSignal | OtherSignal;

export interface Equipment {
  id: string;
  name?: string;
  /** ideal production rate, product units per hour */
  idealRatePerH?: number;
  stateSignal?: string;
  producedSignal?: string;
  goodSignal?: string;
  /** state code (as the config writes it, e.g. "1") -> category */
  stateCodes: ReadonlyMap<string, StateCategoryName>;
}

export interface CompiledSignals {
  /** in config order */
  signals: Map<string, Signal>;
  /** each virtual signal's linear combination of other signals, in config order */
  virtualTerms: Map<string, Term[]>;
}

export function compileSignals(config: PlantConfig, p: CompileProblems): CompiledSignals {
  const carriers = new Map(config.carriers.map((c) => [c.id, c]));
  const products = new Map(config.products.map((x) => [x.id, x]));
  const signals = new Map<string, Signal>();
  const virtualTerms = new Map<string, Term[]>();
  config.signals.forEach((s, i) => {
    const at = `signals[${i}]`;
    const carrier = s.carrier === undefined ? undefined : carriers.get(s.carrier);
    const product = s.product === undefined ? undefined : products.get(s.product);
    if (s.carrier !== undefined && carrier === undefined)
      p.add(`${at}.carrier`, `unknown carrier '${s.carrier}'`);
    if (s.product !== undefined && product === undefined)
      p.add(`${at}.product`, `unknown product '${s.product}'`);
    const rate = s.kind === 'rate' ? rateTimeUnitMs(s.unit) : null;
    if (s.kind === 'rate' && rate === null)
      p.add(`${at}.unit`, `'${s.unit}' is not a rate unit (kW, MW, Nm3/h, t/h ...)`);
    const base: SignalBase = {
      id: s.id,
      ...(s.name === undefined ? {} : { name: s.name }),
      ...(s.carrier === undefined ? {} : { carrier: s.carrier }),
      ...(s.product === undefined ? {} : { product: s.product }),
      ...(s.equipment === undefined ? {} : { equipment: s.equipment }),
      unit: s.unit,
      measuredUnit: carrier?.unit ?? product?.unit ?? rate?.amountUnit ?? s.unit,
      sampleIntervalMs: s.sampleIntervalS * 1000,
      emissionScope: s.emissionScope ?? carrier?.emissionScope ?? 'none',
    };
    signals.set(s.id, kindFields(s, base, rate, at, p));
    if (s.kind === 'virtual') {
      try {
        virtualTerms.set(s.id, parseExpression(s.expression));
      } catch (err) {
        p.add(`${at}.expression`, (err as Error).message);
      }
    }
  });
  return { signals, virtualTerms };
}

function kindFields(
  s: SignalConfig,
  base: SignalBase,
  rate: { amountUnit: string; timeUnitMs: number } | null,
  at: string,
  p: CompileProblems,
): Signal {
  switch (s.kind) {
    case 'counter':
    case 'manual':
      return {
        ...base,
        kind: s.kind,
        ...(s.rolloverAt === undefined ? {} : { rolloverAt: s.rolloverAt }),
        replacements: s.replacements.map((r, j) => ({
          atMs: p.time(r.at, `${at}.replacements[${j}].at`, Number.NaN),
          newStart: r.newStart,
          ...(r.oldFinal === undefined ? {} : { oldFinal: r.oldFinal }),
        })),
      };
    case 'rate':
      return {
        ...base,
        kind: 'rate',
        amountUnit: rate?.amountUnit ?? s.unit,
        timeUnitMs: rate?.timeUnitMs ?? Number.NaN,
        maxGapMs: (s.maxGapS ?? 5 * s.sampleIntervalS) * 1000,
      };
    case 'state':
      return {
        ...base,
        kind: 'state',
        ...(s.maxHoldS === undefined ? {} : { maxHoldMs: s.maxHoldS * 1000 }),
      };
    default:
      return { ...base, kind: s.kind };
  }
}

export function compileEquipment(config: PlantConfig): Map<string, Equipment> {
  return new Map(
    config.equipment.map((e) => [
      e.id,
      {
        id: e.id,
        ...(e.name === undefined ? {} : { name: e.name }),
        ...(e.idealRatePerH === undefined ? {} : { idealRatePerH: e.idealRatePerH }),
        ...(e.stateSignal === undefined ? {} : { stateSignal: e.stateSignal }),
        ...(e.producedSignal === undefined ? {} : { producedSignal: e.producedSignal }),
        ...(e.goodSignal === undefined ? {} : { goodSignal: e.goodSignal }),
        stateCodes: new Map(Object.entries(e.stateCodes)),
      },
    ]),
  );
}
