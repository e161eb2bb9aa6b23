/**
 * The responsibility loop's human decisions through the command line: a pledge confirmed (销号) by a person shows
 * closed in the scorecard and is audited with who and why; a manual award is in the ledger and the points; a reopen
 * is audited; a task with a KPI rule is not closed by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scorecard } from '../kpi/scorecard/build.ts';
import { cli, REFERENCE, REFERENCE_CONFIG, tempDir } from './helpers.ts';

const tmp = tempDir('plantkpi-sccli-');
const config = path.join(tmp.dir, 'plant.yaml');
const data = path.join(tmp.dir, 'data');

beforeAll(async () => {
  // the reference plant with a pledge of the power branch, closed by a person
  const yaml = readFileSync(REFERENCE_CONFIG, 'utf8').replace(
    /\ntasks:\n/,
    `\ntasks:
  - id: P-1
    title: 锅炉房安全生产无事故 No accident in the boiler house
    kind: pledge
    owner: { type: branch, id: B-PWR }
    due: "2026-10-31"
    points: 3
`,
  );
  writeFileSync(config, yaml);
  const r = await cli('import', path.join(REFERENCE, 'readings.csv'), '--config', config, '--data', data);
  expect(r.code).toBe(0);
}, 120_000);
afterAll(() => tmp.cleanup());

const scorecard = async () => {
  const r = await cli(
    'scorecard',
    '--config',
    config,
    '--period',
    '2026-10',
    '--data',
    data,
    '--format',
    'json',
  );
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Scorecard;
};

describe('task close, task reopen, points award', { timeout: 120_000 }, () => {
  it('a pledge is open until a person confirms it; then closed on time, its points to the branch, audited', async () => {
    const before = await scorecard();
    expect(before.tasks.find((t) => t.id === 'P-1')).toMatchObject({ status: 'open', closed_period: null });
    const c = await cli(
      'task',
      'close',
      'P-1',
      '--config',
      config,
      '--data',
      data,
      '--period',
      '2026-10',
      '--by',
      '王书记',
      '--evidence',
      '十月无事故 no accident in October',
    );
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/承诺已践诺 pledge kept: P-1/);
    const after = await scorecard();
    expect(after.tasks.find((t) => t.id === 'P-1')).toMatchObject({
      status: 'closed',
      closed_period: '2026-10',
      on_time: true,
      evidence: '王书记: 十月无事故 no accident in October',
    });
    // the branch: its area's −2 and its own pledge's 3
    expect(after.points.find((p) => p.scope_id === 'B-PWR')!.points).toBe(1);
    const again = await cli(
      'task',
      'close',
      'P-1',
      '--config',
      config,
      '--data',
      data,
      '--by',
      'x',
      '--evidence',
      'y',
    );
    expect(again.code).toBe(7);
    expect(again.err).toMatch(/已销号 is already closed \(2026-10, by 王书记\)/);
    const audit = await cli('audit', '--config', config, '--data', data);
    expect(audit.out).toMatch(/task-close\t2026-10\t王书记\t十月无事故/);
  });

  it('a task with a KPI rule is refused by hand (exit 7); an unknown task gets a suggestion (exit 2)', async () => {
    const k = await cli(
      'task',
      'close',
      'K-1',
      '--config',
      config,
      '--data',
      data,
      '--by',
      'x',
      '--evidence',
      'y',
    );
    expect(k.code).toBe(7);
    expect(k.err).toMatch(/closed by its KPI rule/);
    const typo = await cli(
      'task',
      'close',
      'P1',
      '--config',
      config,
      '--data',
      data,
      '--by',
      'x',
      '--evidence',
      'y',
    );
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/未知任务 unknown task 'P1' — 是否应为 did you mean 'P-1'\?/);
  });

  it('a manual award is in the ledger with its reason and counts for the area and its branch; a reopen is audited', async () => {
    const a = await cli(
      'points',
      'award',
      '--config',
      config,
      '--data',
      data,
      '--scope',
      'area:A-ELY-1',
      '--points',
      '-1.5',
      '--period',
      '2026-10',
      '--by',
      '李主任',
      '--reason',
      '迟报 late report',
    );
    expect(a.code).toBe(0);
    const s = await scorecard();
    expect(s.points.find((p) => p.scope_id === 'A-ELY-1')!.points).toBe(8.5);
    expect(s.points.find((p) => p.scope_id === 'B-ELY')!.points).toBe(8.5);
    expect(s.ledger.find((e) => e.source === 'manual')).toMatchObject({
      points: -1.5,
      reason: '迟报 late report',
      by: '李主任',
    });
    const r = await cli(
      'task',
      'reopen',
      'P-1',
      '--config',
      config,
      '--data',
      data,
      '--by',
      '王书记',
      '--reason',
      '事故补报 accident reported late',
    );
    expect(r.code).toBe(0);
    // due at the end of 31 October: as of October's end it is open again, not yet overdue
    expect((await scorecard()).tasks.find((t) => t.id === 'P-1')!.status).toBe('open');
    const audit = (await cli('audit', '--config', config, '--data', data)).out;
    expect(audit).toMatch(/points-award\t2026-10\t李主任\t迟报 late report/);
    expect(audit).toMatch(/task-reopen\t2026-10\t王书记\t事故补报/);
    expect((await cli('audit', '--config', config, '--data', data, '--verify')).code).toBe(0);
  });
});
