/**
 * The MQTT source: a persistent session (QoS 1 by default) whose messages are acknowledged to the broker only
 * after their readings are durably in the spool. A malformed payload is dead-lettered with its topic and reason
 * (and then acknowledged: it has been dealt with); it never stops the collector. While the spool is full, the
 * source stops acknowledging, so the broker keeps the messages.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { SourceContext } from '../context.ts';
import { encodeReadings } from '../influx/codec.ts';
import { resolveSecret } from '../secrets.ts';
import { SpoolFullError } from '../spool/spool.ts';
import { decodeMessage, PayloadError } from './payload.ts';
import type { MqttSourceConfig } from './schema.ts';
import { parseTopicTemplate, type TopicTemplate } from './topic.ts';

export class MqttSource {
  private client: MqttClient | null = null;
  private readonly subs: { template: TopicTemplate; sub: MqttSourceConfig['subscriptions'][number] }[];
  private stopping = false;
  /** Sparkplug alias -> metric name, per edge node topic prefix */
  private readonly aliases = new Map<string, Map<number, string>>();

  constructor(
    private readonly cfg: MqttSourceConfig,
    private readonly ctx: SourceContext,
  ) {
    this.subs = cfg.subscriptions.map((sub) => ({ template: parseTopicTemplate(sub.topic), sub }));
  }

  get id(): string {
    return this.cfg.id;
  }

  private options(): IClientOptions {
    const c = this.cfg;
    const password = resolveSecret(c.password, `sources.mqtt ${c.id} password`);
    const o: IClientOptions = {
      clientId: c.clientId,
      protocolVersion: c.protocolVersion,
      clean: false,
      keepalive: c.keepaliveS,
      reconnectPeriod: c.reconnectPeriodMs,
      connectTimeout: 10_000,
      resubscribe: true,
      ...(c.username !== undefined ? { username: c.username } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(c.protocolVersion === 5 ? { properties: { sessionExpiryInterval: c.sessionExpiryS } } : {}),
    };
    if (c.tls) {
      if (c.tls.caFile) o.ca = readFileSync(c.tls.caFile);
      if (c.tls.certFile) o.cert = readFileSync(c.tls.certFile);
      if (c.tls.keyFile) o.key = readFileSync(c.tls.keyFile);
      const pass = resolveSecret(c.tls.keyPassphrase, `sources.mqtt ${c.id} tls.keyPassphrase`);
      if (pass !== undefined) (o as Record<string, unknown>).passphrase = pass;
      o.rejectUnauthorized = c.tls.rejectUnauthorized;
    }
    return o;
  }

  /** Connects and subscribes; resolves on the first connection (later ones happen by themselves). */
  async start(): Promise<void> {
    const m = this.ctx.metrics;
    const client = mqtt.connect(this.cfg.url, this.options());
    this.client = client;
    client.handleMessage = (packet, done) => {
      this.onMessage(packet.topic, packet.payload as Buffer).then(
        () => done(),
        (err: Error) => {
          this.ctx.log('error', 'message not stored; it will be redelivered', {
            source: this.id,
            error: err.message,
          });
          done(err);
        },
      );
    };
    client.on('connect', (connack) => {
      this.ctx.log('info', 'MQTT connected', { source: this.id, sessionPresent: connack.sessionPresent });
      const filters = Object.fromEntries(this.subs.map((s) => [s.template.filter, { qos: this.cfg.qos }]));
      client.subscribe(filters, (err) => {
        if (err) this.ctx.log('error', 'MQTT subscribe failed', { source: this.id, error: err.message });
      });
    });
    client.on('reconnect', () => m.reconnects.inc({ source: this.id }));
    client.on('error', (err) => this.ctx.log('warn', 'MQTT error', { source: this.id, error: err.message }));
    client.on('offline', () => this.ctx.log('warn', 'MQTT offline; reconnecting', { source: this.id }));
    await new Promise<void>((resolve) => {
      if (client.connected) resolve();
      else client.once('connect', () => resolve());
    });
  }

  private async onMessage(topic: string, payload: Buffer): Promise<void> {
    const m = this.ctx.metrics;
    m.messagesIn.inc({ source: this.id });
    const hit = this.subs.find((s) => s.template.match(topic) !== null);
    if (hit === undefined) return; // another client's subscription in a shared session: not ours
    const captures = hit.template.match(topic)!;
    let raw: ReturnType<typeof decodeMessage>;
    try {
      const edgeNode = topic.split('/').slice(0, 4).join('/');
      if (!this.aliases.has(edgeNode)) this.aliases.set(edgeNode, new Map());
      raw = decodeMessage(hit.sub, captures, payload, Date.now(), this.aliases.get(edgeNode));
    } catch (err) {
      if (!(err instanceof PayloadError) && !(err instanceof Error)) throw err;
      await this.ctx.deadLetter.write({
        source: this.id,
        origin: topic,
        reason: (err as Error).message,
        payload,
      });
      m.deadLettered.inc({ source: this.id });
      return;
    }
    const res = this.ctx.edge.process(raw, hit.sub);
    for (const r of res.rejected) {
      await this.ctx.deadLetter.write({ source: this.id, origin: topic, reason: r.reason, payload });
      m.deadLettered.inc({ source: this.id });
    }
    m.duplicates.inc({ source: this.id }, res.duplicates);
    if (res.readings.length === 0) return;
    const record = encodeReadings(res.readings);
    for (;;) {
      try {
        await this.ctx.spool.append([record]);
        break;
      } catch (err) {
        if (!(err instanceof SpoolFullError) || this.stopping) throw err;
        // backpressure: hold this message unacknowledged until the spool has room
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    m.readingsIn.inc({ source: this.id }, res.readings.length);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const c = this.client;
    this.client = null;
    if (c) await c.endAsync(false);
  }
}
