/**
 * The compose stack as native processes: the closest check of docker-compose.yml this machine allows (no Docker
 * engine). Each service runs the file's own command, environment and health check on private ports
 * (test/services/stack.ts), started in its depends_on order; the simulator replays 31 days; every replayed reading is
 * counted in InfluxDB; deploy/README.md's backfill runs as the README gives it; every panel of every board returns
 * rows on its default range (the board's, or a monthly panel's own), queried as Grafana's read-only user; a reopened month closes again; and every
 * plantkpi process exits 0 on SIGTERM.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPlantConfig } from '../config/load.ts';
import { QUEUE_NAME } from '../kpi/jobs/queue.ts';
import { ROOT } from './helpers.ts';
import { dependencies, readCompose } from './services/compose-native.ts';
import { type BoardJson, panelQueries, panelRange } from './services/grafana.ts';
import { waitFor } from './services/ports.ts';
import type { Exit } from './services/process.ts';
import { type NativeStack, startNativeStack } from './services/stack.ts';

const compose = readCompose(path.join(ROOT, 'docker-compose.yml'));
const PLANTKPI = Object.keys(compose.services).filter((n) => compose.services[n]!.build === '.');
const t0 = Date.now();
const timings: Record<string, number> = {};
const mark = (what: string) => {
  timings[what] = Math.round((Date.now() - t0) / 100) / 10;
};
let stack: NativeStack;
let exits: Record<string, Exit> | undefined;
let redis: Redis;
let queue: Queue;

/** The plant config's path in the compose services' commands. */
const CONFIG = '/app/config/examples/compose-site.yaml';
/** The plant config as the worker reads it (its addresses and paths on this machine). */
const workerConfig = () => loadPlantConfig(stack.configFile('worker')).config;

/** The simulator's JSON log lines with this message. */
function simLog(msg: string): Record<string, unknown>[] {
  return stack
    .process('simulator')
    .stderr()
    .split('\n')
    .filter((l) => l.includes(`"msg":"${msg}`))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Rows of a query, or the error InfluxDB gives. */
async function rows(q: string, user: string): Promise<number> {
  const r = await stack.influx(q, user);
  if (r.error) throw new Error(`${r.error}: ${q}`);
  return (r.series ?? []).reduce((n, s) => n + s.values.length, 0);
}

/** Waits until no compute job waits, runs or waits for a retry; the jobs that failed. */
async function jobsDone(timeoutMs: number): Promise<Job[]> {
  await waitFor(
    'the worker to finish every job',
    async () => {
      const counts = await queue.getJobCounts('wait', 'active', 'prioritized', 'waiting-children');
      if (Object.values(counts).some((n) => n > 0)) return false;
      // a job waiting for its retry is delayed, beside the schedulers' next ticks
      return (await queue.getJobs(['delayed'])).every((j) => j.name !== 'compute');
    },
    timeoutMs,
  );
  return queue.getJobs(['failed']);
}

beforeAll(async () => {
  stack = await startNativeStack({ repo: ROOT });
  mark('stack up');
  const cfg = workerConfig();
  const url = new URL(cfg.jobs.redis.url);
  redis = new Redis({
    host: url.hostname,
    port: Number(url.port),
    password: stack.env.REDIS_PASSWORD!,
    maxRetriesPerRequest: null,
  });
  queue = new Queue(QUEUE_NAME, { connection: redis, prefix: cfg.jobs.prefix });
}, 120_000);

afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
  if (exits === undefined) await stack?.stop();
  stack?.destroy();
  console.log(`native stack timings (s since start): ${JSON.stringify(timings)}`);
}, 60_000);

describe('the compose stack as native processes', () => {
  it('starts every service this machine can run, each once what it depends on has started or is healthy', () => {
    const byDefault = Object.keys(compose.services).filter(
      (n) => compose.services[n]!.profiles === undefined,
    );
    // Grafana has no native counterpart here: the boards' queries below run as its read-only user instead
    expect(Object.keys(stack.skipped)).toEqual(['grafana']);
    expect([...stack.started].sort()).toEqual(byDefault.filter((n) => n !== 'grafana').sort());
    const at = (service: string, event: 'started' | 'healthy') =>
      stack.timeline.find((e) => e.service === service && e.event === event)?.atMs;
    for (const name of stack.started) {
      for (const [dep, condition] of Object.entries(dependencies(compose.services[name]!))) {
        const ready = at(dep, condition === 'service_healthy' ? 'healthy' : 'started');
        expect(ready, `${name} needs ${dep} ${condition}`).toBeDefined();
        expect(ready!, `${name} after ${dep} ${condition}`).toBeLessThanOrEqual(at(name, 'started')!);
      }
    }
    // every service with a health check passed it
    for (const name of stack.started)
      if (compose.services[name]!.healthcheck) expect(at(name, 'healthy'), name).toBeDefined();
  });

  it('replays 31 days and loses no reading: InfluxDB holds every reading the simulator published', async () => {
    const sim = compose.services.simulator!.command!;
    const days = Number(sim[sim.indexOf('--catch-up-days') + 1]);
    expect(days).toBe(31);
    await waitFor('the replay', async () => simLog('replay done').length > 0, 90_000);
    mark('replay done');
    const done = simLog('replay done')[0] as {
      replayFrom: string;
      replayTo: string;
      steps: number;
      published: { mqtt: number; opcua: number };
    };
    const stepMs = 30 * 60_000;
    expect(done.steps).toBeGreaterThanOrEqual((days * 86_400_000) / stepMs - 1);
    expect(done.published.mqtt).toBeGreaterThan(0);
    expect(done.published.opcua).toBeGreaterThan(0);
    // counted per source kind, as the pipeline's own user, inside the replayed window
    const opcuaSignals = new Set(workerConfig().sources.opcua.flatMap((s) => s.items.map((i) => i.signal)));
    const stored = async () => {
      const r = await stack.influx(
        `SELECT count("value") FROM "reading" WHERE time >= '${done.replayFrom}' AND time <= '${done.replayTo}' GROUP BY "signal"`,
        'plantkpi',
      );
      if (r.error) throw new Error(r.error);
      const n = { mqtt: 0, opcua: 0 };
      for (const s of r.series ?? [])
        n[opcuaSignals.has(s.tags!.signal!) ? 'opcua' : 'mqtt'] += Number(s.values[0]![1]);
      return n;
    };
    // the collector writes in batches: wait until it has caught up (a minute at most), then compare
    await waitFor(
      'every replayed reading in InfluxDB',
      async () => {
        const n = await stored();
        return n.mqtt >= done.published.mqtt && n.opcua >= done.published.opcua;
      },
      60_000,
    ).catch(() => {});
    mark('readings counted');
    expect(await stored()).toEqual(done.published);
  }, 150_000);

  it("deploy/README.md's backfill fills the replayed days and months; every panel of every board returns rows on its default range (the board's, or a monthly panel's own)", async () => {
    const readme = readFileSync(path.join(ROOT, 'deploy', 'README.md'), 'utf8');
    const line = /^docker compose run --rm (\w+) (backfill .*)$/m.exec(readme);
    expect(line, 'the backfill line of deploy/README.md').not.toBeNull();
    const r = await stack.run(line![1]!, line![2]!);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/backfill .*: \d+ jobs enqueued/);
    const failed = await jobsDone(90_000);
    mark('backfill done');
    expect(failed.map((j) => `${j.id}: ${j.failedReason}`)).toEqual([]);

    const nowMs = Date.now();
    const ds = parse(
      readFileSync(path.join(ROOT, 'dashboards', 'provisioning', 'datasources', 'influxdb.yaml'), 'utf8'),
    ).datasources[0] as { user: string; jsonData: { timeInterval: string } };
    const minIntervalMs = Number(/^(\d+)m$/.exec(ds.jsonData.timeInterval)![1]) * 60_000;
    const empty: string[] = [];
    let panels = 0;
    const dir = path.join(ROOT, 'dashboards', 'boards');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      const board = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as BoardJson;
      const variables: Record<string, string[]> = {};
      for (const v of board.templating.list) {
        const res = await stack.influx(v.query, ds.user);
        variables[v.name] = (res.series ?? []).flatMap((s) => s.values.map((row) => String(row[1])));
        if (variables[v.name]!.length === 0) empty.push(`${board.title} / variable ${v.name}`);
      }
      for (const p of board.panels) {
        panels++;
        const range = panelRange(board, p);
        for (const q of panelQueries(board, p, { nowMs, minIntervalMs, variables })) {
          if (!q.provisional && (await rows(q.query, ds.user)) === 0)
            empty.push(`${q.label} (${range.from}..${range.to}): ${q.query}`);
        }
      }
    }
    mark('boards queried');
    expect(panels).toBeGreaterThan(20);
    expect(empty).toEqual([]);
  }, 150_000);

  it('a reopened month closes again: locked, reopened with a reason, recomputed, exported and locked', async () => {
    const cfg = workerConfig();
    const month = DateTime.now().setZone(cfg.site.timeZone).startOf('month').minus({ months: 1 });
    const label = month.toFormat('yyyy-MM');
    // the locks and the audit are in the records store (the PostgreSQL service): read as `plantkpi audit` prints them
    const audit = async () => {
      const a = await stack.run('worker', `audit --config ${CONFIG} --period ${label}`);
      expect(a.err).toBe('');
      expect(a.code).toBe(0);
      const [header, ...lines] = a.out.trim().split('\n');
      expect(header).toBe('seq\tat\taction\tperiod\tby\treason\tdetail\thash');
      return lines.map((l) => {
        const [, , action, period, , reason, detail] = l.split('\t');
        return { action: action!, period: period!, reason: reason!, detail: detail! };
      });
    };
    const closes = (log: { action: string }[]) =>
      log.filter((e) => e.action === 'lock' || e.action === 'reopen').map((e) => e.action);
    const manifestFile = path.join(cfg.jobs.exportDir, label, 'manifest.json');
    // closed by the README's backfill: exported, then locked
    const before = await audit();
    expect(closes(before)).toEqual(['lock']);
    expect(before.filter((e) => e.action === 'export')).toHaveLength(1);
    const manifestBefore = readFileSync(manifestFile, 'utf8');

    const r = await stack.run(
      'worker',
      `backfill --config ${CONFIG} --reopen "stack test: meter corrected" --kinds month --from ${month.toFormat('yyyy-MM-dd')} --to now`,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 jobs enqueued/);
    expect(await jobsDone(60_000)).toEqual([]);
    mark('reopened month closed');
    const after = await audit();
    expect(after.every((e) => e.period === label)).toBe(true);
    expect(closes(after)).toEqual(['lock', 'reopen', 'lock']);
    expect(after.find((e) => e.action === 'reopen')!.reason).toBe('stack test: meter corrected');
    expect(after.at(-1)).toMatchObject({ action: 'lock', reason: 'monthly export written' });
    // its export written again: a second export entry, with the SHA-256 of the manifest now on disk
    const exports = after.filter((e) => e.action === 'export');
    expect(exports).toHaveLength(2);
    const manifest = readFileSync(manifestFile, 'utf8');
    expect(manifest).not.toBe(manifestBefore);
    expect(JSON.parse(exports[1]!.detail).manifestSha256).toBe(
      createHash('sha256').update(manifest).digest('hex'),
    );
  }, 90_000);

  it('stops as docker compose down does: every plantkpi process exits 0 on SIGTERM', async () => {
    exits = await stack.stop();
    mark('stopped');
    for (const name of PLANTKPI) expect(exits[name], name).toEqual({ code: 0, signal: null });
    for (const name of stack.started) expect(exits[name]?.code, name).toBe(0);
  }, 60_000);
});
