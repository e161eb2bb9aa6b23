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
import { JobState } from '../kpi/jobs/state.ts';
import { redisErrorsToLog, watchSchedulers } from '../kpi/jobs/watch.ts';
import { installSchedulers, SCHEDULER_IDS } from '../kpi/jobs/worker.ts';
import { cli, REFERENCE_CONFIG, tempDir } from './helpers.ts';
import { waitFor } from './services/ports.ts';
import { type RedisServer, startRedis } from './services/redis.ts';

const tmp = tempDir('plantkpi-jobs-redis-');
let redis: RedisServer;
const data = path.join(tmp.dir, 'data');
const exportDir = path.join(tmp.dir, 'exports');

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.destroy();
  tmp.cleanup();
});

describe('KPI jobs when Redis misbehaves', () => {
  it('the scheduler notices a Redis that lost its data and installs its schedulers again', async () => {
    const cfg = parsePlantConfig(
      `${readFileSync(REFERENCE_CONFIG, 'utf8')}
jobs: { redis: { url: "${redis.url}" }, prefix: watch, exportDir: "${exportDir}", schedulerCheckMs: 200 }
`,
      'watch.yaml',
    );
    const rt = await openRuntime(cfg, data);
    const queue = kpiQueue(rt.connection, rt.config.jobs);
    const state = new JobState(rt.connection, rt.config.jobs.prefix);
    const logs: string[] = [];
    await installSchedulers(rt, queue);
    const watch = watchSchedulers(rt, queue, state, (_level, msg) => logs.push(msg));
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
});
