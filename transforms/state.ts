/** Time spent in each state of a state signal: each reading holds until the next (at most maxHoldMs). */
import type { Series } from '../store/port.ts';

export interface StateDurations {
  /** ms per state code */
  byCode: Map<number, number>;
  /** ms with no known state (before the first reading, or beyond maxHoldMs after one) */
  unknownMs: number;
}

/** The series may include the last reading before fromMs: it sets the state at fromMs. */
export function stateDurations(
  series: Series,
  fromMs: number,
  toMs: number,
  opts: { maxHoldMs?: number } = {},
): StateDurations {
  const { times, values } = series;
  const byCode = new Map<number, number>();
  const hold = opts.maxHoldMs ?? Number.POSITIVE_INFINITY;
  let known = 0;
  for (let i = 0; i < times.length; i++) {
    const start = times[i]!;
    if (start >= toMs) break;
    const next = i + 1 < times.length ? times[i + 1]! : Number.POSITIVE_INFINITY;
    const end = Math.min(next, start + hold, toMs);
    const a = Math.max(start, fromMs);
    if (end <= a) continue;
    const code = values[i]!;
    byCode.set(code, (byCode.get(code) ?? 0) + (end - a));
    known += end - a;
  }
  return { byCode, unknownMs: toMs - fromMs - known };
}
