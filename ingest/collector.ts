/**
 * `plantkpi collect`: the configured sources -> edge -> durable spool -> InfluxDB, with /metrics (Prometheus) and
 * /health on a local port, structured JSON logs, and a clean stop (stop() flushes what it can; the spool keeps the
 * rest for the next start).
 */
import http from 'node:http';
import path from 'node:path';
import type { PlantConfig } from '../config/schema.ts';
import { pointLine } from '../store/influx/line-protocol.ts';
import { openInfluxStore } from '../store/open.ts';
import { hasLineWrites, type ReadingWriter } from '../store/port.ts';
import { jsonLog, type Log, sourceMetrics } from './context.ts';
import { DeadLetterFile } from './dead-letter.ts';
import { EdgeProcessor } from './edge.ts';
import { Forwarder } from './influx/forwarder.ts';
import { Intake } from './intake.ts';
import { Metrics } from './metrics.ts';
import { createSources, type Source } from './sources.ts';
import { Spool } from './spool/spool.ts';

export interface Collector {
  /** the /metrics and /health port actually bound */
  port: number;
  metrics: Metrics;
  forwarder: Forwarder;
  spool: Spool;
  intake: Intake;
  sources: Source[];
  /** what the collector has counted so far (also after stop) */
  stats(): CollectorStats;
  stop(): Promise<void>;
}

/** The collector's counts, as numbers (the same counters /metrics renders as text). */
export interface CollectorStats {
  /** readings durably spooled, per source id */
  readingsIn: Record<string, number>;
  /** payloads or readings dead-lettered at the edge, per source id */
  deadLettered: Record<string, number>;
  /** readings written to the store (InfluxDB or the embedded store) */
  readingsOut: number;
  /** readings the store refused, in influx-refused.jsonl */
  refused: number;
  /** age of the oldest reading in the spool not yet written (0: the spool is drained) */
  spoolOldestAgeMs: number;
}

export interface CollectorOptions {
  /** where readings go when the config has no influx section (the demo's embedded store) */
  store?: ReadingWriter;
}

export async function startCollector(
  config: PlantConfig,
  log: Log = jsonLog(),
  opts: CollectorOptions = {},
): Promise<Collector> {
  const store = config.influx ? openInfluxStore(config.influx, config.site.id) : opts.store;
  if (store === undefined)
    throw new Error('the plant config has no influx section: the collector needs somewhere to write');
  const metrics = new Metrics();
  const sm = sourceMetrics(metrics);
  const spool = await Spool.open(config.spool);
  const deadDir = config.collector.deadLetterDir;
  const forwarder = new Forwarder({
    spool,
    store,
    deadLetterFile: path.join(deadDir, 'influx-refused.jsonl'),
    maxLines: config.influx?.batchLines ?? 5000,
    flushIntervalMs: config.influx?.flushIntervalMs ?? 1000,
    deadLetterMaxBytes: config.collector.deadLetterMaxBytes,
    log,
  });
  const deadLetter = new DeadLetterFile(path.join(deadDir, 'payloads.jsonl'), {
    maxBytes: config.collector.deadLetterMaxBytes,
    log,
    // a refused message is acknowledged once its entry is on disk, as an accepted one once it is spooled
    fsync: config.spool.fsync,
  });
  const edge = new EdgeProcessor(new Map(config.signals.map((s) => [s.id, s.unit])), {
    window: config.collector.readingWindow,
  });
  const intake = new Intake(spool, edge, {
    onDurable: (per) => {
      for (const [source, n] of per) sm.readingsIn.inc({ source }, n);
    },
    onFailed: (err, readings) =>
      log('error', 'spool write failed; not acknowledged', { error: err.message, readings }),
  });
  const sources = await createSources(config.sources, { intake, edge, deadLetter, metrics: sm, log });

  metrics.gauge('plantkpi_spool_bytes', 'bytes of readings in the spool not yet written to InfluxDB', () => [
    { labels: {}, value: spool.stats().bytes },
  ]);
  metrics.gauge(
    'plantkpi_dead_letter_overflow_total',
    'dead letters not written because the dead-letter file reached collector.deadLetterMaxBytes',
    () => [
      { labels: { file: 'payloads.jsonl' }, value: deadLetter.overflow },
      { labels: { file: 'influx-refused.jsonl' }, value: forwarder.deadLetters.overflow },
    ],
  );
  metrics.gauge('plantkpi_spool_disk_bytes', 'bytes of all spool segment files on disk', () => [
    { labels: {}, value: spool.stats().diskBytes },
  ]);
  metrics.gauge(
    'plantkpi_spool_group_commits_total',
    'spool writes (one write and one fdatasync each)',
    () => [{ labels: {}, value: spool.stats().groupCommits }],
  );
  metrics.gauge('plantkpi_source_connected', '1 when every connection of the source is up', () =>
    sources.map((src) => ({ labels: { source: src.id }, value: src.status().connected ? 1 : 0 })),
  );
  metrics.gauge('plantkpi_spool_oldest_age_seconds', 'age of the oldest unsent data', () => [
    { labels: {}, value: spool.stats().oldestAgeMs / 1000 },
  ]);
  metrics.gauge(
    'plantkpi_spool_dropped_total',
    'records dropped because the disk budget was full (drop-oldest)',
    () => [{ labels: {}, value: spool.stats().droppedRecords }],
  );
  metrics.gauge('plantkpi_readings_out_total', 'readings written to InfluxDB', () => [
    { labels: {}, value: forwarder.stats.linesWritten },
  ]);
  metrics.gauge('plantkpi_influx_retries_total', 'InfluxDB writes retried', () => [
    { labels: {}, value: forwarder.stats.retries },
  ]);
  metrics.gauge(
    'plantkpi_influx_dead_lettered_total',
    'readings InfluxDB refused, in the dead-letter file',
    () => [{ labels: {}, value: forwarder.stats.deadLetteredLines }],
  );

  /** ok, or degraded (503) with every reason: spool full, a source disconnected, InfluxDB failing for too long */
  const health = () => {
    const s = spool.stats();
    const reasons: string[] = [];
    if (!intake.hasRoom(64 * 1024))
      reasons.push(
        `spool full: ${s.bytes} of ${spool.maxBytes} bytes unsent; MQTT intake paused, OPC UA readings buffered`,
      );
    const statuses = sources.map((src) => src.status());
    for (const st of statuses)
      for (const c of st.connections)
        if (c.state !== 'connected')
          reasons.push(`source ${st.id} (${c.clientId}) ${c.state}${c.lastError ? `: ${c.lastError}` : ''}`);
    const f = forwarder.stats;
    const failingMs = f.failingSinceMs === null ? 0 : Date.now() - f.failingSinceMs;
    if (f.failingSinceMs !== null && failingMs > config.collector.influxDegradedAfterMs)
      reasons.push(`InfluxDB writes failing for ${Math.round(failingMs / 1000)} s: ${f.lastError}`);
    return {
      status: reasons.length === 0 ? 'ok' : 'degraded',
      reasons,
      spool: {
        bytes: s.bytes,
        diskBytes: s.diskBytes,
        maxBytes: spool.maxBytes,
        oldestAgeMs: s.oldestAgeMs,
        dropped: s.droppedRecords,
      },
      influx: {
        target: store.description,
        written: f.linesWritten,
        lastError: f.lastError,
        failingSinceMs: f.failingSinceMs,
      },
      sources: statuses.map((st) => ({ ...st, readingsIn: sm.readingsIn.get({ source: st.id }) })),
    };
  };

  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics.render());
    } else if (req.url === '/health') {
      const h = health();
      res
        .writeHead(h.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify(h));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.collector.httpPort, config.collector.httpHost, resolve);
  });
  const port = (server.address() as { port: number }).port;

  // the collector's own health as points (measurement `collector`), for the pipeline-health board
  const selfReport = setInterval(() => {
    const st = spool.stats();
    const fields = {
      readings_in: sources.reduce((n, src) => n + sm.readingsIn.get({ source: src.id }), 0),
      readings_out: forwarder.stats.linesWritten,
      spool_bytes: st.bytes,
      spool_age_s: st.oldestAgeMs / 1000,
      dead_lettered: deadLetter.count + forwarder.stats.deadLetteredLines,
      retries: forwarder.stats.retries,
      reconnects: sources.reduce((n, src) => n + sm.reconnects.get({ source: src.id }), 0),
    };
    const line = pointLine({
      measurement: 'collector',
      tags: { site: config.site.id },
      fields,
      timeMs: Date.now(),
    });
    // only to InfluxDB (the boards' data source); InfluxDB away: the next report will tell
    if (hasLineWrites(store)) store.writeLines([line]).catch(() => {});
  }, config.collector.selfReportMs);
  selfReport.unref();

  forwarder.start();
  for (const s of sources) await s.start();
  log('info', 'collector started', { sources: sources.map((s) => s.id), influx: store.description, port });

  return {
    port,
    metrics,
    forwarder,
    spool,
    intake,
    sources,
    stats: () => ({
      readingsIn: Object.fromEntries(sources.map((src) => [src.id, sm.readingsIn.get({ source: src.id })])),
      deadLettered: Object.fromEntries(
        sources.map((src) => [src.id, sm.deadLettered.get({ source: src.id })]),
      ),
      readingsOut: forwarder.stats.linesWritten,
      refused: forwarder.stats.deadLetteredLines,
      spoolOldestAgeMs: spool.stats().oldestAgeMs,
    }),
    async stop() {
      clearInterval(selfReport);
      log('info', 'collector stopping: flushing');
      for (const s of sources) await s.stop();
      await intake.drain();
      await forwarder.stop();
      await spool.close();
      await new Promise<void>((r) => server.close(() => r()));
      log('info', 'collector stopped');
    },
  };
}
