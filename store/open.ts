/**
 * The one place that opens the store from a plant config: InfluxDB when the config has an `influx:` section (its
 * secrets resolved and its write target built as the config asks), else the embedded store in the data folder.
 * The CLI, the jobs, the collector and the demo all open it here, so every command honours `influx:`.
 */

import { resolveSecret } from '../config/secrets.ts';
import { EmbeddedStore } from './embedded/store.ts';
import { makeWriteTarget } from './influx/make-target.ts';
import type { InfluxConfig } from './influx/schema.ts';
import { InfluxStore } from './influx/store.ts';
import type { ReadingWriter, SeriesStore } from './port.ts';

/** What of the plant config the store needs (structurally, so the store imports no config schema). */
export interface StoreConfig {
  site: { id: string };
  influx?: InfluxConfig | undefined;
}

/** The InfluxDB store the `influx:` section names, for the site's readings. Throws a SecretError for a secret not set. */
export function openInfluxStore(influx: InfluxConfig, site: string, env = process.env): InfluxStore {
  const target = makeWriteTarget(influx, env);
  const password = resolveSecret(influx.password, 'influx.password', env);
  const token = resolveSecret(influx.token, 'influx.token', env);
  return new InfluxStore(
    {
      url: influx.url,
      database: influx.database,
      site,
      timeoutMs: influx.timeoutMs,
      batchLines: influx.batchLines,
      ...(influx.retentionPolicy !== undefined ? { retentionPolicy: influx.retentionPolicy } : {}),
      ...(influx.username !== undefined ? { username: influx.username } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(token !== undefined ? { token } : {}),
    },
    target,
  );
}

/** InfluxDB when the config has `influx:`, else the embedded store in `dataDir` (created when missing). */
export async function openStore(config: StoreConfig, dataDir: string): Promise<SeriesStore & ReadingWriter> {
  if (config.influx) return openInfluxStore(config.influx, config.site.id);
  return EmbeddedStore.open(dataDir);
}
