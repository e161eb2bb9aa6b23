/**
 * The jobs against a Redis that misbehaves, on private Redis servers: one that loses its data (the scheduler installs
 * its schedulers again), one that goes away (one JSON log line, no ioredis stacks), one that keeps nothing on disk or
 * evicts keys (a warning, or a refusal with requireDurable).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePlantConfig } from '../config/load.ts';
import { kpiQueue } from '../kpi/jobs/queue.ts';
import { redisDurabilityProblems } from '../kpi/jobs/redis-check.ts';
import { openRuntime } from '../kpi/jobs/runtime.ts';
import { migrateRedisState } from '../kpi/jobs/state.ts';
import { redisErrorsToLog, watchSchedulers } from '../kpi/jobs/watch.ts';
import { installSchedulers, planMissing, SCHEDULER_IDS } from '../kpi/jobs/worker.ts';
import { type PGliteTemplate, pgliteTemplate } from '../records/pglite-template.ts';
import { cli, REFERENCE_CONFIG, tempDir } from './helpers.ts';
import { waitFor } from './services/ports.ts';
import { type RedisServer, startRedis } from './services/redis.ts';

const tmp = tempDir('plantkpi-jobs-redis-');
let redis: RedisServer;
let pglite: PGliteTemplate;
const data = path.join(tmp.dir, 'data');
const exportDir = path.join(tmp.dir, 'exports');

beforeAll(async () => {
  [redis, pglite] = await Promise.all([startRedis(), pgliteTemplate()]);
});
afterAll(async () => {
  await redis?.destroy();
  pglite?.cleanup();
  tmp.cleanup();
});

describe('KPI jobs when Redis misbehaves', () => {
  it('the scheduler notices a Redis that lost its data and installs its schedulers again', async () => {
    const cfg = parsePlantConfig(
      `${readFileSync(REFERENCE_CONFIG, 'utf8')}
records: { dir: "${pglite.freshDir()}" }
jobs: { redis: { url: "${redis.url}" }, prefix: watch, exportDir: "${exportDir}", schedulerCheckMs: 200 }
`,
      'watch.yaml',
    );
    const rt = await openRuntime(cfg, data);
    const queue = kpiQueue(rt.connection, rt.config.jobs);
    const logs: string[] = [];
    await installSchedulers(rt, queue);
    const watch = watchSchedulers(rt, queue, (_level, msg) => logs.push(msg));
    try {
      expect(await watch.check()).toBe(false);
      // Redis loses everything of this prefix (a restart without persistence, a FLUSHALL)
      const keys = await rt.connection.keys('watch:*');
      expect(keys.length).toBeGreaterThan(0);
      await rt.connection.del(...keys);
      expect(await queue.getJobScheduler('kpi-month')).toBeUndefined();
      // the timer (every 200 ms) finds them missing and installs them again, saying so
      await waitFor(
        'schedulers back',
        async () => (await queue.getJobScheduler('kpi-month')) !== undefined,
        10_000,
      );
      for (const id of SCHEDULER_IDS) expect(await queue.getJobScheduler(id)).toBeDefined();
      expect(logs[0]).toMatch(/job schedulers missing from Redis/);
    } finally {
      watch.stop();
      await queue.close();
      await rt.close();
    }
  }, 30_000);

  it('Redis going away is one JSON log line per connection, not an unhandled ioredis error stack', async () => {
    const lost = await startRedis();
    const cfg = parsePlantConfig(
      `${readFileSync(REFERENCE_CONFIG, 'utf8')}
records: { dir: "${pglite.freshDir()}" }
jobs: { redis: { url: "${lost.url}" }, prefix: gone, exportDir: "${exportDir}" }
`,
      'gone.yaml',
    );
    const rt = await openRuntime(cfg, data);
    const queue = kpiQueue(rt.connection, rt.config.jobs);
    await queue.waitUntilReady();
    const logs: { msg: string; fields?: Record<string, unknown> }[] = [];
    const stderr: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
      stderr.push(a.join(' '));
    });
    redisErrorsToLog(rt, queue, (_level, msg, fields) => logs.push({ msg, fields }));
    try {
      await lost.destroy();
      await waitFor('a logged Redis error', async () => logs.length > 0, 20_000);
      await new Promise((r) => setTimeout(r, 1500)); // reconnect attempts go on: still one line a minute
      expect(logs[0]!.msg).toBe('Redis unavailable');
      expect(logs[0]!.fields?.url).toBe(lost.url);
      expect(logs.filter((l) => l.fields?.source === 'connection').length).toBe(1);
      expect(stderr.filter((l) => l.includes('Unhandled error event'))).toEqual([]);
    } finally {
      spy.mockRestore();
      await queue.close().catch(() => {});
      await rt.close();
    }
  }, 40_000);

  it('worker and scheduler say when Redis may lose queued jobs, and refuse to start with requireDurable', async () => {
    const r = await startRedis(); // keeps nothing on disk, as the test machines' Redis
    const client = new Redis(r.url);
    try {
      const file = path.join(tmp.dir, 'durable.yaml');
      writeFileSync(
        file,
        `${readFileSync(REFERENCE_CONFIG, 'utf8')}
records: { dir: "${pglite.freshDir()}" }
jobs: { redis: { url: "${r.url}", requireDurable: true }, prefix: durable, exportDir: "${exportDir}" }
`,
      );
      expect(await redisDurabilityProblems(client)).toEqual([
        expect.stringMatching(/keeps nothing on disk \(appendonly no, no save points\)/),
      ]);
      await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const two = await redisDurabilityProblems(client);
      expect(two).toHaveLength(2);
      expect(two[0]).toMatch(/maxmemory-policy is allkeys-lru/);
      const refused = await cli('scheduler', '--config', file, '--data', data, '--once', '1');
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/may lose queued jobs: maxmemory-policy is allkeys-lru.*requireDurable/);
      // RDB save points and noeviction: nothing to say, the scheduler starts
      await client.config('SET', 'maxmemory-policy', 'noeviction');
      await client.config('SET', 'save', '3600 1');
      expect(await redisDurabilityProblems(client)).toEqual([]);
      const started = await cli('scheduler', '--config', file, '--data', data, '--once', '1');
      expect(started.code).toBe(0);
      expect(started.out).toMatch(/schedulers installed/);
    } finally {
      client.disconnect();
      await r.destroy();
    }
  }, 40_000);

  it('what earlier versions kept in Redis moves to the records store once, and a half-done move is finished without doubles', async () => {
    const cfg = parsePlantConfig(
      `${readFileSync(REFERENCE_CONFIG, 'utf8')}
records: { dir: "${pglite.freshDir()}" }
jobs: { redis: { url: "${redis.url}" }, prefix: legacy, exportDir: "${exportDir}" }
`,
      'legacy.yaml',
    );
    const rt = await openRuntime(cfg, data, 'scheduler');
    try {
      // what JobState wrote to Redis before issue 10
      const r = rt.connection;
      const audit = [
        { atMs: 1000, action: 'lock', period: '2026-09', by: 'worker', reason: 'monthly export written' },
        { atMs: 2000, action: 'reopen', period: '2026-09', by: 'li.wei', reason: 'meter corrected' },
        { atMs: 3000, action: 'lock', period: '2026-09', by: 'worker', reason: 'monthly export written' },
      ];
      await r.rpush('legacy:state:audit', ...audit.map((a) => JSON.stringify(a)));
      await r.hset(
        'legacy:state:locks',
        '2026-09',
        JSON.stringify({ atMs: 3000, by: 'worker', reason: 'closed' }),
      );
      await r.hset(
        'legacy:state:computed',
        'month|2026-09',
        JSON.stringify({ kind: 'month', period: '2026-09', fingerprint: 'f9', configHash: 'c9', atMs: 2500 }),
      );
      // a move cut short after the first entry: it is there once, not twice, after the move is run again
      await rt.records.append({
        action: 'lock',
        period: '2026-09',
        by: 'worker',
        reason: 'monthly export written',
        detail: { migratedFrom: 'redis', redisIndex: 0, atMs: 1000 },
      });
      const moved = await migrateRedisState(r, 'legacy', rt.records, rt.state.who);
      expect(moved).toEqual({ audit: 2, locks: 1, computed: 1 });
      expect(await r.exists('legacy:state:audit', 'legacy:state:locks', 'legacy:state:computed')).toBe(0);
      const log = await rt.records.list({ period: '2026-09' });
      expect(log.map((e) => [e.action, e.by, e.detail?.atMs ?? null])).toEqual([
        ['lock', 'worker', 1000],
        ['reopen', 'li.wei', 2000],
        ['lock', 'worker', 3000],
        ['lock', rt.state.who, null], // the lock itself, carried over: its own entry says from where
      ]);
      expect(log.at(-1)?.reason).toMatch(
        /^lock carried over from Redis \(locked 1970-01-01T00:00:03.000Z by worker/,
      );
      expect(await rt.records.isLocked('2026-09')).toBe(true);
      expect(await rt.records.get('month', '2026-09')).toMatchObject({ fingerprint: 'f9', atMs: 2500 });
      expect(await rt.records.verify()).toEqual({ ok: true, checked: 4 });
      // nothing left to move: a second run changes nothing
      expect(await migrateRedisState(r, 'legacy', rt.records, rt.state.who)).toEqual({
        audit: 0,
        locks: 0,
        computed: 0,
      });
    } finally {
      await rt.close();
    }
  }, 40_000);

  it('planMissing queues what was asked for and not computed, and the ticks missed since the last computed period', async () => {
    const cfg = parsePlantConfig(
      `${readFileSync(REFERENCE_CONFIG, 'utf8')}
records: { dir: "${pglite.freshDir()}" }
jobs: { redis: { url: "${redis.url}" }, prefix: missing, exportDir: "${exportDir}", catchUpDays: 2 }
`,
      'missing.yaml',
    );
    const rt = await openRuntime(cfg, data, 'scheduler');
    const queue = kpiQueue(rt.connection, rt.config.jobs);
    try {
      const done = (kind: string, period: string) =>
        rt.state.recordComputed({
          kind,
          period,
          fingerprint: 'f',
          configHash: rt.configHash,
          atMs: Date.now(),
        });
      // hours computed up to 2026-10-05T21; days up to 2026-10-04; 2026-10-03 asked for again and not computed
      await done('hour', '2026-10-05T21');
      await done('day', '2026-10-04');
      await done('day', '2026-10-03');
      await rt.state.request([{ kind: 'day', period: '2026-10-03', reason: 'backfill' }]);
      // now: 2026-10-06 00:10 in Shanghai; the default crons fire hourly at :05 and daily at 00:15
      const nowMs = Date.parse('2026-10-06T00:10:00+08:00');
      const plan = await planMissing(rt, queue, { nowMs });
      expect(plan.requeued).toEqual(['day 2026-10-03']);
      // hours 22 and 23 (the 00:05 tick's), not 2026-10-06T00 (its tick is at 01:05); the day of Oct 5 is not due
      // before 00:15
      expect(plan.caughtUp).toEqual(['hour 2026-10-05T22', 'hour 2026-10-05T23']);
      expect(plan.skipped).toEqual({});
      // asked again: every job is queued already, nothing new
      const again = await planMissing(rt, queue, { nowMs });
      expect([again.requeued, again.caughtUp]).toEqual([[], []]);
      // a long gap: the last catchUpDays (2 days: 48 hours) caught up, the older ones counted
      const later = await planMissing(rt, queue, { nowMs: Date.parse('2026-10-10T00:10:00+08:00') });
      expect(later.caughtUp.filter((p) => p.startsWith('hour'))).toHaveLength(48);
      expect(later.caughtUp.filter((p) => p.startsWith('hour'))[0]).toBe('hour 2026-10-08T00');
      // days: Oct 5 to 8 missed (the 00:15 tick of Oct 10 has not fired), the last two caught up
      expect(later.caughtUp.filter((p) => p.startsWith('day'))).toEqual(['day 2026-10-07', 'day 2026-10-08']);
      expect(later.skipped).toEqual({ hour: 48, day: 2 });
      const jobs = await queue.getJobs(['waiting']);
      expect(jobs.find((j) => j.data.period === '2026-10-03')?.data).toMatchObject({
        kind: 'day',
        reason: 'backfill',
      });
    } finally {
      await queue.close();
      await rt.close();
    }
  }, 40_000);
});
