/**
 * The demo's fourth and fifth steps: the KPIs computed and written as `plantkpi kpi` and the jobs do (in this
 * process, or as BullMQ jobs on Redis), then what the summary prints, computed again over the readings as stored.
 */
import path from 'node:path';
import type { PlantConfig } from '../../config/schema.ts';
import { withSavings } from '../../kpi/baseline/period.ts';
import { computeSavings, type SavingsResult, savingsSources } from '../../kpi/baseline/stage.ts';
import { exportMonth } from '../../kpi/export/month.ts';
import { configHash } from '../../kpi/jobs/plan.ts';
import { enqueueCompute } from '../../kpi/jobs/queue.ts';
import { openRuntime } from '../../kpi/jobs/runtime.ts';
import { startWorker } from '../../kpi/jobs/worker.ts';
import type { Plant } from '../../kpi/plant.ts';
import type { PeriodResult } from '../../kpi/rows.ts';
import { runPeriod } from '../../kpi/run.ts';
import type { Scorecard } from '../../kpi/scorecard/build.ts';
import { computeScorecard } from '../../kpi/scorecard/compute.ts';
import { hasScorecard } from '../../kpi/scorecard/model.ts';
import { scorecardRecords, settleScorecard } from '../../kpi/scorecard/settle.ts';
import { openSink } from '../../kpi/sink.ts';
import { type RecordsTarget, recordsTarget } from '../../records/open.ts';
import { openSharedRecords } from '../../records/shared.ts';
import type { SeriesStore } from '../../store/port.ts';
import { type Period, splitPeriod } from '../../transforms/periods.ts';

/** Without Redis: the jobs' work done here, in order: days, then the month (or range) with its export. */
export async function computeInProcess(
  config: PlantConfig,
  plant: Plant,
  store: SeriesStore,
  dataDir: string,
  period: Period,
): Promise<void> {
  const sink = openSink(config, path.join(dataDir, 'store'));
  const days: PeriodResult[] = [];
  // each written with its savings as the jobs write them (kpi/baseline/period.ts); the export's daily sheet as the
  // monthly job gives it (runDays: the days' own rows)
  for (const d of splitPeriod(period, 'day')) {
    const day = await runPeriod(store, plant, d);
    days.push(day);
    await sink.write((await withSavings(store, plant, day, d)).result, 'day');
  }
  const { result: month } = await withSavings(store, plant, await runPeriod(store, plant, period), period);
  await sink.write(month, period.kind === 'month' ? 'month' : 'range');
  if (period.kind !== 'month') return;
  // the month's scorecard settled against the records, as the monthly job does (closures by KPI recorded)
  let scorecard: Scorecard | undefined;
  if (hasScorecard(plant)) {
    const records = await openSharedRecords(recordsTarget(config, path.join(dataDir, 'store')));
    try {
      scorecard = (await settleScorecard(store, plant, month, records, 'demo')).scorecard;
      await sink.writeScorecard(scorecard, 'month');
    } finally {
      await records.close();
    }
  }
  await exportMonth(month, plant, {
    dir: config.jobs.exportDir,
    configHash: configHash(config),
    days,
    ...(scorecard ? { scorecard } : {}),
  });
}

/**
 * With Redis: the same periods as BullMQ jobs, run by a worker in this process. `config` carries the Redis URL and
 * a queue prefix of the demo's own (see jobsConfig).
 */
export async function computeWithJobs(
  config: PlantConfig,
  dataDir: string,
  period: Period,
  progress: (t: string) => void,
): Promise<void> {
  const rt = await openRuntime(config, path.join(dataDir, 'store'), 'demo');
  const { worker, queue } = startWorker(rt, () => {});
  try {
    const ids: string[] = [];
    for (const d of splitPeriod(period, 'day')) {
      const day = { kind: 'day', period: d.label, configHash: rt.configHash, reason: 'demo' } as const;
      ids.push((await enqueueCompute(queue, day, config.jobs)).id);
    }
    const kind = period.kind === 'month' ? 'month' : 'range';
    const month = {
      kind,
      period: period.label,
      configHash: rt.configHash,
      reason: 'demo',
      export: kind === 'month',
    } as const;
    ids.push((await enqueueCompute(queue, month, config.jobs)).id);
    for (;;) {
      const states = await Promise.all(ids.map(async (id) => (await queue.getJob(id))?.getState()));
      const done = states.filter((s) => s === 'completed').length;
      progress(`\r作业 Jobs on Redis: ${done}/${ids.length}`);
      if (states.includes('failed')) throw new Error('a KPI job failed: see the queue');
      if (done === ids.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    progress('\n');
  } finally {
    await worker.close();
    await queue.close();
    await rt.close();
  }
}

export interface DemoKpis {
  month: PeriodResult;
  days: PeriodResult[];
  /** the month's scorecard as `plantkpi scorecard` shows it (null: a part of a month, or no loop declared) */
  scorecard: Scorecard | null;
  /** the month's savings against the baselines, as `plantkpi savings` shows them (null: a part of a month, or none) */
  savings: SavingsResult | null;
  /** readings in the store between `fromMs` and `toMs` */
  stored: number;
}

/** What the summary prints: the period and each of its days, over the readings as stored, and how many there are. */
export async function summarise(
  store: SeriesStore,
  plant: Plant,
  period: Period,
  window: { fromMs: number; toMs: number },
  /** the records the month's scorecard reads (closures and awards); the scorecard is left out without them */
  records?: RecordsTarget,
): Promise<DemoKpis> {
  const month = await runPeriod(store, plant, period);
  const days: PeriodResult[] = [];
  for (const d of splitPeriod(period, 'day')) days.push(await runPeriod(store, plant, d));
  let stored = 0;
  for (const s of await store.signals()) stored += await store.count(s, window.fromMs, window.toMs);
  let scorecard: Scorecard | null = null;
  if (records !== undefined && period.kind === 'month' && hasScorecard(plant)) {
    const held = await openSharedRecords(records);
    try {
      const inputs = await scorecardRecords(held);
      scorecard = (await computeScorecard(store, plant, plant.scorecard, period, inputs, month)).scorecard;
    } finally {
      await held.close();
    }
  }
  // a baseline is fitted on whole days or months: the savings are the whole month's, like the scorecard
  const savings =
    period.kind === 'month' && plant.baselines.length > 0
      ? await computeSavings(savingsSources(store, plant), plant, period)
      : null;
  return { month, days, stored, scorecard, savings };
}
