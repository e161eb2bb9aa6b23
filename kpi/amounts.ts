/** Pure: a signal's amount (in its carrier's or product's unit) in each segment between split points. */
import { formatLocal } from '../config/time.ts';
import type { Series } from '../store/port.ts';
import { completeness } from '../transforms/completeness.ts';
import { counterCumulative } from '../transforms/counter.ts';
import { valuesAt } from '../transforms/interpolate.ts';
import { integrateRate } from '../transforms/rate.ts';
import { unitFactor } from '../transforms/units.ts';
import type { PeriodData } from './load.ts';
import type { Plant } from './plant.ts';
import { qualityNotes } from './quality-notes.ts';
import type { SignalQuality } from './rows.ts';

export interface SignalAmounts {
  /** amount per segment [points[k], points[k+1]) in the carrier's or product's unit */
  amounts: Float64Array;
  quality: SignalQuality;
  /** a reset without a replacement record or a replacement without the old final reading: values rest on guesses */
  suspect: boolean;
}

const EMPTY: Series = { times: new Float64Array(0), values: new Float64Array(0) };

/** Amounts of every quantity signal (counter, manual, rate, virtual) for the given split points. */
export function computeAmounts(
  plant: Plant,
  data: PeriodData,
  points: readonly number[],
): Map<string, SignalAmounts> {
  const physical = new Map<string, SignalAmounts>();
  for (const [id, s] of plant.signals) {
    if (isQuantity(s.kind)) physical.set(id, physicalAmounts(plant, id, data.get(id) ?? EMPTY, points));
  }
  return withVirtual(plant, physical, points);
}

export function isQuantity(kind: string): boolean {
  return kind === 'counter' || kind === 'manual' || kind === 'rate';
}

/** Adds the virtual meters, each a linear combination of other meters' amounts, segment by segment. */
export function withVirtual(
  plant: Plant,
  physical: Map<string, SignalAmounts>,
  points: readonly number[],
): Map<string, SignalAmounts> {
  const out = new Map(physical);
  const unit = (signal: string) => plant.signals.get(signal)!.measuredUnit;
  const get = (id: string): SignalAmounts | undefined => {
    const done = out.get(id);
    if (done || !plant.virtualTerms.has(id)) return done;
    const amounts = new Float64Array(points.length - 1);
    const notes: string[] = [];
    let ratio = 1;
    let suspect = false;
    for (const t of plant.virtualTerms.get(id)!) {
      const a = get(t.signal);
      if (a === undefined) continue;
      const f = t.coefficient * unitFactor(unit(t.signal), unit(id));
      for (let k = 0; k < amounts.length; k++) amounts[k]! += f * a.amounts[k]!;
      ratio = Math.min(ratio, a.quality.completeness);
      suspect ||= a.suspect;
      if (a.quality.completeness < 1)
        notes.push(qualityNotes.termIncomplete(t.signal, a.quality.completeness));
    }
    const result = {
      amounts,
      suspect,
      quality: { signal: id, completeness: ratio, expected: 0, present: 0, notes },
    };
    out.set(id, result);
    return result;
  };
  for (const id of plant.virtualTerms.keys()) get(id);
  return out;
}

export function physicalAmounts(
  plant: Plant,
  id: string,
  series: Series,
  points: readonly number[],
): SignalAmounts {
  const s = plant.signals.get(id)!;
  const tz = plant.timeZone;
  const start = points[0]!;
  const end = points[points.length - 1]!;
  const c = completeness(series.times, start, end, s.sampleIntervalMs);
  const notes: string[] = [];
  const amounts = new Float64Array(points.length - 1);
  let suspect = false;
  const target = s.measuredUnit;
  if (series.times.length === 0) {
    notes.push(qualityNotes.noReadings());
  } else if (s.kind === 'rate') {
    const f = unitFactor(s.amountUnit, target);
    const { timeUnitMs, maxGapMs } = s;
    let gapMs = 0;
    for (let k = 0; k + 1 < points.length; k++) {
      const r = integrateRate(series, points[k]!, points[k + 1]!, { timeUnitMs, maxGapMs });
      amounts[k] = r.amount * f;
      gapMs += points[k + 1]! - points[k]! - r.coveredMs;
    }
    if (gapMs > 0) notes.push(qualityNotes.rateGap((gapMs / 3_600_000).toFixed(2)));
  } else if (s.kind === 'counter' || s.kind === 'manual') {
    const cum = counterCumulative(series, {
      ...(s.rolloverAt === undefined ? {} : { rolloverAt: s.rolloverAt }),
      replacements: s.replacements,
    });
    for (const e of cum.events) {
      if (e.atMs <= start || e.atMs > end) continue;
      notes.push(qualityNotes.counterEvent(e, formatLocal(e.atMs, tz)));
      if (e.kind === 'reset' || e.kind === 'replacement_without_final') suspect = true;
    }
    const at = valuesAt(cum.times, cum.cumulative, points);
    const first = cum.times[0]!;
    const last = cum.times[cum.times.length - 1]!;
    const values = at.map((v, k) => {
      const p = points[k]!;
      if (v === null) {
        notes.push(
          p < first
            ? qualityNotes.noReadingBefore(formatLocal(p, tz), formatLocal(first, tz))
            : qualityNotes.noReadingAfter(formatLocal(p, tz), formatLocal(last, tz)),
        );
        suspect = true;
        return p < first ? 0 : cum.cumulative[cum.cumulative.length - 1]!;
      }
      if (v.interpolated) notes.push(qualityNotes.interpolated(formatLocal(p, tz)));
      return v.value;
    });
    const f = unitFactor(s.unit, target);
    for (let k = 0; k < amounts.length; k++) amounts[k] = (values[k + 1]! - values[k]!) * f;
  }
  return {
    amounts,
    suspect,
    quality: { signal: id, completeness: c.ratio, expected: c.expected, present: c.present, notes },
  };
}
