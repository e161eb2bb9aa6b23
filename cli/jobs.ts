/**
 * `plantkpi worker`, `scheduler`, `backfill` and `export`: the BullMQ side. Workers and schedulers run on as many
 * machines as wanted against one Redis; all of them share the KPI code path of `plantkpi kpi`.
 */
import { CliError, EXIT, PlantkpiError, RefusedError, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import type { PlantConfig } from '../config/schema.ts';
import { jsonLog, type Log } from '../ingest/context.ts';
import { withSavings } from '../kpi/baseline/period.ts';
import { exportMonth } from '../kpi/export/month.ts';
import { JOB_KINDS, type JobKind, jobId, periodsBetween } from '../kpi/jobs/plan.ts';
import { type ComputeData, kpiQueue } from '../kpi/jobs/queue.ts';
import { redisDurabilityProblems } from '../kpi/jobs/redis-check.ts';
import { openRuntime, type Runtime } from '../kpi/jobs/runtime.ts';
import { migrateRedisState } from '../kpi/jobs/state.ts';
import { redisErrorsToLog, watchSchedulers } from '../kpi/jobs/watch.ts';
import {
  installSchedulers,
  planMissing,
  planRecompute,
  requestComputes,
  startWorker,
} from '../kpi/jobs/worker.ts';
import { runDays, runPeriod } from '../kpi/run.ts';
import { hasScorecard } from '../kpi/scorecard/model.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { dataDirToRead, type Io, type Parsed } from './args.ts';
import { hasNoReadings, noReadingsWarning, storeDescription } from './no-readings.ts';

const DEFAULT_DATA = './data';

function configOf(o: Parsed) {
  const file = o.values.config;
  if (file === undefined) throw new UsageError('缺少 --config (--config is required)');
  return loadPlantConfig(file).config;
}

/** `--from`/`--to`: a date (2026-10-01) or an ISO date-time (2026-10-01T08:00, an offset optional), nothing else. */
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function instantArg(option: string, value: string): string {
  if (option === 'to' && value === 'now') return value;
  if (!INSTANT.test(value))
    throw new UsageError(
      `--${option} '${value}' 不是日期或 ISO 时间 is not a date (2026-10-01) or an ISO date-time ` +
        `(2026-10-01T08:00, 2026-10-01T08:00+08:00)`,
    );
  return value;
}

/** Redis that may lose queued jobs: a warning, or a refusal to start with jobs.redis.requireDurable. */
async function checkRedis(rt: Runtime, log: Log): Promise<void> {
  const problems = await redisDurabilityProblems(rt.connection);
  if (problems.length === 0) return;
  const where = `Redis at ${rt.config.jobs.redis.url}`;
  if (rt.config.jobs.redis.requireDurable) {
    await rt.close();
    throw new CliError(
      `${where} may lose queued jobs: ${problems.join('; ')} (jobs.redis.requireDurable is set)`,
    );
  }
  for (const p of problems) log('warn', `${where} may lose queued jobs: ${p}`);
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

export async function cmdWorker(o: Parsed, io: Io): Promise<number> {
  const config = configOf(o);
  const rt = await openRuntime(config, dataDirToRead(o.values.data ?? DEFAULT_DATA, config));
  const log = jsonLog();
  await checkRedis(rt, log);
  const { worker, queue } = startWorker(rt, log, Number(o.values.concurrency ?? 1));
  redisErrorsToLog(rt, queue, log, worker);
  io.out(
    `作业进程 worker for config ${rt.configHash} on ${rt.config.jobs.redis.url} (prefix ${rt.config.jobs.prefix})\n`,
  );
  log('info', 'worker stopping', { signal: await untilSignal() });
  await worker.close();
  await queue.close();
  await rt.close();
  return EXIT.ok;
}

/** `hour 2026-10-01T00, hour 2026-10-01T01, day 2026-10-01`: a long list said by count per kind */
function periodList(items: string[]): string {
  if (items.length === 0) return 'none';
  if (items.length <= 6) return items.join(', ');
  const byKind = new Map<string, number>();
  for (const i of items) byKind.set(i.split(' ')[0]!, (byKind.get(i.split(' ')[0]!) ?? 0) + 1);
  return `${items.length} (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}; ${items[0]} .. ${items.at(-1)})`;
}

export async function cmdScheduler(o: Parsed, io: Io): Promise<number> {
  const rt = await openRuntime(configOf(o), o.values.data ?? DEFAULT_DATA, 'scheduler');
  const log = jsonLog();
  await checkRedis(rt, log);
  const queue = kpiQueue(rt.connection, rt.config.jobs);
  // what versions before the records store kept in Redis moves there once
  const moved = await migrateRedisState(rt.connection, rt.config.jobs.prefix, rt.records, rt.state.who);
  if (moved.audit + moved.locks + moved.computed > 0)
    log('info', 'job state moved from Redis to the records store', moved);
  await installSchedulers(rt, queue);
  const plan = await planRecompute(rt, queue);
  const missing = await planMissing(rt, queue);
  redisErrorsToLog(rt, queue, log);
  const watch = o.values.once === undefined ? watchSchedulers(rt, queue, log) : null;
  const locked = [...new Set([...plan.locked, ...missing.locked])];
  const notCaughtUp = Object.entries(missing.skipped).map(([k, n]) => `${n} ${k}`);
  io.out(
    `调度已安装 schedulers installed (hour ${rt.config.jobs.hourlyCron}, day ${rt.config.jobs.dailyCron}, month ${rt.config.jobs.monthlyCron}, ${rt.plant.timeZone})\n` +
      `配置变更后重算 recompute after config change: ${periodList(plan.enqueued)}\n` +
      `先前请求、重新入队 asked for earlier and queued again: ${periodList(missing.requeued)}\n` +
      `补上错过的调度 missed ticks caught up: ${periodList(missing.caughtUp)}` +
      (notCaughtUp.length
        ? `; 超出 jobs.catchUpDays 未补（请回填）older than jobs.catchUpDays, not caught up (backfill them): ${notCaughtUp.join(', ')}`
        : '') +
      '\n' +
      (locked.length
        ? `已锁定月份未重算（请重开）locked months not recomputed (reopen them): ${locked.join(', ')}\n`
        : ''),
  );
  if (o.values.once === undefined) await untilSignal();
  watch?.stop();
  await queue.close();
  await rt.close();
  return EXIT.ok;
}

export async function cmdBackfill(o: Parsed, io: Io): Promise<number> {
  if (o.values.from === undefined || o.values.to === undefined)
    throw new UsageError('缺少 --from 或 --to (backfill needs --from DATE and --to DATE)');
  const from = instantArg('from', o.values.from);
  const to = instantArg('to', o.values.to);
  const kinds = (o.values.kinds ?? 'day,month').split(',') as JobKind[];
  for (const k of kinds)
    if (!JOB_KINDS.includes(k)) throw new UsageError(`--kinds 取 takes hour, day, month (got '${k}')`);
  const config = configOf(o);
  // the range is read in the site's zone before anything connects: a bad one is a usage error (PeriodError)
  const planned = kinds.map((kind) => ({
    kind,
    periods: periodsBetween(kind, from, to, config.site.timeZone, Date.now()),
  }));
  const rt = await openRuntime(config, o.values.data ?? DEFAULT_DATA, 'backfill');
  const queue = kpiQueue(rt.connection, rt.config.jobs);
  const state = rt.state;
  const reopen = o.values.reopen;
  try {
    const refused: string[] = [];
    const by = process.env.USER ?? 'unknown';
    const locks = new Set((await rt.records.locks()).map((l) => l.period));
    const todo: { data: ComputeData; idSuffix?: string }[] = [];
    for (const { kind, periods } of planned) {
      for (const p of periods) {
        // a month is closed as the monthly job closes it (export, then lock): its job id is the one the monthly tick
        // would use, and a month whose tick was missed (a stack started after it, a gap beyond jobs.catchUpDays) is
        // closed by nothing else
        const data: ComputeData = {
          kind,
          period: p.label,
          configHash: rt.configHash,
          reason: 'backfill',
          ...(kind === 'month' ? { export: true } : {}),
        };
        if (kind === 'month' && locks.has(p.label)) {
          if (reopen === undefined) {
            await state.audit({
              atMs: Date.now(),
              action: 'recompute-refused',
              period: p.label,
              by,
              reason: 'backfill without --reopen',
            });
            refused.push(p.label);
            continue;
          }
          await state.reopen(p.label, by, reopen);
          // a reopened month is recomputed, exported and closed again (its lock audited as before); each reopen
          // is its own job
          todo.push({
            data: { ...data, reason: 'reopen', reopen: true, export: true },
            idSuffix: `_reopen_${Date.now()}`,
          });
          continue;
        }
        if (kind === 'month' && rt.config.jobs.lockMonthAfterExport) {
          // an open month whose job is there and finished (run by an older backfill that did not close months, or
          // failed) would stay open ('already there'): it gets a closing job of its own
          const earlier = await queue.getJob(jobId('month', p.label, rt.configHash));
          const st = earlier ? await earlier.getState() : undefined;
          if (st === 'completed' || st === 'failed') {
            todo.push({ data, idSuffix: `_close_${Date.now()}` });
            continue;
          }
        }
        todo.push({ data });
      }
    }
    const results = await requestComputes(rt, queue, todo);
    const added = results.filter((r) => r.added).length;
    const existing = results.length - added;
    io.out(
      `回填 backfill ${from}..${to} (${kinds.join(', ')}): ${added} jobs enqueued, ${existing} already there\n`,
    );
    if (refused.length > 0)
      throw new RefusedError(
        `${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} locked (closed): not recomputed (audited); give --reopen "reason" to recompute`,
      );
  } finally {
    await queue.close();
    await rt.close();
  }
  return EXIT.ok;
}

/** The scorecard's code and the records it reads, loaded only for a plant that declares a responsibility loop. */
async function scorecardParts(config: PlantConfig, data: string) {
  const { computeScorecard } = await import('../kpi/scorecard/compute.ts');
  const { readScorecardRecords } = await import('./scorecard-records.ts');
  return { compute: computeScorecard, records: await readScorecardRecords(config, data) };
}

/** On demand: compute the month through the store and write the export (same code as the monthly job). */
export async function cmdExport(o: Parsed, io: Io): Promise<number> {
  const config = configOf(o);
  const period = o.values.period;
  if (period === undefined)
    throw new UsageError('缺少 --period (--period is required: a month, e.g. 2026-10)');
  // a month and nothing else: the label names the export's folder
  const notMonth = `--period 须是月份 must be a month, e.g. 2026-10 (got '${period}')`;
  if (!/^\d{4}-\d{2}$/.test(period)) throw new UsageError(notMonth);
  const { compilePlant } = await import('../kpi/plant.ts');
  const { configHash } = await import('../kpi/jobs/plan.ts');
  const { openStore } = await import('../store/open.ts');
  const plant = compilePlant(config);
  const p = parsePeriod(period, plant.timeZone); // a PeriodError is a usage error
  if (p.kind !== 'month') throw new UsageError(notMonth);
  const data = o.values.data ?? DEFAULT_DATA;
  const dataDir = dataDirToRead(data, config);
  // the scorecard's sheets as `plantkpi scorecard` computes them: records read, never settled (the job settles)
  const scored = hasScorecard(plant) ? await scorecardParts(config, data) : undefined;
  const store = await openStore(config, dataDir);
  try {
    // the month's KPIs with its savings among them, as the monthly job computes them
    const { result, notes } = await withSavings(store, plant, await runPeriod(store, plant, p), p);
    for (const n of notes) io.err(`注意 note: ${n}\n`);
    const dir = o.values.out ?? config.jobs.exportDir;
    const days = await runDays(store, plant, p);
    const scorecard = scored
      ? (await scored.compute(store, plant, plant.scorecard, p, scored.records, result)).scorecard
      : undefined;
    const manifest = await exportMonth(result, plant, {
      dir,
      configHash: configHash(config),
      days,
      ...(scorecard ? { scorecard } : {}),
    });
    io.out(
      `导出 export ${period}: ${manifest.files.length} 个文件和 files and manifest.json in ${dir}/${period}\n`,
    );
    // written all the same (a month closed empty is a fact worth filing), but said, with its own exit code
    if (hasNoReadings(result)) {
      io.err(noReadingsWarning(period, storeDescription(config, store, dataDir)));
      return EXIT.noReadings;
    }
  } catch (err) {
    // ours carry their own exit code (no factor valid: 5; InfluxDB out of reach: 6)
    if (err instanceof PlantkpiError) throw err;
    throw new CliError(`export ${period} failed: ${(err as Error).message}`);
  } finally {
    await store.close();
  }
  return EXIT.ok;
}
