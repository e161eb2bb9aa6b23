/** The demo's third step: wait until the collector has stored every reading the site published, then stop it. */
import type { Collector, CollectorStats } from '../../ingest/collector.ts';

export interface DrainInput {
  /** the MQTT source the site published to */
  mqttSource: string;
  /** readings the site published over MQTT */
  mqttReadings: number;
  timeoutMs: number;
  /** after the MQTT readings are stored: how long the last OPC UA notifications may take to arrive */
  opcuaSettleMs: number;
}

/**
 * Done when every MQTT reading is spooled, as many readings are written to the store and the spool is empty; the
 * collector is stopped (flushing what it still holds). Returns its final counts.
 */
export async function drainCollector(collector: Collector, i: DrainInput): Promise<CollectorStats> {
  const until = Date.now() + i.timeoutMs;
  for (;;) {
    const s = collector.stats();
    const spooled = s.readingsIn[i.mqttSource] ?? 0;
    if (spooled >= i.mqttReadings && s.readingsOut >= spooled && s.spoolOldestAgeMs === 0) break;
    if (Date.now() >= until)
      throw new Error(`the collector did not take every reading within ${i.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, i.opcuaSettleMs));
  await collector.stop();
  return collector.stats();
}
