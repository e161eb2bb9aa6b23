/**
 * Where the demo's readings and KPI rows go: InfluxDB when the run config has an `influx:` section, else the embedded
 * store (and KPI files beside it) under the data directory.
 */
import path from 'node:path';
import type { PlantConfig } from '../../config/schema.ts';
import { FileKpiSink, InfluxKpiSink, type KpiSink } from '../../kpi/sink.ts';
import { EmbeddedStore } from '../../store/embedded/store.ts';
import { makeWriteTarget } from '../../store/influx/make-target.ts';
import { InfluxStore } from '../../store/influx/store.ts';
import type { SeriesStore } from '../../store/port.ts';

export async function openDemoStore(config: PlantConfig, dataDir: string): Promise<SeriesStore> {
  if (config.influx)
    return new InfluxStore(
      { url: config.influx.url, database: config.influx.database, site: config.site.id },
      makeWriteTarget(config.influx),
    );
  return EmbeddedStore.open(path.join(dataDir, 'store'));
}

export function openDemoSink(config: PlantConfig, dataDir: string): KpiSink {
  return config.influx
    ? new InfluxKpiSink(makeWriteTarget(config.influx), config.site.id)
    : new FileKpiSink(path.join(dataDir, 'store'));
}
