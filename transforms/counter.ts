/**
 * Cumulative counters to a corrected cumulative series: rollovers, resets and recorded meter replacements.
 * cumulative[0] = 0 and cumulative[i] is the consumption from times[0] to times[i].
 */
import type { Series } from '../store/port.ts';

export interface Replacement {
  /** when the meter was swapped, epoch ms */
  atMs: number;
  /** old meter's reading at removal; when absent, the last old reading is used and an event says so */
  oldFinal?: number;
  /** new meter's reading at installation */
  newStart: number;
}

export interface CounterOptions {
  /** the counter wraps to 0 after reaching this value */
  rolloverAt?: number;
  replacements?: readonly Replacement[];
  /** a decrease is a rollover only if the implied increment is at most rolloverAt x this; else a reset (default 0.5) */
  maxRolloverFraction?: number;
}

export type CounterEventKind = 'rollover' | 'reset' | 'replacement' | 'replacement_without_final';

export interface CounterEvent {
  kind: CounterEventKind;
  atMs: number;
  previous: number;
  current: number;
  message: string;
}

export interface CumulativeSeries {
  times: Float64Array;
  cumulative: Float64Array;
}

export function counterCumulative(
  series: Series,
  opts: CounterOptions = {},
): CumulativeSeries & { events: CounterEvent[] } {
  const { times, values } = series;
  const n = times.length;
  const cumulative = new Float64Array(n);
  const events: CounterEvent[] = [];
  const replacements = [...(opts.replacements ?? [])].sort((a, b) => a.atMs - b.atMs);
  const maxFraction = opts.maxRolloverFraction ?? 0.5;
  let r = 0; // next replacement not yet applied
  // skip replacements before the first reading: the series starts on the new meter
  while (r < replacements.length && n > 0 && replacements[r]!.atMs < times[0]!) r++;
  for (let i = 1; i < n; i++) {
    const t0 = times[i - 1]!;
    const t1 = times[i]!;
    let prev = values[i - 1]!;
    const cur = values[i]!;
    let inc = 0;
    let handled = false;
    // replacements in (t0, t1], or exactly at t0 when the reading at t0 was the old meter's final value
    while (r < replacements.length && replacements[r]!.atMs <= t1) {
      const rep = replacements[r]!;
      const atReadingIsOld = rep.atMs === t1 && isOldReading(cur, rep);
      if (atReadingIsOld) break; // the reading at atMs is the old meter: the swap lies after it
      if (rep.atMs < t0) {
        r++;
        continue;
      }
      const final = rep.oldFinal ?? prev;
      if (rep.oldFinal === undefined) {
        events.push({
          kind: 'replacement_without_final',
          atMs: rep.atMs,
          previous: prev,
          current: cur,
          message: `meter replaced without the old meter's final reading: consumption between the last old reading (${prev}) and the swap is unknown`,
        });
      }
      inc += final - prev;
      events.push({
        kind: 'replacement',
        atMs: rep.atMs,
        previous: prev,
        current: cur,
        message: `meter replaced: old meter ${prev} -> ${final}, new meter from ${rep.newStart}`,
      });
      prev = rep.newStart;
      handled = true;
      r++;
    }
    if (cur >= prev) {
      inc += cur - prev;
    } else {
      const limit = opts.rolloverAt;
      const wrapped = limit === undefined ? Number.POSITIVE_INFINITY : limit - prev + cur;
      if (limit !== undefined && wrapped <= limit * maxFraction) {
        inc += wrapped;
        events.push({
          kind: 'rollover',
          atMs: t1,
          previous: prev,
          current: cur,
          message: `rolled over at ${limit}`,
        });
      } else {
        inc += cur; // a reset without a replacement record: assume the counter restarted from 0
        events.push({
          kind: 'reset',
          atMs: t1,
          previous: prev,
          current: cur,
          message: `counter fell from ${prev} to ${cur} without a recorded replacement${handled ? ' (after a replacement)' : ''}: assumed restarted from 0`,
        });
      }
    }
    cumulative[i] = cumulative[i - 1]! + inc;
  }
  return { times, cumulative, events };
}

/** At exactly atMs: is this the old meter's final reading (rather than the new meter's start)? */
function isOldReading(v: number, rep: Replacement): boolean {
  if (rep.oldFinal === undefined) return false;
  return Math.abs(v - rep.oldFinal) <= Math.abs(v - rep.newStart);
}
