/**
 * Aggregates pushed down to InfluxDB give the same KPIs as reading every point, and really spare the reads: the
 * reference plant in a real InfluxDB, through the store with aggregates and through the same store without them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlantConfig } from '../config/load.ts';
import { importLines } from '../ingest/csv/import.ts';
import { compilePlant } from '../kpi/plant.ts';
import { runPeriod } from '../kpi/run.ts';
import { InfluxStore } from '../store/influx/store.ts';
import { V1WriteTarget } from '../store/influx/targets.ts';
import type { SeriesStore } from '../store/port.ts';
import { REFERENCE, REFERENCE_CONFIG } from './helpers.ts';
import { type InfluxServer, startInflux } from './services/influxd.ts';

let influx: InfluxServer;
let store: InfluxStore;
beforeAll(async () => {
  influx = await startInflux();
  await influx.query('CREATE DATABASE p');
  store = new InfluxStore(
    { url: influx.url, database: 'p', site: 'SITE' },
    new V1WriteTarget({ url: influx.url, database: 'p' }),
  );
  // the reference readings, with a gap in G-BLR and the hour boundary readings of P-MG removed (interpolation)
  const lines = readFileSync(path.join(REFERENCE, 'readings.csv'), 'utf8')
    .split('\n')
    .filter((l) => !/^G-BLR,2026-10-0[3-4]/.test(l) && !/^P-MG,2026-10-05T00/.test(l));
  await importLines(lines, store);
});
afterAll(async () => {
  await influx?.destroy();
});

/** The same store with its aggregates hidden, counting range reads. */
function plain(s: SeriesStore): SeriesStore & { reads: number } {
  const w = {
    reads: 0,
    write: s.write.bind(s),
    readRange: (...a: Parameters<SeriesStore['readRange']>) => {
      w.reads++;
      return s.readRange(...a);
    },
    lastAtOrBefore: s.lastAtOrBefore.bind(s),
    firstAtOrAfter: s.firstAtOrAfter.bind(s),
    count: s.count.bind(s),
    signals: s.signals.bind(s),
    close: s.close.bind(s),
  };
  return w;
}

describe('aggregate pushdown', () => {
  it('gives the same rows as full reads, for a month and a day, with gaps and interpolated boundaries', async () => {
    const plant = compilePlant(loadPlantConfig(REFERENCE_CONFIG).config);
    for (const period of ['2026-10', '2026-10-05', '2026-10-03']) {
      const counting = plain(store);
      const full = await runPeriod(counting, plant, period);
      const pushed = await runPeriod(store, plant, period);
      expect(pushed.kpis.length).toBe(full.kpis.length);
      for (const [i, r] of full.kpis.entries()) {
        const p = pushed.kpis[i]!;
        expect([p.kpi, p.scope_id, p.provisional]).toEqual([r.kpi, r.scope_id, r.provisional]);
        expect(Math.abs(p.value - r.value)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(r.value)));
      }
      expect(pushed.quality.map((q) => [q.signal, q.present])).toEqual(
        full.quality.map((q) => [q.signal, q.present]),
      );
      expect(counting.reads).toBe(8);
    }
  });

  it('reads in full only the counters that decrease (rollover, replacement) and the state signal', async () => {
    const plant = compilePlant(loadPlantConfig(REFERENCE_CONFIG).config);
    const read: string[] = [];
    const spy = Object.assign(Object.create(Object.getPrototypeOf(store)), store, {
      readRange: (signal: string, a: number, b: number) => {
        read.push(signal);
        return store.readRange(signal, a, b);
      },
    });
    await runPeriod(spy, plant, '2026-10');
    expect(read.sort()).toEqual(['E-AUX', 'E-ELY', 'PK-1.state']);
  });
});
