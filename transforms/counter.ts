/**
 * Cumulative counters to a corrected cumulative series: rollovers, resets and recorded meter replacements.
 * cumulative[0] = 0 and cumulative[i] is the consumption from times[0] to times[i]. Readings are finite numbers
 * (the store refuses others). The rules are spelled out in transforms/README.md.
 */
import type { Series } from '../store/port.ts';

export interface Replacement {
  /** when the meter was swapped, epoch ms */
  atMs: number;
  /**
   * old meter's reading at removal; when absent, the last old reading is used and a warning event says that
   * consumption between it and removal is unknown
   */
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
  /** the reading before the event (for a rollover after a replacement: the new meter's start) */
  previous: number;
  /** the reading after the event */
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
  const limit = opts.rolloverAt;
  if (limit !== undefined && !(limit > 0 && Number.isFinite(limit)))
    throw new RangeError(`rolloverAt must be a positive number, got ${limit}`);
  const maxWrap = limit === undefined ? 0 : limit * (opts.maxRolloverFraction ?? 0.5);
  const reps = [...(opts.replacements ?? [])].sort((a, b) => a.atMs - b.atMs);
  for (const rep of reps)
    if (!Number.isFinite(rep.atMs) || !Number.isFinite(rep.newStart))
      throw new RangeError(`replacement at ${rep.atMs}: atMs and newStart must be finite numbers`);
  // Replacements before the first reading, or at it when that reading is already the new meter's, are history:
  // every reading belongs to the new meter.
  let r = 0;
  while (n > 0 && r < reps.length && separates(reps[r]!, times[0]!, values[0]!)) r++;
  for (let i = 1; i < n; i++) {
    const t = times[i]!;
    const cur = values[i]!;
    let prev = values[i - 1]!;
    let inc = 0;
    // each replacement between reading i-1 and reading i: the old meter up to its final, the next from its start
    while (r < reps.length && separates(reps[r]!, t, cur)) {
      const rep = reps[r++]!;
      inc += (rep.oldFinal ?? prev) - prev;
      events.push(replacementEvent(rep, prev, cur));
      prev = rep.newStart;
    }
    if (cur >= prev) inc += cur - prev;
    else if (limit !== undefined && prev <= limit && cur >= 0 && limit - prev + cur <= maxWrap) {
      // the limit itself reads as 0, so prev === limit gives an increment of cur
      const wrapped = limit - prev + cur;
      inc += wrapped;
      events.push({
        kind: 'rollover',
        atMs: t,
        previous: prev,
        current: cur,
        message: `counter wrapped at ${limit}: ${prev} -> ${cur} counted as ${wrapped}`,
      });
    } else {
      inc += cur;
      events.push({
        kind: 'reset',
        atMs: t,
        previous: prev,
        current: cur,
        message:
          `counter fell from ${prev} to ${cur} without a recorded replacement` +
          (limit === undefined ? '' : ` and too far from its rollover at ${limit}`) +
          `: assumed restarted from 0 (counted as ${cur}); record the replacement if there was one`,
      });
    }
    cumulative[i] = cumulative[i - 1]! + inc;
  }
  return { times, cumulative, events };
}

/**
 * Does the replacement lie before the reading (t, v)? Readings before atMs are the old meter's, after it the new
 * one's; a reading exactly at atMs is the old meter's when it is at least as close to oldFinal as to newStart.
 */
function separates(rep: Replacement, t: number, v: number): boolean {
  if (rep.atMs !== t) return rep.atMs < t;
  if (rep.oldFinal === undefined) return true;
  return Math.abs(v - rep.oldFinal) > Math.abs(v - rep.newStart);
}

function replacementEvent(rep: Replacement, lastOld: number, firstNew: number): CounterEvent {
  const base = { atMs: rep.atMs, previous: lastOld, current: firstNew };
  if (rep.oldFinal === undefined)
    return {
      ...base,
      kind: 'replacement_without_final',
      message:
        `meter replaced without the old meter's final reading: consumption between its last reading (${lastOld}) ` +
        `and the swap is unknown and counted as 0; the new meter counts from ${rep.newStart}`,
    };
  return {
    ...base,
    kind: 'replacement',
    message: `meter replaced: old meter ${lastOld} -> ${rep.oldFinal} (final), new meter from ${rep.newStart}`,
  };
}
