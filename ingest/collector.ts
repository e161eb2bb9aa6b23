/**
 * `plantkpi collect`: the configured sources -> edge -> durable spool -> InfluxDB, with /metrics (Prometheus) and
 * /health on a local port, structured JSON logs, and a clean stop (stop() flushes what it can; the spool keeps the
 * rest for the next start).
 */
import http from 'node:http';
import path from 'node:path';
import type { PlantConfig } from '../config/schema.ts';
import type { SeriesStore } from '../store/port.ts';
import { jsonLog, type Log, sourceMetrics } from './context.ts';
import { DeadLetterFile } from './dead-letter.ts';
import { EdgeProcessor } from './edge.ts';
import { Forwarder } from './influx/forwarder.ts';
import { pointLine } from './influx/line-protocol.ts';
import { makeWriteTarget } from './influx/make-target.ts';
import { InfluxReadingTarget, type ReadingTarget, StoreReadingTarget } from './influx/reading-target.ts';
import { Metrics } from './metrics.ts';
import { createSources, type Source } from './sources.ts';
import { Spool } from './spool/spool.ts';

export interface Collector {
  /** the /metrics and /health port actually bound */
  port: number;
  metrics: Metrics;
  forwarder: Forwarder;
  spool: Spool;
  sources: Source[];
  stop(): Promise<void>;
}

export interface CollectorOptions {
  /** where readings go when the config has no influx section (the demo's embedded store) */
  store?: SeriesStore;
}

export async function startCollector(
  config: PlantConfig,
  log: Log = jsonLog(),
  opts: CollectorOptions = {},
): Promise<Collector> {
  let target: ReadingTarget;
  if (config.influx) target = new InfluxReadingTarget(makeWriteTarget(config.influx), config.site.id);
  else if (opts.store) target = new StoreReadingTarget(opts.store, 'embedded store');
  else throw new Error('the plant config has no influx section: the collector needs somewhere to write');
  const metrics = new Metrics();
  const sm = sourceMetrics(metrics);
  const spool = await Spool.open(config.spool);
  const deadDir = config.collector.deadLetterDir;
  const forwarder = new Forwarder({
    spool,
    target,
    deadLetterFile: path.join(deadDir, 'influx-refused.jsonl'),
    maxLines: config.influx?.batchLines ?? 5000,
    flushIntervalMs: config.influx?.flushIntervalMs ?? 1000,
    log,
  });
  const deadLetter = new DeadLetterFile(path.join(deadDir, 'payloads.jsonl'));
  const edge = new EdgeProcessor(new Map(config.signals.map((s) => [s.id, s.unit])));
  const sources = createSources(config.sources, { spool, edge, deadLetter, metrics: sm, log });

  metrics.gauge('plantkpi_spool_bytes', 'bytes of unsent readings on disk', () => [
    { labels: {}, value: spool.stats().bytes },
  ]);
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

  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics.render());
    } else if (req.url === '/health') {
      const s = spool.stats();
      const degraded = forwarder.stats.lastError !== null && s.oldestAgeMs > 60_000;
      res.writeHead(degraded ? 503 : 200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: degraded ? 'degraded' : 'ok',
          spool: { bytes: s.bytes, oldestAgeMs: s.oldestAgeMs, dropped: s.droppedRecords },
          influx: {
            target: target.description,
            written: forwarder.stats.linesWritten,
            lastError: forwarder.stats.lastError,
          },
          sources: sources.map((src) => ({ id: src.id, readingsIn: sm.readingsIn.get({ source: src.id }) })),
        }),
      );
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
    if (target instanceof InfluxReadingTarget) target.lines.write([line]).catch(() => {});
  }, config.collector.selfReportMs);
  selfReport.unref();

  forwarder.start();
  for (const s of sources) await s.start();
  log('info', 'collector started', { sources: sources.map((s) => s.id), influx: target.description, port });

  return {
    port,
    metrics,
    forwarder,
    spool,
    sources,
    async stop() {
      clearInterval(selfReport);
      log('info', 'collector stopping: flushing');
      for (const s of sources) await s.stop();
      await forwarder.stop();
      await spool.close();
      await new Promise<void>((r) => server.close(() => r()));
      log('info', 'collector stopped');
    },
  };
}
