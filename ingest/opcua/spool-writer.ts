/**
 * OPC UA notifications have no acknowledgement to hold back, so readings wait in a bounded buffer and go to the
 * intake every flushIntervalMs, where they join the MQTT sources' commit group (one write and one fsync for all). While the spool is full the buffer holds up to
 * maxBuffered readings; beyond that the oldest are dropped and counted (plantkpi_dropped_readings_total).
 */

import type { Reading } from '../../store/port.ts';
import type { SourceContext } from '../context.ts';
import type { EdgeBinding } from '../edge.ts';
import { SpoolFullError } from '../spool/spool.ts';

export class SpoolWriter {
  private buf: Reading[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  dropped = 0;
  private readonly labels: { source: string };

  constructor(
    private readonly ctx: SourceContext,
    private readonly source: string,
    private readonly maxBuffered: number,
    private readonly flushIntervalMs = 100,
  ) {
    this.labels = { source };
  }

  add(raw: Reading, binding: EdgeBinding): void {
    const res = this.ctx.edge.process([raw], binding);
    for (const r of res.rejected) {
      this.ctx.metrics.deadLettered.inc(this.labels);
      void this.ctx.deadLetter.write({
        source: this.source,
        origin: raw.signal,
        reason: r.reason,
        payload: JSON.stringify(raw),
      });
    }
    if (res.duplicates) this.ctx.metrics.duplicates.inc(this.labels, res.duplicates);
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

  /** Hands what is buffered to the intake and waits until it is durable; on a full spool or a failed write keeps it. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buf.length === 0) return;
    const batch = this.buf;
    this.buf = [];
    this.flushing = (async () => {
      let error: Error | null = null;
      try {
        const g = this.ctx.intake.add(batch, this.source);
        await g.settled;
        error = g.error;
      } catch (err) {
        error = err as Error;
      }
      if (error === null) return;
      this.buf = [...batch, ...this.buf];
      if (this.buf.length > this.maxBuffered) {
        this.dropped += this.buf.length - this.maxBuffered;
        this.buf = this.buf.slice(-this.maxBuffered);
      }
      if (!(error instanceof SpoolFullError))
        this.ctx.log('error', 'spool write failed; readings kept in memory', { error: error.message });
      this.timer ??= setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, 500);
    })();
    await this.flushing;
    this.flushing = null;
  }
}
