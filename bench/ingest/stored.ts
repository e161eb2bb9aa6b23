/** What has arrived in InfluxDB: counts of `reading` points, polled while a case runs. */
import type { InfluxServer } from '../../test/services/influxd.ts';

const POLL_MS = 100;

export async function countReadings(influx: InfluxServer, db: string, where = ''): Promise<number> {
  const r = (await influx.query(`SELECT count(value) FROM reading${where ? ` WHERE ${where}` : ''}`, db)) as {
    results?: { series?: { values: [number, number][] }[]; error?: string }[];
    error?: string;
  };
  const err = r.error ?? r.results?.[0]?.error;
  if (err) throw new Error(`InfluxDB count in ${db}: ${err}`);
  return r.results?.[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}

export interface Arrival {
  /** the last count seen */
  count: number;
  /** first poll that saw more than `from`: when, and the count then */
  firstMs: number | null;
  firstCount: number;
  /** first poll that saw `target` (null: it never came, the count stalled) */
  doneMs: number | null;
}

/**
 * Polls until the count reaches `target`, or has not moved for `stallMs` (then the rest is taken as lost).
 * `check` runs at every poll (e.g. to throw when the collector has died).
 */
export async function watchArrival(
  influx: InfluxServer,
  db: string,
  o: { from: number; target: number; stallMs?: number; check?: () => void },
): Promise<Arrival> {
  const stallMs = o.stallMs ?? 60_000;
  const a: Arrival = { count: o.from, firstMs: null, firstCount: o.from, doneMs: null };
  let movedMs = performance.now();
  for (;;) {
    o.check?.();
    const c = await countReadings(influx, db);
    const now = performance.now();
    if (c !== a.count) movedMs = now;
    a.count = c;
    if (a.firstMs === null && c > o.from) {
      a.firstMs = now;
      a.firstCount = c;
    }
    if (c >= o.target) {
      a.doneMs = now;
      return a;
    }
    if (now - movedMs > stallMs) return a;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Polls until the count stops changing for `quietMs` (or reaches `target`); returns it. */
export async function settledCount(
  influx: InfluxServer,
  db: string,
  where: string,
  o: { target: number; quietMs?: number; maxMs?: number },
): Promise<number> {
  const quietMs = o.quietMs ?? 3000;
  const until = performance.now() + (o.maxMs ?? 60_000);
  let last = -1;
  let movedMs = performance.now();
  for (;;) {
    const c = await countReadings(influx, db, where);
    const now = performance.now();
    if (c !== last) movedMs = now;
    last = c;
    if (c >= o.target || now - movedMs > quietMs || now > until) return c;
    await new Promise((r) => setTimeout(r, 250));
  }
}
