/**
 * The MQTT source: one or more connections with a persistent session (QoS 1 by default) whose messages are
 * acknowledged to the broker only after their readings are durably in the spool (see connection.ts). A malformed
 * payload, or a message no subscription matches, is dead-lettered with its topic and reason, and acknowledged once
 * the dead letter is written: it never stops the collector and is never dropped silently.
 */
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { resolveSecret } from '../../config/secrets.ts';
import type { SourceContext, SourceStatus } from '../context.ts';
import { DURABLE, type Durable, durableOf } from '../intake.ts';
import { MqttConnection } from './connection.ts';
import { decodeMessage } from './payload.ts';
import type { MqttSourceConfig } from './schema.ts';
import { parseTopicTemplate, type TopicTemplate } from './topic.ts';

interface Sub {
  template: TopicTemplate;
  sub: MqttSourceConfig['subscriptions'][number];
}

export class MqttSource {
  private readonly subs: Sub[];
  private readonly routes = new Map<
    string,
    { hit: Sub | undefined; captures: Record<string, string> | null }
  >();
  private readonly conns: MqttConnection[] = [];
  /** Sparkplug alias -> metric name, per edge node topic prefix */
  private readonly aliases = new Map<string, Map<number, string>>();
  private readonly labels: { source: string };

  constructor(
    private readonly cfg: MqttSourceConfig,
    private readonly ctx: SourceContext,
  ) {
    this.subs = cfg.subscriptions.map((sub) => ({ template: parseTopicTemplate(sub.topic), sub }));
    this.labels = { source: cfg.id };
  }

  get id(): string {
    return this.cfg.id;
  }

  private options(): IClientOptions {
    const c = this.cfg;
    const password = resolveSecret(c.password, `sources.mqtt ${c.id} password`);
    const o: IClientOptions = {
      protocolVersion: c.protocolVersion,
      clean: false,
      keepalive: c.keepaliveS,
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

  /** Connects every connection; resolves once each has connected or failed once (they go on retrying). */
  async start(): Promise<void> {
    const c = this.cfg;
    const base = this.options();
    const m = this.ctx.metrics;
    const host = {
      id: c.id,
      receive: (topic: string, payload: Buffer) => this.receive(topic, payload),
      canResume: () => this.ctx.intake.hasRoom(this.ctx.intake.resumeBytes),
      filters: () => Object.fromEntries(this.subs.map((s) => [s.template.filter, { qos: c.qos }])),
      drain: () => this.ctx.intake.drain(),
      reconnected: () => m.reconnects.inc(this.labels),
      log: this.ctx.log,
    };
    for (let i = 1; i <= c.connections; i++) {
      this.conns.push(
        new MqttConnection(host, {
          url: c.url,
          client: { ...base, clientId: c.connections === 1 ? c.clientId : `${c.clientId}-${i}` },
          window: c.inflightWindow,
          reconnectPeriodMs: c.reconnectPeriodMs,
          reconnectMaxMs: c.reconnectMaxMs,
          exitOnAuthFailure: c.onAuthFailure === 'exit',
        }),
      );
    }
    await Promise.all(this.conns.map((k) => k.start()));
  }

  status(): SourceStatus {
    return {
      id: this.id,
      connected: this.conns.every((k) => k.state === 'connected'),
      connections: this.conns.map((k) => ({
        clientId: k.clientId,
        state: k.state,
        sinceMs: k.since,
        lastError: k.lastError,
      })),
    };
  }

  /** The first subscription whose template matches the topic, and its captures; remembered per topic. */
  private route(topic: string): { hit: Sub | undefined; captures: Record<string, string> | null } {
    let r = this.routes.get(topic);
    if (r !== undefined) return r;
    r = { hit: undefined, captures: null };
    for (const s of this.subs) {
      const captures = s.template.match(topic);
      if (captures !== null) {
        r = { hit: s, captures };
        break;
      }
    }
    // topics are bounded by the plant's meters; a flood of distinct topics only costs the cache its use
    if (this.routes.size >= 100_000) this.routes.clear();
    this.routes.set(topic, r);
    return r;
  }

  /** Decodes one message and hands its readings to the intake; returns what its acknowledgement waits for. */
  receive(topic: string, payload: Buffer): Durable {
    const m = this.ctx.metrics;
    m.messagesIn.inc(this.labels);
    const { hit, captures } = this.route(topic);
    if (hit === undefined || captures === null) {
      return this.deadLetter(
        topic,
        `no subscription of source '${this.id}' matches topic '${topic}'`,
        payload,
      );
    }
    let raw: ReturnType<typeof decodeMessage>;
    try {
      let aliases: Map<number, string> | undefined;
      if (hit.sub.payload === 'sparkplug') {
        const edgeNode = topic.split('/').slice(0, 4).join('/');
        aliases = this.aliases.get(edgeNode);
        if (aliases === undefined) {
          aliases = new Map();
          this.aliases.set(edgeNode, aliases);
        }
      }
      raw = decodeMessage(hit.sub, captures, payload, Date.now(), aliases);
    } catch (err) {
      return this.deadLetter(topic, (err as Error).message, payload);
    }
    const res = this.ctx.edge.process(raw, hit.sub);
    let rejected: Durable | null = null;
    for (const r of res.rejected) rejected = this.deadLetter(topic, r.reason, payload);
    if (res.duplicates) m.duplicates.inc(this.labels, res.duplicates);
    if (res.readings.length === 0) return rejected ?? this.ctx.intake.tail();
    let group: Durable;
    try {
      group = this.ctx.intake.add(res.readings, this.id);
    } catch (err) {
      // not accepted: these readings must not count as seen when the broker sends the message again
      this.ctx.edge.forgetRecent();
      throw err;
    }
    if (rejected === null) return group;
    const both = rejected;
    return durableOf(
      Promise.all([both.settled, group.settled]).then(() => {
        if (both.state !== 'ok' || group.state !== 'ok') throw both.error ?? group.error;
      }),
    );
  }

  private deadLetter(topic: string, reason: string, payload: Buffer): Durable {
    this.ctx.metrics.deadLettered.inc(this.labels);
    const p = this.ctx.deadLetter.write({ source: this.id, origin: topic, reason, payload });
    return p === undefined ? DURABLE : durableOf(p);
  }

  async stop(): Promise<void> {
    await Promise.all(this.conns.map((k) => k.stop()));
  }
}
