/**
 * Pure: OEE per ISO 22400-2, the hours it lost, and specific energy for one piece of equipment over one period.
 * The losses split the planned busy time: planned busy = ideal time of the good output + availability loss
 * + performance loss + quality loss, so OEE = ideal time of the good output / planned busy time.
 */
import type { Series } from '../store/port.ts';
import { stateDurations } from '../transforms/state.ts';
import { dimensionOf, unitFactor } from '../transforms/units.ts';
import type { SignalAmounts } from './amounts.ts';
import type { Plant } from './plant.ts';

export interface OeeParts {
  /** ms in each category; unknown time is left out of the planned busy time */
  runMs: number;
  plannedStopMs: number;
  unplannedStopMs: number;
  unknownMs: number;
  /** planned busy time = period - planned stops - unknown */
  plannedBusyMs: number;
  produced: number;
  good: number;
  /** ideal time for what was produced, ms */
  idealMs: number;
}

/** The planned busy time OEE lost, in hours (ISO 22400-2's three losses). */
export interface OeeLossH {
  /** planned busy time not run: unplanned stops (planned busy - run time) */
  availability: number;
  /** run time not turned into output at the ideal rate (run time - ideal time); negative above the ideal rate */
  performance: number;
  /** ideal time of the output that was not good ((produced - good) / ideal rate) */
  quality: number;
}

export interface EquipmentResult {
  id: string;
  oee?: {
    availability: number;
    performance: number;
    quality: number;
    oee: number;
    parts: OeeParts;
    lossH: OeeLossH;
  };
  specificEnergy?: { value: number; unit: string };
  signals: string[];
  notes: string[];
}

const sum = (a: Float64Array | undefined) => (a ? a.reduce((s, x) => s + x, 0) : 0);

export function equipmentResult(
  plant: Plant,
  id: string,
  states: Series | undefined,
  amounts: Map<string, SignalAmounts>,
  startMs: number,
  endMs: number,
): EquipmentResult {
  const eq = plant.equipment.get(id)!;
  const result: EquipmentResult = { id, signals: [], notes: [] };
  const produced = eq.producedSignal ? sum(amounts.get(eq.producedSignal)?.amounts) : undefined;
  if (eq.stateSignal && states && eq.idealRatePerH !== undefined && produced !== undefined) {
    const stateSignal = plant.signals.get(eq.stateSignal);
    const maxHoldMs = stateSignal?.kind === 'state' ? stateSignal.maxHoldMs : undefined;
    const hold = maxHoldMs === undefined ? {} : { maxHoldMs };
    const d = stateDurations(states, startMs, endMs, hold);
    const parts: OeeParts = {
      runMs: 0,
      plannedStopMs: 0,
      unplannedStopMs: 0,
      unknownMs: d.unknownMs,
      plannedBusyMs: 0,
      produced,
      good: eq.goodSignal ? sum(amounts.get(eq.goodSignal)?.amounts) : produced,
      idealMs: (produced / eq.idealRatePerH) * 3_600_000,
    };
    for (const [code, ms] of d.byCode) {
      const cat = eq.stateCodes.get(String(code));
      if (cat === 'running') parts.runMs += ms;
      else if (cat === 'planned_stop') parts.plannedStopMs += ms;
      else if (cat === 'unplanned_stop') parts.unplannedStopMs += ms;
      else {
        parts.unknownMs += ms;
        result.notes.push(
          `state code ${code} is not in stateCodes: ${(ms / 3_600_000).toFixed(2)} h counted as unknown`,
        );
      }
    }
    if (parts.unknownMs > 0)
      result.notes.push(`${(parts.unknownMs / 3_600_000).toFixed(2)} h without a known state`);
    parts.plannedBusyMs = endMs - startMs - parts.plannedStopMs - parts.unknownMs;
    result.signals.push(eq.stateSignal, eq.producedSignal!, ...(eq.goodSignal ? [eq.goodSignal] : []));
    if (parts.plannedBusyMs > 0 && parts.runMs > 0 && parts.produced > 0) {
      const availability = parts.runMs / parts.plannedBusyMs;
      const performance = parts.idealMs / parts.runMs;
      const quality = parts.good / parts.produced;
      result.oee = {
        availability,
        performance,
        quality,
        oee: availability * performance * quality,
        parts,
        lossH: oeeLossH(parts),
      };
    }
  }
  if (produced !== undefined && produced > 0) {
    let kwh = 0;
    const used: string[] = [];
    for (const [sid, s] of plant.signals) {
      if (s.equipment !== id || s.carrier === undefined) continue;
      const unit = plant.carriers.get(s.carrier)!.unit;
      if (dimensionOf(unit) !== dimensionOf('kWh')) continue;
      kwh += sum(amounts.get(sid)?.amounts) * unitFactor(unit, 'kWh');
      used.push(sid);
    }
    if (used.length > 0) {
      const pu = plant.signals.get(eq.producedSignal!)!.unit;
      result.specificEnergy = { value: kwh / produced, unit: `kWh/${pu}` };
      result.signals.push(...used);
    }
  }
  return result;
}

/** The three losses in hours; they add up to the planned busy time minus the ideal time of the good output. */
export function oeeLossH(p: OeeParts): OeeLossH {
  const goodIdealMs = p.produced > 0 ? p.idealMs * (p.good / p.produced) : 0;
  return {
    availability: (p.plannedBusyMs - p.runMs) / 3_600_000,
    performance: (p.runMs - p.idealMs) / 3_600_000,
    quality: (p.idealMs - goodIdealMs) / 3_600_000,
  };
}
