/**
 * One connection of an MQTT source. QoS 1 messages are acknowledged late: mqtt.js is told not to send a PUBACK
 * (its callback gets DEFERRED), the message is handed to the source, and its PUBACK leaves through the AckQueue once
 * what it waits for is on disk. So mqtt.js reads the next packet at once, pings and PINGRESPs keep flowing while a
 * backlog drains, and the spool sees whole groups. At most `inflightWindow` messages wait for their PUBACK (MQTT 5:
 * advertised as Receive Maximum; 3.1.1: the connection stops reading until acknowledgements go out).
 * When the spool is full or a write failed, the connection is closed without acknowledging and opened again later:
 * the broker keeps the messages in the persistent session and sends them again.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Log } from '../context.ts';
import type { Durable } from '../intake.ts';
import { SpoolFullError } from '../spool/spool.ts';
import { AckQueue, pubacks } from './ack-queue.ts';

/** handed to mqtt.js's handleMessage callback: "do not acknowledge, plantkpi does it when the data is durable" */
const DEFERRED = new Error('acknowledged by plantkpi once durable');

/** CONNACK codes that mean the credentials were refused (3.1.1: 4, 5; MQTT 5: 134, 135) */
const AUTH_CODES = new Set([4, 5, 134, 135]);

export type ConnectionState = 'connecting' | 'connected' | 'refused' | 'paused' | 'stopped';

export interface ConnectionHost {
  readonly id: string;
  /** Decodes a message and hands its readings on; what to wait for before acknowledging. May throw SpoolFullError. */
  receive(topic: string, payload: Buffer): Durable;
  /** whether the spool has room again after it was full */
  canResume(): boolean;
  /** the filters to subscribe */
  filters(): Record<string, { qos: 0 | 1 | 2 }>;
  /** everything accepted so far is written (or failed) */
  drain(): Promise<void>;
  reconnected(): void;
  log: Log;
}

export interface ConnectionOptions {
  url: string;
  client: IClientOptions;
  window: number;
  reconnectPeriodMs: number;
  reconnectMaxMs: number;
  exitOnAuthFailure: boolean;
}

export class MqttConnection {
  state: ConnectionState = 'connecting';
  lastError: string | null = null;
  /** the state changed at this time (ms) */
  since = Date.now();
  private client: MqttClient | null = null;
  private acks: AckQueue | null = null;
  private held: ((err?: Error) => void) | null = null;
  private delayMs: number;
  private resumeTimer: NodeJS.Timeout | null = null;
  private connectedOnce = false;
  private first: { resolve: () => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly host: ConnectionHost,
    private readonly o: ConnectionOptions,
  ) {
    this.delayMs = o.reconnectPeriodMs;
  }

  get clientId(): string {
    return this.o.client.clientId ?? '';
  }

  /** Connects; resolves on the first CONNACK, or on the first failure (it goes on retrying by itself). */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.first = { resolve, reject };
      this.open();
    });
  }

  private setState(s: ConnectionState, error?: string): void {
    if (s !== this.state) this.since = Date.now();
    this.state = s;
    if (error !== undefined) this.lastError = error;
  }

  private settleFirst(err?: Error): void {
    const f = this.first;
    this.first = null;
    if (!f) return;
    if (err) f.reject(err);
    else f.resolve();
  }

  private open(): void {
    const o = this.o;
    const client = mqtt.connect(o.url, {
      ...o.client,
      reconnectPeriod: this.delayMs,
      reconnectOnConnackError: true,
      ...(o.client.protocolVersion === 5
        ? { properties: { ...o.client.properties, receiveMaximum: o.window } }
        : {}),
    });
    this.client = client;
    client.handleMessage = (packet, cb) => this.onPublish(client, packet, cb);
    client.on('connect', (connack) => {
      this.acks?.close();
      const stream = client.stream;
      this.acks = new AckQueue({
        send: (ids) => {
          if (client.stream !== stream || stream.destroyed || this.client !== client) return false;
          stream.write(pubacks(ids));
          return true;
        },
        failed: (err) => this.pause(`a spool write failed: ${err.message}`, false),
        drained: () => this.release(),
      });
      if (this.connectedOnce) this.host.reconnected();
      this.connectedOnce = true;
      this.delayMs = o.reconnectPeriodMs;
      client.options.reconnectPeriod = this.delayMs;
      this.setState('connected', undefined);
      this.host.log('info', 'MQTT connected', {
        source: this.host.id,
        clientId: this.clientId,
        sessionPresent: connack.sessionPresent,
      });
      client.subscribe(this.host.filters(), (err) => {
        if (err)
          this.host.log('error', 'MQTT subscribe failed', { source: this.host.id, error: err.message });
      });
      this.settleFirst();
    });
    client.on('reconnect', () => {
      // the next attempt after this one waits twice as long, up to reconnectMaxMs
      this.delayMs = Math.min(o.reconnectMaxMs, this.delayMs * 2);
      client.options.reconnectPeriod = this.delayMs;
    });
    client.on('close', () => {
      this.acks?.close();
      this.acks = null;
      this.release(true);
      if (this.state === 'connected') {
        this.setState('connecting');
        this.host.log('warn', 'MQTT connection lost; reconnecting', {
          source: this.host.id,
          clientId: this.clientId,
        });
      }
    });
    client.on('error', (err) => {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'number' && /refused/i.test(err.message)) {
        const auth = AUTH_CODES.has(code);
        this.setState('refused', err.message);
        this.host.log('error', 'MQTT broker refused the connection', {
          source: this.host.id,
          clientId: this.clientId,
          reason: err.message,
          code,
          retryInMs: this.delayMs,
          ...(auth ? { hint: 'check username and password of this source' } : {}),
        });
        if (auth && !this.connectedOnce && this.o.exitOnAuthFailure) {
          void this.stop();
          this.settleFirst(
            new Error(
              `MQTT broker ${this.o.url} refused the credentials of source '${this.host.id}' (${err.message}); check its username and password`,
            ),
          );
          return;
        }
        this.settleFirst();
        return;
      }
      if (this.state !== 'connected')
        this.setState(this.state === 'refused' ? 'refused' : 'connecting', err.message);
      this.host.log('warn', 'MQTT error', {
        source: this.host.id,
        clientId: this.clientId,
        error: err.message,
      });
      if (!this.connectedOnce) this.settleFirst();
    });
  }

  private onPublish(
    client: MqttClient,
    packet: { topic: string; payload: unknown; qos: number; messageId?: number },
    cb: (err?: Error) => void,
  ): void {
    if (client !== this.client || this.state === 'paused' || this.state === 'stopped') {
      cb(DEFERRED); // not acknowledged: the broker sends it again on the next connection
      return;
    }
    let wait: Durable;
    try {
      wait = this.host.receive(packet.topic, packet.payload as Buffer);
    } catch (err) {
      cb(DEFERRED);
      if (err instanceof SpoolFullError) this.pause(err.message, true);
      else this.pause(`message not stored: ${(err as Error).message}`, false);
      return;
    }
    if (packet.qos === 1) {
      const q = this.acks;
      if (q === null || packet.messageId === undefined) {
        cb(DEFERRED);
        return;
      }
      q.push(packet.messageId, wait);
      if (q.outstanding >= this.o.window) this.held = cb;
      else cb(DEFERRED);
    } else if (packet.qos === 0) cb();
    else {
      // QoS 2: mqtt.js completes the exchange once the callback returns without error
      void wait.settled.then(() => {
        if (wait.state === 'ok') cb();
        else {
          cb(DEFERRED);
          this.pause(`a spool write failed: ${wait.error?.message}`, false);
        }
      });
    }
  }

  /** acknowledgements went out: read on if reading was held at the window */
  private release(force = false): void {
    const h = this.held;
    if (h === null) return;
    if (!force && this.acks !== null && this.acks.outstanding >= this.o.window) return;
    this.held = null;
    h(DEFERRED);
  }

  /**
   * Closes the connection without acknowledging what is not durable, and opens it again later: when the spool has
   * room (full), or after the reconnect delay (a failed write).
   */
  private pause(reason: string, full: boolean): void {
    if (this.state === 'paused' || this.state === 'stopped') return;
    this.setState('paused', reason);
    this.host.log('warn', 'MQTT intake paused: connection closed, the broker keeps the messages', {
      source: this.host.id,
      clientId: this.clientId,
      reason,
    });
    this.acks?.close();
    this.acks = null;
    const c = this.client;
    this.client = null;
    this.release(true);
    c?.end(true);
    const started = Date.now();
    const check = () => {
      this.resumeTimer = null;
      if (this.state !== 'paused') return;
      if ((full && this.host.canResume()) || (!full && Date.now() - started >= this.delayMs)) {
        this.setState('connecting');
        this.host.log('info', 'MQTT intake resumes', { source: this.host.id, clientId: this.clientId });
        this.open();
      } else this.resumeTimer = setTimeout(check, 250);
    };
    this.resumeTimer = setTimeout(check, 250);
  }

  /** Stops reading, lets what was accepted become durable and acknowledged, then disconnects. */
  async stop(): Promise<void> {
    const wasPaused = this.state === 'paused';
    this.setState('stopped');
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
    const c = this.client;
    if (!c || wasPaused) return;
    await this.host.drain();
    await new Promise((r) => setImmediate(r)); // the acknowledgement pump runs on the groups' settlement
    this.client = null;
    await c.endAsync(false).catch(() => {});
  }
}
