/** Completeness of a signal in a period: expected reading slots against slots that hold at least one reading. */

export interface Completeness {
  expected: number;
  present: number;
  /** present / expected, capped at 1; 1 when nothing is expected */
  ratio: number;
}

export function completeness(
  times: Float64Array,
  fromMs: number,
  toMs: number,
  expectedIntervalMs: number,
): Completeness {
  if (toMs <= fromMs) return { expected: 0, present: 0, ratio: 1 };
  const expected = Math.max(1, Math.floor((toMs - fromMs) / expectedIntervalMs));
  let present = 0;
  let lastSlot = -1;
  for (const t of times) {
    if (t < fromMs) continue;
    if (t >= toMs) break;
    const slot = Math.min(expected - 1, Math.floor((t - fromMs) / expectedIntervalMs));
    if (slot !== lastSlot) {
      present++;
      lastSlot = slot;
    }
  }
  return { expected, present, ratio: Math.min(1, present / expected) };
}
