/** openStore picks the store from the config: embedded in the data folder without `influx:`, InfluxDB with it. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers.ts';
import { EmbeddedStore } from './embedded/store.ts';
import { InfluxSchema } from './influx/schema.ts';
import { InfluxStore } from './influx/store.ts';
import { openInfluxStore, openStore } from './open.ts';
import { hasAggregates, hasLineWrites } from './port.ts';

const tmp = tempDir('plantkpi-open-');
afterAll(() => tmp.cleanup());

describe('openStore', () => {
  it('without influx: the embedded store in the data folder (created), which has no line writes', async () => {
    const data = path.join(tmp.dir, 'data');
    const store = await openStore({ site: { id: 'S' } }, data);
    try {
      expect(store).toBeInstanceOf(EmbeddedStore);
      expect((store as EmbeddedStore).dir).toBe(data);
      expect(existsSync(path.join(data, 'series'))).toBe(true);
      expect(store.description).toBe('embedded store');
      expect(hasLineWrites(store)).toBe(false);
      await store.write([{ signal: 'E-1', timeMs: Date.UTC(2026, 9, 1), value: 5, quality: 'Good' }]);
      expect(await store.count('E-1', 0, Date.UTC(2027, 0, 1))).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('with influx: the InfluxDB store (aggregates, line writes), and the data folder is not touched', async () => {
    const data = path.join(tmp.dir, 'unused');
    const influx = InfluxSchema.parse({ url: 'http://127.0.0.1:1', database: 'plant' });
    const store = await openStore({ site: { id: 'S' }, influx }, data);
    expect(store).toBeInstanceOf(InfluxStore);
    expect(store.description).toMatch(/127\.0\.0\.1:1/);
    expect(hasAggregates(store)).toBe(true);
    expect(hasLineWrites(store)).toBe(true);
    expect(existsSync(data)).toBe(false);
    await store.close();
  });

  it('a secret the influx section names but the environment lacks stops it, naming the field', () => {
    const influx = InfluxSchema.parse({
      url: 'http://127.0.0.1:1',
      username: 'u',
      password: { env: 'PLANTKPI_TEST_NO_SUCH_PASSWORD' },
    });
    expect(() => openInfluxStore(influx, 'S', {})).toThrow(
      /influx\.password: environment variable PLANTKPI_TEST_NO_SUCH_PASSWORD is not set/,
    );
  });
});
