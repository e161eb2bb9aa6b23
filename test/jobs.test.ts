/**
 * Scheduled KPI jobs against a real private Redis: the reference plant through import, the scheduled monthly job and
 * the export (Excel read back, CSV values equal expected.json); a locked month refuses; a scheduler restarted again
 * and again creates no duplicate jobs; a factor change leads to recompute of exactly the affected periods.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Queue, Worker } from 'bullmq';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relClose } from '../cli/expected.ts';
import { parsePlantConfig } from '../config/load.ts';
import { SCORECARD_SHEETS } from '../kpi/export/scorecard-sheets.ts';
import {
  DAILY_SHEET,
  FACTORS_SHEET,
  KPI_HEADERS,
  QUALITY_SHEET,
  SCOPE_SHEETS,
  SUMMARY_SHEET,
  TARGETS_SHEET,
} from '../kpi/export/workbook.ts';
import { enqueueCompute } from '../kpi/jobs/queue.ts';
import { openRuntime, type Runtime } from '../kpi/jobs/runtime.ts';
import type { JobState } from '../kpi/jobs/state.ts';
import { installSchedulers, planRecompute, startWorker, type TickClock } from '../kpi/jobs/worker.ts';
import { roundValue, STATUS_LABELS } from '../kpi/present.ts';
import { SCOPE_LABELS } from '../kpi/rows.ts';
import { type PGliteTemplate, pgliteTemplate } from '../records/pglite-template.ts';
import { cli, REFERENCE, REFERENCE_CONFIG, tempDir } from './helpers.ts';
import { waitFor } from './services/ports.ts';
import { type RedisServer, startRedis } from './services/redis.ts';

const tmp = tempDir('plantkpi-jobs-');
let redis: RedisServer;
/** each test's own records store (embedded): locks and audit of one test are not another's */
let pglite: PGliteTemplate;
const recordsDirs = new Map<string, string>();
const recordsOf = (prefix: string) => {
  if (!recordsDirs.has(prefix)) recordsDirs.set(prefix, pglite.freshDir());
  return `records: { dir: "${recordsDirs.get(prefix)}" }`;
};
const data = path.join(tmp.dir, 'data');
const exportDir = path.join(tmp.dir, 'exports');
const expected = JSON.parse(readFileSync(path.join(REFERENCE, 'expected.json'), 'utf8'));
const NEVER = '0 0 1 1 *';

function config(prefix: string, extra = '', monthlyCron = NEVER, lockMs = 2000) {
  return parsePlantConfig(configText(prefix, extra, monthlyCron, lockMs), `${prefix}.yaml`);
}

/**
 * `lockMs`: 2 s lets a stopped worker's jobs go to the next quickly; a test that counts the audit's entries takes a
 * longer one, since a month computed on a loaded machine can hold the event loop past 2 s and its job is then run
 * again as stalled (a second, honest `recompute` entry).
 */
function configText(prefix: string, extra = '', monthlyCron = NEVER, lockMs = 2000): string {
  return `${readFileSync(REFERENCE_CONFIG, 'utf8')}${extra}
${recordsOf(prefix)}
jobs:
  redis: { url: "${redis.url}" }
  prefix: ${prefix}
  hourlyCron: "${NEVER}"
  dailyCron: "${NEVER}"
  monthlyCron: "${monthlyCron}"
  exportDir: "${exportDir}"
  lockDurationMs: ${lockMs}
`;
}

interface Running {
  rt: Runtime;
  worker: Worker;
  queue: Queue;
  state: JobState;
  stop(): Promise<void>;
}

/** the reference data is October 2026: every scheduler tick stands for an instant in November, whatever today is */
const IN_NOVEMBER: TickClock = () => Date.parse('2026-11-01T00:30:00+08:00');

async function run(cfg: ReturnType<typeof config>): Promise<Running> {
  const rt = await openRuntime(cfg, data);
  const { worker, queue, state } = startWorker(rt, () => {}, 1, IN_NOVEMBER);
  return {
    rt,
    worker,
    queue,
    state,
    async stop() {
      await worker.close();
      await queue.close();
      await rt.close();
    },
  };
}

beforeAll(async () => {
  redis = await startRedis();
  pglite = await pgliteTemplate();
  const r = await cli(
    'import',
    path.join(REFERENCE, 'readings.csv'),
    '--config',
    REFERENCE_CONFIG,
    '--data',
    data,
  );
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await redis?.destroy();
  pglite?.cleanup();
  tmp.cleanup();
});

describe('scheduled KPI jobs', () => {
  it('the monthly scheduler computes October, writes the export (Excel read back, CSV = expected.json) and locks the month', async () => {
    // every tick stands for 2026-11-01 00:30 (IN_NOVEMBER), so the month it means is 2026-10; fire every 2 s
    const r = await run(config('sched', '', '*/2 * * * * *'));
    await installSchedulers(r.rt, r.queue);
    const manifestFile = path.join(exportDir, '2026-10', 'manifest.json');
    await waitFor('monthly export', async () => await r.state.isLocked('2026-10'), 30_000);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    expect(manifest.configHash).toBe(r.rt.configHash);
    expect(
      manifest.factorsUsed
        .map((f: { carrier: string; kind: string; value: number }) => `${f.carrier}/${f.kind}=${f.value}`)
        .sort(),
    ).toEqual([
      'electricity/co2=0.5543',
      'electricity/tce=0.1229',
      'natural_gas/co2=2.1622',
      'natural_gas/tce=1.2143',
    ]);
    expect(manifest.completeness.find((c: { signal: string }) => c.signal === 'E-ELY').completeness).toBe(1);
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining([
        'plantkpi-SITE-2026-10.xlsx',
        'plantkpi-SITE-2026-10.csv',
        'plantkpi-SITE-2026-10.arrow',
        'branches/B-ELY/plantkpi-B-ELY-2026-10.csv',
      ]),
    );

    // CSV values equal expected.json (the month's rows), rounded to their unit's precision
    const csv = readFileSync(path.join(exportDir, '2026-10', 'plantkpi-SITE-2026-10.csv'), 'utf8');
    expect(csv.startsWith('\uFEFF记录 record,指标 kpi')).toBe(true);
    const rows = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','));
    const month = expected.kpis.filter((e: { period: string }) => e.period === '2026-10');
    for (const e of month) {
      const got = rows.find(
        (c) => c[0] === 'kpi' && c[1] === e.kpi && c[3] === e.scope_type && c[5] === e.scope_id,
      );
      expect(got, `${e.kpi} ${e.scope_id}`).toBeDefined();
      expect(Number(got![8]), `${e.kpi} ${e.scope_id}: ${got![8]} vs ${e.value}`).toBe(
        roundValue(e.value, e.unit),
      );
    }
    for (const t of expected.targets) {
      const got = rows.find((c) => c[0] === 'target' && c[1] === t.kpi && c[5] === t.scope_id);
      expect(got?.[12]).toBe(STATUS_LABELS[t.status as keyof typeof STATUS_LABELS]);
    }

    // the workbook read back: its sheets, headers and values
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(exportDir, '2026-10', 'plantkpi-SITE-2026-10.xlsx'));
    // the reference plant declares its responsibility loop: the month's settled scorecard follows the summary
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      SUMMARY_SHEET,
      ...SCORECARD_SHEETS,
      DAILY_SHEET,
      FACTORS_SHEET,
      ...SCOPE_SHEETS.map((s) => s.name),
      TARGETS_SHEET,
      QUALITY_SHEET,
    ]);
    const areas = wb.getWorksheet('责任区 Areas')!;
    expect((areas.getRow(1).values as unknown[]).slice(1)).toEqual(KPI_HEADERS);
    let checked = 0;
    areas.eachRow((row, n) => {
      if (n === 1) return;
      const [, type, id, name, kpi, , value, unit] = row.values as unknown[];
      const e = month.find((x: { kpi: string; scope_id: string }) => x.kpi === kpi && x.scope_id === id);
      if (e === undefined) return;
      expect(type).toBe(SCOPE_LABELS.area);
      expect(unit).toBe(e.unit);
      expect(relClose(value as number, e.value, 1e-6)).toBe(true);
      if (id === 'A-ELY-1') expect(name).toBe('电解一区党员责任区 Electrolysis area 1');
      checked++;
    });
    expect(checked).toBe(month.filter((e: { scope_type: string }) => e.scope_type === 'area').length);
    const targets = wb.getWorksheet('目标 Targets')!;
    expect(targets.getRow(3).getCell(11).value).toBe('未达标 missed');

    // a locked month refuses, visibly and without retries
    const refused = await enqueueCompute(
      r.queue,
      { kind: 'month', period: '2026-10', configHash: r.rt.configHash, reason: 'test' },
      r.rt.config.jobs,
      '_again',
    );
    const job = (await r.queue.getJob(refused.id))!;
    await waitFor('refused', async () => (await job.getState()) === 'failed');
    const failed = (await r.queue.getJob(refused.id))!;
    expect(failed.failedReason).toMatch(/month 2026-10 is closed and locked/);
    expect(failed.attemptsMade).toBe(1);
    expect((await r.state.auditLog()).map((a) => a.action)).toEqual(['export', 'lock', 'recompute-refused']);
    // the manifest kept in the records store is the file as written
    expect((await r.rt.records.manifest('2026-10'))?.manifestJson).toBe(readFileSync(manifestFile, 'utf8'));
    expect(await r.rt.records.verify()).toMatchObject({ ok: true });

    // ticks keep coming every 2 s, but the month's job id is deterministic: no second compute job
    await new Promise((res) => setTimeout(res, 4500));
    const computeJobs = (
      await r.queue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed'])
    ).filter((j) => j.name === 'compute');
    expect(computeJobs.map((j) => j.id).sort()).toEqual(
      [`kpi_month_2026-10_${r.rt.configHash}`, `${refused.id}`].sort(),
    );
    await r.stop();
  }, 60_000);

  it('plantkpi backfill enqueues every period of a range and closes the months; a locked month needs --reopen, which is audited', async () => {
    const file = path.join(tmp.dir, 'backfill.yaml');
    writeFileSync(
      file,
      `${readFileSync(REFERENCE_CONFIG, 'utf8')}
${recordsOf('backfill')}
jobs: { redis: { url: "${redis.url}" }, prefix: backfill, exportDir: "${exportDir}" }
`,
    );
    const r = await run(parsePlantConfig(readFileSync(file, 'utf8')));
    const backfill = (config: string, ...args: string[]) =>
      cli('backfill', '--config', config, '--data', data, ...args);
    /** October's month alone, with more options (--reopen "reason") */
    const backfillOctober = (...args: string[]) =>
      backfill(file, '--from', '2026-10-01', '--to', '2026-11-01', '--kinds', 'month', ...args);
    const b1 = await backfill(file, '--from', '2026-10-01', '--to', '2026-11-01', '--kinds', 'day,month');
    expect(b1.err).toBe('');
    expect(b1.out).toMatch(/32 jobs enqueued, 0 already there/);
    const b2 = await backfill(file, '--from', '2026-10-01', '--to', '2026-11-01', '--kinds', 'day,month');
    expect(b2.out).toMatch(/0 jobs enqueued, 32 already there/);
    await waitFor('32 periods computed', async () => (await r.state.computed()).length === 32, 60_000);
    // the backfill's month job closes October as the monthly job would: export, then lock
    await waitFor('October closed', async () => await r.state.isLocked('2026-10'), 30_000);

    const refused = await backfillOctober();
    expect(refused.err).toMatch(/2026-10 is locked \(closed\): not recomputed \(audited\); give --reopen/);
    expect(refused.code).toBe(7);
    const reopened = await backfillOctober('--reopen', 'E-AUX corrected');
    expect(reopened.out).toMatch(/1 jobs enqueued/);
    expect((await r.state.auditLog()).slice(0, 4).map((a) => [a.action, a.period, a.reason])).toEqual([
      ['export', '2026-10', 'export manifest saved'],
      ['lock', '2026-10', 'monthly export written'],
      ['recompute-refused', '2026-10', 'backfill without --reopen'],
      ['reopen', '2026-10', 'E-AUX corrected'],
    ]);
    const reopenJobs = (await r.queue.getJobs(['waiting', 'active', 'completed'])).filter((j) =>
      String(j.id).includes('_reopen_'),
    );
    expect(reopenJobs).toHaveLength(1);
    await waitFor(
      'reopened month recomputed',
      async () => (await reopenJobs[0]!.getState()) === 'completed',
      30_000,
    );
    expect((await r.queue.getJob(reopenJobs[0]!.id!))?.progress).toBe(100);
    // recomputed, exported and closed again: a month that was reopened can be closed
    expect(await r.state.isLocked('2026-10')).toBe(true);
    expect((await r.state.auditLog()).map((a) => [a.action, a.period, a.reason]).at(-1)).toEqual([
      'lock',
      '2026-10',
      'monthly export written',
    ]);
    // and reopened again: each reopen is its own job
    const again = await backfillOctober('--reopen', 'second correction');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/1 jobs enqueued/);
    await waitFor(
      'month closed a second time',
      async () => (await r.state.auditLog()).filter((a) => a.action === 'lock').length === 3,
      30_000,
    );
    await r.stop();
  }, 90_000);

  it('a month an older backfill computed without closing it is closed by the next backfill, not left "already there"', async () => {
    const cfg = config('oldclose', '', NEVER, 30_000);
    const r = await run(cfg);
    const file = path.join(tmp.dir, 'oldclose.yaml');
    writeFileSync(file, configText('oldclose', '', NEVER, 30_000));
    // the month's job as versions before this one queued it from a backfill: computed, no export, no lock
    const { id } = await enqueueCompute(
      r.queue,
      { kind: 'month', period: '2026-10', configHash: r.rt.configHash, reason: 'backfill' },
      r.rt.config.jobs,
    );
    await waitFor(
      'computed',
      async () => (await (await r.queue.getJob(id))?.getState()) === 'completed',
      30_000,
    );
    expect(await r.state.isLocked('2026-10')).toBe(false);
    const b = await cli(
      'backfill',
      '--config',
      file,
      '--data',
      data,
      '--from',
      '2026-10-01',
      '--to',
      '2026-11-01',
      '--kinds',
      'month',
    );
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/1 jobs enqueued, 0 already there/);
    await waitFor('closed', async () => await r.state.isLocked('2026-10'), 30_000);
    expect((await r.state.auditLog()).map((a) => a.action)).toEqual(['recompute', 'export', 'lock']);
    await r.stop();
  }, 60_000);

  it('bad data fails a job at once, without retries, with the reason on the job', async () => {
    // the only grid factor starts in October: September has none
    const extra = `
factors:
  - { carrier: electricity, kind: co2, value: 0.5543, unit: kgCO2/kWh, series: regional-grid-average, region: northwest, from: "2026-10-01", source: "from October only" }
`;
    const r = await run(config('baddata', extra));
    const { id } = await enqueueCompute(
      r.queue,
      { kind: 'month', period: '2026-09', configHash: r.rt.configHash, reason: 'test' },
      r.rt.config.jobs,
    );
    await waitFor('failed', async () => (await (await r.queue.getJob(id))?.getState()) === 'failed', 30_000);
    const job = (await r.queue.getJob(id))!;
    expect(job.failedReason).toMatch(
      /no co2 factor for 'electricity' \(series 'regional-grid-average', region northwest\) valid at/,
    );
    expect(job.attemptsMade).toBe(1);
    await r.stop();
  }, 60_000);

  it('a scheduler restarted again and again creates no duplicate schedulers or jobs', async () => {
    const cfg = config('restarts');
    for (let i = 0; i < 5; i++) {
      const r = await run(cfg);
      await installSchedulers(r.rt, r.queue);
      await r.stop();
    }
    const r = await run(cfg);
    expect((await r.queue.getJobSchedulers()).map((s) => s.key).sort()).toEqual([
      'kpi-day',
      'kpi-hour',
      'kpi-month',
    ]);
    expect(await r.queue.getDelayedCount()).toBe(3);
    await r.stop();
  });

  it('a factor change leads to recompute of exactly the affected periods', async () => {
    const before = await run(config('recompute'));
    for (const period of ['2026-09', '2026-10', '2026-11']) {
      await enqueueCompute(
        before.queue,
        { kind: 'month', period, configHash: before.rt.configHash, reason: 'backfill' },
        before.rt.config.jobs,
      );
    }
    await waitFor('three months computed', async () => (await before.state.computed()).length === 3, 30_000);
    await before.stop();
    // a new regional grid factor from November on: September and October are untouched
    const extra = `
factors:
  - { carrier: electricity, kind: co2, value: 0.5, unit: kgCO2/kWh, series: regional-grid-average, region: northwest, from: "2026-11-01", source: "site override from November" }
  - { carrier: electricity, kind: co2, value: 0.5543, unit: kgCO2/kWh, series: regional-grid-average, region: northwest, to: "2026-11-01", source: "MEE northwest 2023" }
`;
    const after = await run(config('recompute', extra));
    expect(after.rt.configHash).not.toBe(before.rt.configHash);
    const plan = await planRecompute(after.rt, after.queue);
    expect(plan.enqueued).toEqual(['month 2026-11']);
    await waitFor(
      'recomputed',
      async () =>
        (await after.state.computed()).find((e) => e.period === '2026-11')?.configHash ===
        after.rt.configHash,
      30_000,
    );
    await after.stop();
  }, 60_000);
});
