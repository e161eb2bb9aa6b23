/**
 * Counter amounts from aggregates computed in the store (InfluxDB), without moving the readings: for a counter
 * that never decreases in or around the period (no rollover, reset or replacement there), the consumption between
 * two instants is the difference of its values there, read or interpolated from the readings around each instant.
 * Every other counter (and every rate, virtual or state signal) goes the ordinary way, through range reads.
 */
import { formatLocal } from '../config/time.ts';
import type { AggregateReads, Around } from '../store/port.ts';
import type { Period } from '../transforms/periods.ts';
import { unitFactor } from '../transforms/units.ts';
import type { SignalAmounts } from './amounts.ts';
import type { Plant } from './plant.ts';
import { qualityNotes } from './quality-notes.ts';

const HOUR = 3_600_000;

export interface PushdownResult {
  amounts: Map<string, SignalAmounts>;
  /** counters the aggregates could not settle: read them in full */
  fallback: Set<string>;
}

export async function pushdownCounters(
  plant: Plant,
  store: AggregateReads,
  period: Period,
  points: readonly number[],
  ids: readonly string[],
): Promise<PushdownResult> {
  const amounts = new Map<string, SignalAmounts>();
  const fallback = new Set<string>();
  const counters = ids.filter((id) => {
    const s = plant.signals.get(id)!;
    return s.kind === 'counter' || s.kind === 'manual';
  });
  if (counters.length === 0) return { amounts, fallback };
  const lookMs = Math.min(
    7 * 24 * HOUR,
    Math.max(HOUR, ...counters.map((id) => 3 * plant.signals.get(id)!.sampleIntervalMs)),
  );
  const [decreases, counts, ...aroundEach] = await Promise.all([
    store.decreases(period.startMs - lookMs, period.endMs + lookMs),
    store.counts(period.startMs, period.endMs),
    ...points.map((p) => store.around(p, lookMs)),
  ]);

  for (const id of counters) {
    const s = plant.signals.get(id)!;
    const replaced =
      (s.kind === 'counter' || s.kind === 'manual') &&
      s.replacements.some((r) => r.atMs >= period.startMs - lookMs && r.atMs <= period.endMs + lookMs);
    if (replaced || (decreases.get(id) ?? 0) > 0) {
      fallback.add(id);
      continue;
    }
    const notes: string[] = [];
    const values: number[] = [];
    let ok = true;
    points.forEach((p, k) => {
      const v = valueAround(aroundEach[k]!.get(id), p);
      if (v === null) ok = false;
      else {
        values.push(v.value);
        if (v.interpolated) notes.push(qualityNotes.interpolated(formatLocal(p, plant.timeZone)));
      }
    });
    if (!ok) {
      fallback.add(id);
      continue;
    }
    const f = unitFactor(s.unit, s.measuredUnit);
    const a = new Float64Array(points.length - 1);
    for (let k = 0; k < a.length; k++) a[k] = (values[k + 1]! - values[k]!) * f;
    const iv = s.sampleIntervalMs;
    const expected = Math.max(1, Math.floor((period.endMs - period.startMs) / iv));
    // readings counted where they are: more readings than expected in one slot could hide a gap in another
    const present = Math.min(expected, counts.get(id) ?? 0);
    amounts.set(id, {
      amounts: a,
      suspect: false,
      quality: { signal: id, completeness: present / expected, expected, present, notes },
    });
  }
  return { amounts, fallback };
}

function valueAround(a: Around | undefined, p: number): { value: number; interpolated: boolean } | null {
  if (a === undefined || a.before === null) return null;
  if (a.before.timeMs === p) return { value: a.before.value, interpolated: false };
  if (a.after === null) return null;
  if (a.after.value < a.before.value) return null; // a decrease across the instant: let the full read decide
  const t0 = a.before.timeMs;
  const t1 = a.after.timeMs;
  return {
    value: a.before.value + ((a.after.value - a.before.value) * (p - t0)) / (t1 - t0),
    interpolated: true,
  };
}
