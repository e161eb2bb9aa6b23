/**
 * Group commit for readings: every source adds the readings of a message (or a batch of notifications) to the open
 * group; the group is encoded as one spool record and written with one write and one fdatasync while the next group
 * fills. A source learns that its readings are durable from the group's state, and only then acknowledges (MQTT) or
 * counts them. When one group fails, every later group that was waiting fails with it, so that acknowledgements
 * given in arrival order never run ahead of a lost write.
 */

import type { Reading } from '../store/port.ts';
import type { EdgeProcessor } from './edge.ts';
import { encodeReadings } from './influx/codec.ts';
import { type Spool, SpoolFullError } from './spool/spool.ts';

export type GroupState = 'open' | 'writing' | 'ok' | 'failed';

/** Something a source waits for before it acknowledges: a commit group, or a dead-letter write. */
export interface Durable {
  readonly state: GroupState;
  readonly error: Error | null;
  /** resolves when the state is final (never rejects) */
  readonly settled: Promise<void>;
}

export class CommitGroup implements Durable {
  state: GroupState = 'open';
  error: Error | null = null;
  readonly readings: Reading[] = [];
  /** readings per source, counted when the group is durable */
  readonly perSource = new Map<string, number>();
  estimatedBytes = 0;
  readonly settled: Promise<void>;
  private done!: () => void;

  constructor() {
    this.settled = new Promise((r) => {
      this.done = r;
    });
  }

  settle(error: Error | null): void {
    this.state = error ? 'failed' : 'ok';
    this.error = error;
    this.done();
  }
}

/** A durable thing that already is: nothing to wait for. */
export const DURABLE: Durable = { state: 'ok', error: null, settled: Promise.resolve() };

/** Wraps a promise (e.g. a dead-letter write) as something to wait for. */
export function durableOf(p: Promise<unknown>): Durable {
  const d: { state: GroupState; error: Error | null; settled: Promise<void> } = {
    state: 'writing',
    error: null,
    settled: Promise.resolve(),
  };
  d.settled = p.then(
    () => {
      d.state = 'ok';
    },
    (err: Error) => {
      d.state = 'failed';
      d.error = err;
    },
  );
  return d;
}

export interface IntakeOptions {
  /** called with the readings per source once they are durable */
  onDurable?: (perSource: ReadonlyMap<string, number>) => void;
  /** called when a group could not be written */
  onFailed?: (err: Error, readings: number) => void;
}

/** rough size of a reading in a spool record, for the budget check at admission */
const bytesOf = (r: Reading) => r.signal.length + (r.quality?.length ?? 0) + 40;

export class Intake {
  private open: CommitGroup | null = null;
  private writing: CommitGroup | null = null;
  /** the newest group handed out (open, writing or settled) */
  private newest: Durable = DURABLE;
  private scheduled = false;

  constructor(
    private readonly spool: Spool,
    private readonly edge: EdgeProcessor,
    private readonly opts: IntakeOptions = {},
  ) {}

  /**
   * Adds readings to the open group and returns it. Throws SpoolFullError (nothing added) when the spool's budget
   * has no room for them.
   */
  add(readings: readonly Reading[], source: string): CommitGroup {
    let bytes = 0;
    for (const r of readings) bytes += bytesOf(r);
    if (!this.hasRoom(bytes)) {
      throw new SpoolFullError(
        `spool is full (${this.spool.unsentBytes()} of ${this.spool.maxBytes} bytes unsent): ` +
          'InfluxDB is not keeping up or is away; intake resumes when the backlog drains',
      );
    }
    let g = this.open;
    if (g === null) {
      g = new CommitGroup();
      this.open = g;
      this.newest = g;
      this.schedule();
    }
    for (const r of readings) g.readings.push(r);
    g.perSource.set(source, (g.perSource.get(source) ?? 0) + readings.length);
    g.estimatedBytes += bytes;
    return g;
  }

  /** Whether `bytes` more (plus what waits to be written) fit in the spool's budget. */
  hasRoom(bytes = 0): boolean {
    const pending = (this.open?.estimatedBytes ?? 0) + (this.writing?.estimatedBytes ?? 0);
    return this.spool.hasRoom(pending + bytes);
  }

  /** free space a paused source waits for before it reads again (a tenth of the budget), so it does not flap */
  get resumeBytes(): number {
    return Math.floor(this.spool.maxBytes / 10);
  }

  /**
   * What a message without readings of its own (a duplicate, a reading dropped at the edge) waits for: the newest
   * group, so that a redelivered copy is acknowledged only once its first copy is durable.
   */
  tail(): Durable {
    return this.newest;
  }

  /** true when nothing is waiting to be written */
  get idle(): boolean {
    return this.open === null && this.writing === null;
  }

  /** Resolves once everything added so far has been written (or has failed). */
  async drain(): Promise<void> {
    while (!this.idle) await (this.open ?? this.writing)!.settled;
  }

  private schedule(): void {
    if (this.scheduled || this.writing !== null) return;
    this.scheduled = true;
    // let every message already read from the sockets join this group before it is written
    setImmediate(() => {
      this.scheduled = false;
      void this.commit();
    });
  }

  private async commit(): Promise<void> {
    const g = this.open;
    if (g === null || this.writing !== null) return;
    this.open = null;
    this.writing = g;
    g.state = 'writing';
    let error: Error | null = null;
    try {
      await this.spool.append([encodeReadings(g.readings)], { admitted: true });
    } catch (err) {
      error = err as Error;
    }
    this.writing = null;
    if (error) {
      // a copy that was only in memory must not make its redelivered copy look like a duplicate
      this.edge.forgetRecent();
      this.opts.onFailed?.(error, g.readings.length);
      g.settle(error);
      // the group that filled meanwhile may hold redelivered copies acknowledged against this one: fail it too
      const next = this.open as CommitGroup | null;
      if (next !== null) {
        this.open = null;
        this.opts.onFailed?.(error, next.readings.length);
        next.settle(error);
      }
      // the edge has forgotten everything seen so far, so no later duplicate can refer to a failed group: a message
      // without readings (a Sparkplug birth of skipped metrics) must not wait for one and fail again forever
      this.newest = DURABLE;
      return;
    }
    g.settle(null);
    this.opts.onDurable?.(g.perSource);
    if (this.open !== null) this.schedule();
  }
}
