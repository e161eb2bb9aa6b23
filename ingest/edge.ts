/**
 * The only processing done at the edge: scaling and offset, conversion to the signal's declared unit, and dropping
 * exact duplicates (the same signal, source time and value again, as QoS 1 redelivery and OPC UA republish cause).
 * Everything else belongs to transforms/ and kpi/.
 */
import { unitFactor } from '../transforms/units.ts';
import type { Reading } from './influx/line-protocol.ts';

export interface EdgeBinding {
  scale: number;
  offset: number;
  /** unit of incoming values; absent = the signal's own */
  unit?: string | undefined;
}

export interface RawReading {
  signal: string;
  timeMs: number;
  value: number;
  quality?: string;
}

export interface EdgeResult {
  readings: Reading[];
  rejected: { reading: RawReading; reason: string }[];
  duplicates: number;
}

/** readings remembered per signal for duplicate detection */
const REMEMBER = 256;

export class EdgeProcessor {
  private readonly recent = new Map<string, Map<number, number>>();
  private readonly factors = new Map<string, number>();

  /** @param signalUnits declared unit of every known signal */
  constructor(private readonly signalUnits: ReadonlyMap<string, string>) {}

  process(raw: readonly RawReading[], binding: EdgeBinding): EdgeResult {
    const out: EdgeResult = { readings: [], rejected: [], duplicates: 0 };
    for (const r of raw) {
      const unit = this.signalUnits.get(r.signal);
      if (unit === undefined) {
        out.rejected.push({ reading: r, reason: `unknown signal '${r.signal}' (not in the plant config)` });
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
        seen = new Map();
        this.recent.set(r.signal, seen);
      }
      if (seen.get(r.timeMs) === value) {
        out.duplicates++;
        continue;
      }
      seen.set(r.timeMs, value);
      if (seen.size > REMEMBER) seen.delete(seen.keys().next().value!);
      out.readings.push({
        signal: r.signal,
        timeMs: r.timeMs,
        value,
        ...(r.quality !== undefined ? { quality: r.quality } : {}),
      });
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
