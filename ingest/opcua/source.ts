/**
 * The OPC UA source. A supervisor owns one session at a time: it connects, creates subscriptions of at most
 * maxItemsPerSubscription monitored items, and watches the server's clock. When the connection or session is lost,
 * the server restarts, or its clock stalls for watchdogMs, the whole session is torn down and built again, so every
 * subscription comes back without restarting the collector. Items the server refuses (BadNodeIdUnknown, a node
 * removed) are retried every retryItemsMs, so a node added again comes back by itself.
 */

import { readFileSync } from 'node:fs';
import {
  AttributeIds,
  type ClientMonitoredItemBase,
  type ClientSession,
  type ClientSubscription,
  DataChangeFilter,
  DataChangeTrigger,
  type DataValue,
  DeadbandType,
  MessageSecurityMode,
  type MonitoringParametersOptions,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
  type UserIdentityInfo,
  UserTokenType,
} from 'node-opcua';
import { resolveSecret } from '../../config/secrets.ts';
import type { SourceContext, SourceStatus } from '../context.ts';
import { Backoff } from '../retry/backoff.ts';
import type { OpcuaItem, OpcuaSourceConfig } from './schema.ts';
import { SpoolWriter } from './spool-writer.ts';

const SERVER_TIME = 'ns=0;i=2258';

/** a subscription and the number of live items in it */
interface Slot {
  sub: ClientSubscription;
  items: number;
}

export class OpcuaSource {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private client: OPCUAClient | null = null;
  private session: ClientSession | null = null;
  private readonly writer: SpoolWriter;
  private wake: (() => void) | null = null;
  /** items whose monitored item is live, by signal */
  readonly live = new Set<string>();
  /** sessions created so far (1 = never re-created) */
  sessionsCreated = 0;
  private sinceMs = Date.now();
  /** one labels object for the counters, so they find their series without building its key */
  private readonly labels: { source: string };
  private lastError: string | null = null;

  constructor(
    private readonly cfg: OpcuaSourceConfig,
    private readonly ctx: SourceContext,
  ) {
    this.writer = new SpoolWriter(ctx, cfg.id, cfg.maxBufferedReadings);
    this.labels = { source: cfg.id };
  }

  get id(): string {
    return this.cfg.id;
  }

  status(): SourceStatus {
    const up = this.session !== null;
    return {
      id: this.id,
      connected: up,
      connections: [
        {
          clientId: this.cfg.endpoint,
          state: up ? 'connected' : 'connecting',
          sinceMs: this.sinceMs,
          lastError: this.lastError,
        },
      ],
    };
  }

  /** Starts the supervisor; resolves once the first session is up, or after firstConnectMs regardless. */
  async start(firstConnectMs = 10_000): Promise<void> {
    let first: () => void = () => {};
    const up = new Promise<void>((r) => (first = r));
    this.loop = this.supervise(first);
    await Promise.race([up, new Promise((r) => setTimeout(r, firstConnectMs).unref())]);
  }

  private async supervise(onFirstUp: () => void): Promise<void> {
    const backoff = new Backoff({ minDelayMs: 500, maxDelayMs: 15_000 });
    while (!this.stopping) {
      const reason = await this.runSession(() => {
        backoff.reset();
        onFirstUp();
      }).catch((err: Error) => err.message);
      await this.teardown();
      this.sinceMs = Date.now();
      this.lastError = reason;
      if (this.stopping) break;
      this.ctx.metrics.reconnects.inc({ source: this.id });
      const delay = backoff.next();
      this.ctx.log('warn', 'OPC UA session ended; re-creating it', {
        source: this.id,
        reason,
        retryInMs: delay,
      });
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private identity(): UserIdentityInfo {
    const id = this.cfg.identity;
    if (id.type === 'username') {
      return {
        type: UserTokenType.UserName,
        userName: id.username,
        password: resolveSecret(id.password, `sources.opcua ${this.id} identity.password`) ?? '',
      };
    }
    if (id.type === 'certificate') {
      return {
        type: UserTokenType.Certificate,
        certificateData: derOf(readFileSync(id.certFile)),
        privateKey: readFileSync(id.keyFile, 'utf8'),
      } as UserIdentityInfo;
    }
    return { type: UserTokenType.Anonymous };
  }

  /** One session's life; resolves with the reason it ended. */
  private async runSession(onUp: () => void): Promise<string> {
    const certificateManager = new OPCUACertificateManager({
      rootFolder: this.cfg.pkiDir,
      automaticallyAcceptUnknownCertificate: false,
    });
    const client = OPCUAClient.create({
      applicationName: this.cfg.applicationName,
      clientCertificateManager: certificateManager,
      securityMode: MessageSecurityMode[this.cfg.securityMode],
      securityPolicy: SecurityPolicy[this.cfg.securityPolicy],
      endpointMustExist: false,
      keepSessionAlive: true,
      requestedSessionTimeout: Math.max(60_000, this.cfg.watchdogMs * 4),
      connectionStrategy: { maxRetry: 0, initialDelay: 500, maxDelay: 2000 },
    });
    this.client = client;
    let ended: (reason: string) => void = () => {};
    const over = new Promise<string>((r) => (ended = r));
    client.on('connection_lost', () => ended('connection lost'));
    client.on('close', () => ended('connection closed'));
    try {
      await client.connect(this.cfg.endpoint);
    } catch (err) {
      throw new Error(explainConnectError(err as Error, this.cfg));
    }
    const session = await client.createSession(this.identity());
    this.session = session;
    this.sessionsCreated++;
    session.on('session_closed', () => ended('session closed'));
    session.on('keepalive_failure', () => ended('session keep-alive failed'));

    let lastClockMs = Date.now();
    let lastServerTime = 0;
    // the server's clock rides in the first subscription: no subscription of its own against the server's limit
    const watchSub = await this.subscribe(session);
    const clock = await watchSub.monitor(
      { nodeId: SERVER_TIME, attributeId: AttributeIds.Value },
      { samplingInterval: 1000, queueSize: 1, discardOldest: true },
      TimestampsToReturn.Neither,
    );
    clock.on('changed', (dv: DataValue) => {
      const t = (dv.value.value as Date | null)?.getTime?.() ?? 0;
      if (t !== lastServerTime) {
        lastServerTime = t;
        lastClockMs = Date.now();
      }
    });
    watchSub.on('terminated', () => ended('subscription terminated'));

    const pending = new Set(this.cfg.items);
    /** subscriptions with the number of items each holds */
    const subs: Slot[] = [{ sub: watchSub, items: 0 }];
    const addPending = async () => {
      const batch = [...pending];
      let i = 0;
      while (i < batch.length) {
        let slot = subs.find((s) => s.items < this.cfg.maxItemsPerSubscription);
        if (slot === undefined) {
          const sub = await this.subscribe(session).catch((err: Error) => {
            throw new Error(
              `${err.message.trim()} after ${subs.length} subscriptions: the server allows no more per session; ` +
                'raise maxItemsPerSubscription so that fewer are needed',
            );
          });
          sub.on('terminated', () => ended('subscription terminated'));
          slot = { sub, items: 0 };
          subs.push(slot);
        }
        const chunk = batch.slice(i, i + this.cfg.maxItemsPerSubscription - slot.items);
        await this.monitorChunk(slot, chunk, pending);
        i += chunk.length;
      }
    };
    await addPending();
    this.ctx.log('info', 'OPC UA session up', {
      source: this.id,
      endpoint: this.cfg.endpoint,
      items: this.cfg.items.length - pending.size,
      refused: pending.size,
    });
    this.sinceMs = Date.now();
    onUp();

    const tick = setInterval(
      () => {
        if (Date.now() - lastClockMs > this.cfg.watchdogMs)
          ended(`server clock stalled for ${this.cfg.watchdogMs} ms`);
      },
      Math.min(1000, this.cfg.watchdogMs / 4),
    );
    const retry = setInterval(() => {
      if (pending.size > 0)
        addPending().catch((err: Error) => ended(`re-adding items failed: ${err.message}`));
    }, this.cfg.retryItemsMs);
    const stop = new Promise<string>((r) => {
      const check = setInterval(() => {
        if (!this.stopping) return;
        clearInterval(check);
        r('stopping');
      }, 100);
    });
    try {
      return await Promise.race([over, stop]);
    } finally {
      clearInterval(tick);
      clearInterval(retry);
    }
  }

  private subscribe(session: ClientSession): Promise<ClientSubscription> {
    return session.createSubscription2({
      requestedPublishingInterval: this.cfg.publishingIntervalMs,
      requestedLifetimeCount: 100,
      requestedMaxKeepAliveCount: 10,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 1,
    });
  }

  private async monitorChunk(slot: Slot, chunk: OpcuaItem[], pending: Set<OpcuaItem>): Promise<void> {
    // one CreateMonitoredItems call per set of identical parameters (sampling, queue, deadband)
    const groups = new Map<string, OpcuaItem[]>();
    for (const item of chunk) {
      const key = JSON.stringify([
        item.samplingIntervalMs,
        item.queueSize,
        item.deadband ?? null,
        item.trigger,
      ]);
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    for (const items of groups.values()) {
      const group = await slot.sub.monitorItems(
        items.map((item) => ({ nodeId: item.nodeId, attributeId: AttributeIds.Value })),
        parameters(items[0]!),
        TimestampsToReturn.Both,
      );
      items.forEach((item, k) => {
        this.attach(group.monitoredItems[k]!, item, pending, slot);
      });
    }
  }

  private attach(mi: ClientMonitoredItemBase, item: OpcuaItem, pending: Set<OpcuaItem>, slot: Slot): void {
    const status = mi.statusCode;
    if (status?.isNotGood()) {
      this.ctx.log('warn', 'OPC UA item refused; will retry', {
        source: this.id,
        signal: item.signal,
        nodeId: item.nodeId,
        status: status.name,
      });
      return;
    }
    pending.delete(item);
    this.live.add(item.signal);
    slot.items++;
    mi.on('changed', (dv: DataValue) => {
      const code = dv.statusCode;
      if (code.name === 'BadNodeIdUnknown' || code.name === 'BadNodeIdInvalid') {
        // the node went away: drop this item and add it again once the server has it
        this.live.delete(item.signal);
        pending.add(item);
        slot.items--;
        void mi.terminate().catch(() => {});
        return;
      }
      this.ctx.metrics.messagesIn.inc(this.labels);
      const value = numeric(dv.value?.value);
      const time = dv.sourceTimestamp ?? dv.serverTimestamp;
      if (value === null || time === null) return; // a status without a value (e.g. Bad) carries no reading
      this.writer.add(
        {
          signal: item.signal,
          timeMs: time.getTime(),
          value,
          ...(code.isGood() ? {} : { quality: code.name }),
        },
        item,
      );
    });
  }

  private async teardown(): Promise<void> {
    this.live.clear();
    const s = this.session;
    const c = this.client;
    this.session = null;
    this.client = null;
    await s?.close(true).catch(() => {});
    await c?.disconnect().catch(() => {});
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await this.writer.flush();
  }
}

function parameters(item: OpcuaItem): MonitoringParametersOptions {
  const trigger =
    item.trigger === 'status-value-timestamp'
      ? DataChangeTrigger.StatusValueTimestamp
      : DataChangeTrigger.StatusValue;
  const filter =
    item.deadband || item.trigger !== 'status-value'
      ? new DataChangeFilter({
          trigger,
          deadbandType: item.deadband
            ? item.deadband.type === 'absolute'
              ? DeadbandType.Absolute
              : DeadbandType.Percent
            : DeadbandType.None,
          deadbandValue: item.deadband?.value ?? 0,
        })
      : undefined;
  return {
    samplingInterval: item.samplingIntervalMs,
    queueSize: item.queueSize,
    discardOldest: true,
    ...(filter ? { filter } : {}),
  };
}

/** A certificate file in PEM or DER, as DER (what OPC UA carries). */
function derOf(file: Buffer): Buffer {
  const text = file.toString('latin1');
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text);
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : file;
}

function numeric(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') {
    return v[0] * 2 ** 32 + v[1]; // node-opcua's [high, low] for 64-bit integers
  }
  return null;
}

function explainConnectError(err: Error, cfg: OpcuaSourceConfig): string {
  const m = err.message;
  if (/BadCertificate|certificate|BadSecurityChecksFailed/i.test(m)) {
    return (
      `${cfg.endpoint} refused the secure channel (${m.split('\n')[0]}): ` +
      `make the server trust our certificate (${cfg.pkiDir}/own/certs/) and trust the server's: ` +
      `move its certificate from ${cfg.pkiDir}/rejected/ to ${cfg.pkiDir}/trusted/certs/`
    );
  }
  return `cannot connect to ${cfg.endpoint}: ${m.split('\n')[0]}`;
}
