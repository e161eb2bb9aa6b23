/**
 * Where the forwarder delivers readings: InfluxDB (as line protocol, through a v1 or v2 write target), or any
 * store behind the store port (the embedded one, when no InfluxDB is configured).
 */

import { type Reading, readingLine } from '../../store/influx/line-protocol.ts';
import type { WriteTarget } from '../../store/influx/targets.ts';
import type { SeriesStore } from '../../store/port.ts';

export interface ReadingTarget {
  /** for logs, without secrets */
  readonly description: string;
  /** resolves when stored; throws a WriteError that says whether to retry */
  writeReadings(readings: readonly Reading[]): Promise<void>;
  close(): Promise<void>;
}

export class InfluxReadingTarget implements ReadingTarget {
  constructor(
    readonly lines: WriteTarget,
    private readonly site: string,
  ) {}

  get description(): string {
    return this.lines.description;
  }

  writeReadings(readings: readonly Reading[]): Promise<void> {
    return this.lines.write(readings.map((r) => readingLine(this.site, r)));
  }

  close(): Promise<void> {
    return this.lines.close();
  }
}

export class StoreReadingTarget implements ReadingTarget {
  constructor(
    private readonly store: SeriesStore,
    readonly description = 'store',
  ) {}

  writeReadings(readings: readonly Reading[]): Promise<void> {
    return this.store.write(readings.map((r) => ({ signal: r.signal, timeMs: r.timeMs, value: r.value })));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
