/**
 * The only processing done at the edge: a window of acceptable source times, scaling and offset, conversion to the
 * signal's declared unit, and dropping exact duplicates (the same signal, source time and value again, as QoS 1
 * redelivery and OPC UA republish cause). Everything else belongs to transforms/ and kpi/.
 */

import type { Reading } from '../store/port.ts';
import { unitFactor } from '../transforms/units.ts';

export interface EdgeBinding {
  scale: number;
  offset: number;
  /** unit of incoming values; absent = the signal's own */
  unit?: string | undefined;
}

export interface EdgeResult {
  readings: Reading[];
  rejected: { reading: Reading; reason: string }[];
  duplicates: number;
}

/** How far from the receive time a source time may be (collector.readingWindow). */
export interface ReadingWindow {
  /** seconds a reading may be older than now */
  maxAgeS: number;
  /** seconds a reading may be ahead of now (clocks that are off) */
  maxFutureS: number;
}

export interface EdgeOptions {
  /** without one, only the absolute bounds (2000-01-01 to 2100-01-01) apply */
  window?: ReadingWindow | undefined;
  /** the receive time, epoch ms (tests give a fixed clock) */
  now?: () => number;
}

/** Absolute bounds, whatever the window says: a time outside them is a unit or clock mistake. */
export const EARLIEST_MS = Date.UTC(2000, 0, 1);
export const LATEST_MS = Date.UTC(2100, 0, 1);

/**
 * readings remembered per signal for duplicate detection: enough for a redelivered burst, small enough for 20,000
 * OPC UA items (an older duplicate is written again, and overwrites itself in InfluxDB)
 */
const REMEMBER = 16;

/** 2592000 -> "30 days", 600 -> "600 s" */
function duration(s: number): string {
  if (s >= 86_400 && s % 86_400 === 0) return `${s / 86_400} day${s === 86_400 ? '' : 's'}`;
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600} h`;
  return `${s} s`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The last REMEMBER (time, value) pairs of one signal, in a ring scanned from the newest. */
class Recent {
  private readonly times = new Float64Array(REMEMBER).fill(Number.NaN);
  private readonly values = new Float64Array(REMEMBER);
  private next = 0;

  /** false when this exact (time, value) is remembered (a duplicate) */
  add(timeMs: number, value: number): boolean {
    for (let k = 1; k <= REMEMBER; k++) {
      const i = (this.next - k + REMEMBER) % REMEMBER;
      if (this.times[i] === timeMs) {
        if (this.values[i] === value) return false;
        this.values[i] = value; // the same time with another value: a correction, remembered as the latest
        return true;
      }
    }
    this.times[this.next] = timeMs;
    this.values[this.next] = value;
    this.next = (this.next + 1) % REMEMBER;
    return true;
  }
}

export class EdgeProcessor {
  private readonly recent = new Map<string, Recent>();
  private readonly factors = new Map<string, number>();
  private readonly window: ReadingWindow | undefined;
  private readonly now: () => number;

  /** @param signalUnits declared unit of every known signal */
  constructor(
    private readonly signalUnits: ReadonlyMap<string, string>,
    opts: EdgeOptions = {},
  ) {
    this.window = opts.window;
    this.now = opts.now ?? Date.now;
  }

  /** Why a source time is refused, or null when it is inside the bounds and the window around `nowMs`. */
  timeProblem(timeMs: number, nowMs: number): string | null {
    if (!Number.isFinite(timeMs)) return `time ${timeMs} is not a time`;
    if (timeMs < EARLIEST_MS) return `time ${iso(timeMs)} is before 2000-01-01, the earliest time accepted`;
    if (timeMs >= LATEST_MS) return `time ${iso(timeMs)} is not before 2100-01-01, the latest time accepted`;
    const w = this.window;
    if (w === undefined) return null;
    if (timeMs < nowMs - w.maxAgeS * 1000)
      return `time ${iso(timeMs)} is more than ${duration(w.maxAgeS)} before now (${iso(nowMs)}; collector.readingWindow.maxAgeS)`;
    if (timeMs > nowMs + w.maxFutureS * 1000)
      return `time ${iso(timeMs)} is more than ${duration(w.maxFutureS)} after now (${iso(nowMs)}; collector.readingWindow.maxFutureS)`;
    return null;
  }

  process(raw: readonly Reading[], binding: EdgeBinding): EdgeResult {
    const out: EdgeResult = { readings: [], rejected: [], duplicates: 0 };
    const nowMs = this.now();
    for (const r of raw) {
      const unit = this.signalUnits.get(r.signal);
      if (unit === undefined) {
        out.rejected.push({ reading: r, reason: `unknown signal '${r.signal}' (not in the plant config)` });
        continue;
      }
      const late = this.timeProblem(r.timeMs, nowMs);
      if (late !== null) {
        out.rejected.push({ reading: r, reason: `signal '${r.signal}': ${late}` });
        continue;
      }
      let f = 1;
      if (binding.unit !== undefined && binding.unit !== unit) {
        const key = `${binding.unit}>${unit}`;
        let cached = this.factors.get(key);
        if (cached === undefined) {
          try {
            cached = unitFactor(binding.unit, unit);
          } catch (err) {
            out.rejected.push({ reading: r, reason: (err as Error).message });
            continue;
          }
          this.factors.set(key, cached);
        }
        f = cached;
      }
      const value = (r.value * binding.scale + binding.offset) * f;
      if (!Number.isFinite(value)) {
        out.rejected.push({ reading: r, reason: 'value is not a finite number after scaling' });
        continue;
      }
      let seen = this.recent.get(r.signal);
      if (seen === undefined) {
        seen = new Recent();
        this.recent.set(r.signal, seen);
      }
      if (!seen.add(r.timeMs, value)) {
        out.duplicates++;
        continue;
      }
      out.readings.push(
        r.quality !== undefined
          ? { signal: r.signal, timeMs: r.timeMs, value, quality: r.quality }
          : { signal: r.signal, timeMs: r.timeMs, value },
      );
    }
    return out;
  }

  /**
   * Forgets every reading remembered for duplicate detection. Called when a spool write failed: a copy that was
   * only in memory must not make its redelivered copy look like a duplicate.
   */
  forgetRecent(): void {
    this.recent.clear();
  }
}
