/**
 * OPC UA notifications have no acknowledgement to hold back, so readings wait in a bounded buffer and go to the
 * spool in groups (one fsync per group, every flushIntervalMs). While the spool is full the buffer holds up to
 * maxBuffered readings; beyond that the oldest are dropped and counted (plantkpi_dropped_readings_total).
 */
import type { SourceContext } from '../context.ts';
import type { EdgeBinding, RawReading } from '../edge.ts';
import { encodeReadings } from '../influx/codec.ts';
import type { Reading } from '../influx/line-protocol.ts';
import { SpoolFullError } from '../spool/spool.ts';

export class SpoolWriter {
  private buf: Reading[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  dropped = 0;

  constructor(
    private readonly ctx: SourceContext,
    private readonly source: string,
    private readonly maxBuffered: number,
    private readonly flushIntervalMs = 100,
  ) {}

  add(raw: RawReading, binding: EdgeBinding): void {
    const res = this.ctx.edge.process([raw], binding);
    for (const r of res.rejected) {
      this.ctx.metrics.deadLettered.inc({ source: this.source });
      void this.ctx.deadLetter.write({
        source: this.source,
        origin: raw.signal,
        reason: r.reason,
        payload: JSON.stringify(raw),
      });
    }
    if (res.duplicates) this.ctx.metrics.duplicates.inc({ source: this.source }, res.duplicates);
    this.buf.push(...res.readings);
    if (this.buf.length > this.maxBuffered) {
      const n = this.buf.length - this.maxBuffered;
      this.buf.splice(0, n);
      this.dropped += n;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.flushIntervalMs);
  }

  /** Writes what is buffered; on a full spool keeps it for the next try. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buf.length === 0) return;
    const batch = this.buf;
    this.buf = [];
    this.flushing = (async () => {
      try {
        await this.ctx.spool.append([encodeReadings(batch)]);
        this.ctx.metrics.readingsIn.inc({ source: this.source }, batch.length);
      } catch (err) {
        this.buf = [...batch, ...this.buf].slice(-this.maxBuffered);
        if (!(err instanceof SpoolFullError))
          this.ctx.log('error', 'spool append failed', { error: (err as Error).message });
        this.timer ??= setTimeout(() => {
          this.timer = null;
          void this.flush();
        }, 500);
      }
    })();
    await this.flushing;
    this.flushing = null;
  }
}
