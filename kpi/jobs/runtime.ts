/** What a worker or scheduler process needs, built from the plant config: Redis, the store, the KPI sink. */
import { Redis } from 'ioredis';
import type { PlantConfig } from '../../config/schema.ts';
import { resolveSecret } from '../../config/secrets.ts';
import { EmbeddedStore } from '../../store/embedded/store.ts';
import { makeWriteTarget } from '../../store/influx/make-target.ts';
import { InfluxStore } from '../../store/influx/store.ts';
import type { WriteTarget } from '../../store/influx/targets.ts';
import type { SeriesStore } from '../../store/port.ts';
import { compilePlant, type Plant } from '../plant.ts';
import { FileKpiSink, InfluxKpiSink, type KpiSink } from '../sink.ts';
import { configHash } from './plan.ts';

export interface Runtime {
  config: PlantConfig;
  plant: Plant;
  configHash: string;
  store: SeriesStore;
  sink: KpiSink;
  /** where job outcomes go as points (InfluxDB measurement `job`), when InfluxDB is configured */
  events: WriteTarget | null;
  /** a connection for BullMQ (maxRetriesPerRequest null, as workers need) */
  connection: Redis;
  close(): Promise<void>;
}

export async function openRuntime(config: PlantConfig, dataDir: string): Promise<Runtime> {
  const plant = compilePlant(config);
  let store: SeriesStore;
  let sink: KpiSink;
  let events: WriteTarget | null = null;
  if (config.influx) {
    const i = config.influx;
    const target = makeWriteTarget(i);
    const password = resolveSecret(i.password, 'influx.password');
    const token = resolveSecret(i.token, 'influx.token');
    store = new InfluxStore(
      {
        url: i.url,
        database: i.database,
        site: config.site.id,
        timeoutMs: i.timeoutMs,
        ...(i.retentionPolicy !== undefined ? { retentionPolicy: i.retentionPolicy } : {}),
        ...(i.username !== undefined ? { username: i.username } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(token !== undefined ? { token } : {}),
      },
      target,
    );
    sink = new InfluxKpiSink(target, config.site.id);
    events = target;
  } else {
    store = await EmbeddedStore.open(dataDir);
    sink = new FileKpiSink(dataDir);
  }
  const password = resolveSecret(config.jobs.redis.password, 'jobs.redis.password');
  const connection = new Redis(config.jobs.redis.url, {
    maxRetriesPerRequest: null,
    ...(password !== undefined ? { password } : {}),
  });
  return {
    config,
    plant,
    configHash: configHash(config),
    store,
    sink,
    events,
    connection,
    async close() {
      await store.close();
      connection.disconnect();
    },
  };
}
