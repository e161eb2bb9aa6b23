/**
 * The one narrow port through which everything reads and writes series.
 * Implementations: the embedded columnar store (store/embedded) and InfluxDB (store/influx); store/open.ts picks
 * one from the config. Every implementation passes the same contract suite (store/contract.ts).
 *
 * Semantics (all implementations):
 * - A reading is (signal, timeMs, value, quality?). timeMs is epoch milliseconds (UTC), the source time.
 * - Writing a reading with the same (signal, timeMs) as a stored one overwrites it (last write wins),
 *   so a replayed write is idempotent, as in InfluxDB.
 * - Ranges are half-open: fromMs <= t < toMs.
 */

/** One reading, the same from the edge (ingest/) through the spool to the stores. */
export interface Reading {
  signal: string;
  /** source time, epoch milliseconds */
  timeMs: number;
  value: number;
  /** OPC UA status or 'Good'; absent means Good (InfluxDB keeps it, the embedded store does not) */
  quality?: string;
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
  /** Writes readings (any order, any signals). Resolves once they are durable. */
  write(readings: readonly Reading[]): Promise<void>;
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

/**
 * The narrow port the collector's forwarder writes readings through (both stores implement it). A failed write
 * throws; a WriteError (store/influx/write-error.ts) says whether a retry can help and which readings were refused.
 */
export interface ReadingWriter {
  /** where the readings go, for logs and dead-letter entries, without secrets */
  readonly description: string;
  write(readings: readonly Reading[]): Promise<void>;
}

/** A store that also takes other measurements as line protocol (InfluxDB: the collector's health, job outcomes). */
export interface LineWrites {
  writeLines(lines: readonly string[]): Promise<void>;
}

export function hasLineWrites<T extends object>(store: T): store is T & LineWrites {
  return typeof (store as Partial<LineWrites>).writeLines === 'function';
}
