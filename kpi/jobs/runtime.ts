/** What a worker or scheduler process needs, built from the plant config: Redis, the store, the KPI sink. */
import { Redis } from 'ioredis';
import type { PlantConfig } from '../../config/schema.ts';
import { resolveSecret } from '../../config/secrets.ts';
import { openStore } from '../../store/open.ts';
import { hasLineWrites, type LineWrites, type SeriesStore } from '../../store/port.ts';
import { compilePlant, type Plant } from '../plant.ts';
import { type KpiSink, openSink } from '../sink.ts';
import { configHash } from './plan.ts';

export interface Runtime {
  config: PlantConfig;
  plant: Plant;
  configHash: string;
  store: SeriesStore;
  sink: KpiSink;
  /** where job outcomes go as points (InfluxDB measurement `job`), when InfluxDB is configured */
  events: LineWrites | null;
  /** a connection for BullMQ (maxRetriesPerRequest null, as workers need) */
  connection: Redis;
  close(): Promise<void>;
}

export async function openRuntime(config: PlantConfig, dataDir: string): Promise<Runtime> {
  const plant = compilePlant(config);
  const store = await openStore(config, dataDir);
  const sink = openSink(config, dataDir);
  const events = hasLineWrites(store) ? store : null;
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
