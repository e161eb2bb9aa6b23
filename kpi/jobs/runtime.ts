/**
 * What a worker, scheduler or backfill process needs, built from the plant config: Redis (the queue), the store,
 * the KPI sink, and the records store with the jobs' state in it.
 */
import os from 'node:os';
import { Redis } from 'ioredis';
import type { PlantConfig } from '../../config/schema.ts';
import { resolveSecret } from '../../config/secrets.ts';
import { recordsTarget } from '../../records/open.ts';
import type { RecordsStore } from '../../records/port.ts';
import { openSharedRecords } from '../../records/shared.ts';
import { openStore } from '../../store/open.ts';
import { hasLineWrites, type LineWrites, type SeriesStore } from '../../store/port.ts';
import { compilePlant, type Plant } from '../plant.ts';
import { type KpiSink, openSink } from '../sink.ts';
import { configHash } from './plan.ts';
import { JobState } from './state.ts';

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
  /** the records store: PostgreSQL at records.url, or the embedded one taken in turns with the other processes */
  records: RecordsStore;
  /** the jobs' state in the records store, written as `<role>@<host>:<pid>` */
  state: JobState;
  close(): Promise<void>;
}

export async function openRuntime(
  config: PlantConfig,
  dataDir: string,
  role: 'worker' | 'scheduler' | 'backfill' | 'demo' = 'worker',
): Promise<Runtime> {
  const plant = compilePlant(config);
  const records = await openSharedRecords(recordsTarget(config, dataDir));
  const store = await openStore(config, dataDir).catch(async (err) => {
    await records.close();
    throw err;
  });
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
    records,
    state: new JobState(records, `${role}@${os.hostname()}:${process.pid}`),
    async close() {
      await store.close();
      await records.close();
      connection.disconnect();
    },
  };
}
