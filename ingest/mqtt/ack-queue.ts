/**
 * Deferred QoS 1 acknowledgements for one MQTT connection: each message waits for what makes it durable (its commit
 * group, a dead-letter write, or for a duplicate the newest group); PUBACKs leave in arrival order (MQTT 3.1.1
 * 4.6.0-2), those of a whole group in one socket write. When what a message waits for failed, nothing from it on is
 * acknowledged: the connection is given up and the broker sends the messages again.
 */
import type { Durable } from '../intake.ts';

export interface AckSink {
  /** writes PUBACKs for these packet ids, in this order; returns false when the connection is gone */
  send(ids: readonly number[]): boolean;
  /** what a message waited for failed: stop acknowledging on this connection */
  failed(err: Error): void;
  /** called after acknowledgements went out (the in-flight count went down) */
  drained(): void;
}

export class AckQueue {
  private ids: number[] = [];
  private waits: Durable[] = [];
  private head = 0;
  private lastWatched: Durable | null = null;
  private dead = false;
  private pumping = false;

  constructor(private readonly sink: AckSink) {}

  /** messages received and not yet acknowledged */
  get outstanding(): number {
    return this.ids.length - this.head;
  }

  push(id: number, wait: Durable): void {
    if (this.dead) return;
    this.ids.push(id);
    this.waits.push(wait);
    if (wait.state === 'ok' || wait.state === 'failed') {
      if (this.head === this.ids.length - 1) this.schedule();
    } else if (wait !== this.lastWatched) {
      this.lastWatched = wait;
      void wait.settled.then(() => this.pump());
    }
  }

  /** The connection is gone: drop everything (the broker sends unacknowledged messages again). */
  close(): void {
    this.dead = true;
    this.ids = [];
    this.waits = [];
    this.head = 0;
  }

  private schedule(): void {
    if (this.pumping) return;
    this.pumping = true;
    queueMicrotask(() => {
      this.pumping = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.dead) return;
    const start = this.head;
    let i = start;
    let failure: Error | null = null;
    while (i < this.ids.length) {
      const w = this.waits[i]!;
      if (w.state === 'ok') i++;
      else {
        if (w.state === 'failed') failure = w.error ?? new Error('write failed');
        else if (w !== this.lastWatched) {
          this.lastWatched = w;
          void w.settled.then(() => this.pump());
        }
        break;
      }
    }
    if (i > start) {
      if (!this.sink.send(this.ids.slice(start, i))) {
        this.close();
        return;
      }
      this.head = i;
      if (this.head > 4096 && this.head * 2 > this.ids.length) {
        this.ids = this.ids.slice(this.head);
        this.waits = this.waits.slice(this.head);
        this.head = 0;
      }
      this.sink.drained();
    }
    if (failure) {
      this.close();
      this.sink.failed(failure);
    }
  }
}

/** PUBACK packets for the ids (4 bytes each: the short form, valid in 3.1.1 and in 5 for reason code 0). */
export function pubacks(ids: readonly number[]): Buffer {
  const b = Buffer.allocUnsafe(ids.length * 4);
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    b[k * 4] = 0x40;
    b[k * 4 + 1] = 0x02;
    b[k * 4 + 2] = id >> 8;
    b[k * 4 + 3] = id & 0xff;
  }
  return b;
}
