/**
 * A period for which the store holds not a single reading: its rows are zeros and "no data", which nobody should
 * take for a quiet month. `plantkpi kpi` and `plantkpi export` still write them, warn on stderr naming the period and
 * the store, and end with their own exit code (EXIT.noReadings), so a script or a cron mail notices a wrong --data,
 * a wrong --period, or a collector that never wrote.
 */
import type { PeriodResult } from '../kpi/rows.ts';

/** No signal has a reading in the period (virtual signals count none of their own). */
export function hasNoReadings(r: PeriodResult): boolean {
  return r.quality.every((q) => q.present === 0);
}

/** The warning, one line: the period, the store, what to check. */
export function noReadingsWarning(period: string, store: string): string {
  return (
    `plantkpi: 警告 warning: 期间 ${period} 在存储中没有任何读数 not a single reading in the store for the ` +
    `period ${period} (${store}); 请检查 check --data, --period 和采集 and the collection (退出码 exit 8)\n`
  );
}

/** Where the readings were looked for, for the warning: the InfluxDB target, or the embedded store's folder. */
export function storeDescription(
  config: { influx?: unknown },
  store: { description: string },
  dataDir: string,
) {
  return config.influx === undefined ? `内置存储 embedded store ${dataDir}` : store.description;
}
