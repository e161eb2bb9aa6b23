/**
 * The one narrow port through which everything reads and writes series.
 * Implementations: the embedded columnar store (store/embedded) and, later, InfluxDB.
 * Every implementation passes the same contract suite (store/contract.ts).
 *
 * Semantics (all implementations):
 * - A point is (signal, timeMs, value). timeMs is epoch milliseconds (UTC), the source time.
 * - Writing a point with the same (signal, timeMs) as a stored one overwrites it (last write wins),
 *   so a replayed write is idempotent, as in InfluxDB.
 * - Ranges are half-open: fromMs <= t < toMs.
 */
export interface Point {
  signal: string;
  /** source time, epoch milliseconds */
  timeMs: number;
  value: number;
}

/** Column-oriented readings of one signal, times ascending and unique. */
export interface Series {
  /** epoch milliseconds, ascending, unique */
  times: Float64Array;
  values: Float64Array;
}

export interface Sample {
  timeMs: number;
  value: number;
}

export interface SeriesStore {
  /** Writes points (any order, any signals). Resolves once they are durable. */
  write(points: readonly Point[]): Promise<void>;
  /** Readings of one signal with fromMs <= t < toMs, ascending. Empty arrays when none. */
  readRange(signal: string, fromMs: number, toMs: number): Promise<Series>;
  /** The last reading with t <= atMs, or null. */
  lastAtOrBefore(signal: string, atMs: number): Promise<Sample | null>;
  /** The first reading with t >= atMs, or null. */
  firstAtOrAfter(signal: string, atMs: number): Promise<Sample | null>;
  /** Number of readings with fromMs <= t < toMs. */
  count(signal: string, fromMs: number, toMs: number): Promise<number>;
  /** Every signal that has at least one reading, sorted. */
  signals(): Promise<string[]>;
  close(): Promise<void>;
}

/** Readings on either side of an instant. */
export interface Around {
  /** the last reading with t <= atMs */
  before: Sample | null;
  /** the first reading with t >= atMs */
  after: Sample | null;
}

/**
 * Aggregates a store can compute where the data is (InfluxDB), so that a month close need not move every reading.
 * Each call answers for every signal of the site at once; the KPI engine falls back to range reads where needed.
 */
export interface AggregateReads {
  /** per signal, the readings around an instant (looking back and ahead at most lookMs) */
  around(atMs: number, lookMs: number): Promise<Map<string, Around>>;
  /** per signal, how many times a reading is lower than the one before, fromMs <= t <= toMs */
  decreases(fromMs: number, toMs: number): Promise<Map<string, number>>;
  /** per signal, how many readings there are with fromMs <= t < toMs */
  counts(fromMs: number, toMs: number): Promise<Map<string, number>>;
}

export function hasAggregates(store: SeriesStore): store is SeriesStore & AggregateReads {
  const s = store as Partial<AggregateReads>;
  return (
    typeof s.around === 'function' && typeof s.decreases === 'function' && typeof s.counts === 'function'
  );
}
