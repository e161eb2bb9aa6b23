import { describe, expect, it } from 'vitest';
import type { TargetRow } from '../rows.ts';
import { type LedgerEntry, type PointRule, pointsRows, targetLedger, targetPoints } from './points.ts';
import { rank } from './rank.ts';
import { type HistoryPoint, type Task, taskStatus } from './tasks.ts';

const REF_RULE: PointRule = {
  id: 'area-targets',
  scopes: ['area'],
  met: { base: 10, perPercent: 1, maxBonus: 5 },
  missed: { perPercent: 2, maxPenalty: 10 },
  provisionalFactor: 0.5,
};

function target(id: string, actual: number | null, max: number, provisional = false): TargetRow {
  const margin = actual === null ? null : ((max - actual) / max) * 100;
  return {
    kpi: 'intensity.energy',
    scope_type: 'area',
    scope_id: id,
    period: '2026-10',
    target_max: max,
    actual,
    status: actual === null ? 'no_data' : actual <= max ? 'met' : 'missed',
    margin_pct: margin,
    provisional,
  };
}

describe('ranking', () => {
  it('orders best first, ties share a rank and the next skips, scopes without a value are listed unranked', () => {
    const r = rank(
      [
        { scope_type: 'area', scope_id: 'D', value: null },
        { scope_type: 'area', scope_id: 'A', value: 1.5 },
        { scope_type: 'area', scope_id: 'B', value: 3 },
        { scope_type: 'area', scope_id: 'C', value: 0.1 + 0.2 + 1.2 }, // 1.5000000000000002: a tie with A
        { scope_type: 'area', scope_id: 'E', value: -4 },
      ],
      'higher',
    );
    expect(r.map((x) => [x.scope_id, x.rank])).toEqual([
      ['B', 1],
      ['A', 2],
      ['C', 2],
      ['E', 4],
      ['D', null],
    ]);
  });
  it('ranks are a permutation with shared ties for any input', () => {
    for (let n = 1; n < 40; n++) {
      const rows = Array.from({ length: n }, (_, i) => ({
        scope_type: 'area' as const,
        scope_id: `S${i}`,
        value: ((i * 7919) % 5) - 2,
      }));
      const r = rank(rows, 'lower');
      expect(r).toHaveLength(n);
      r.forEach((x, i) => {
        const firstEqual = r.findIndex((y) => y.value === x.value);
        expect(x.rank).toBe(firstEqual + 1);
        if (i > 0) expect(x.value!).toBeGreaterThanOrEqual(r[i - 1]!.value!);
      });
    }
  });
});

describe('points', () => {
  it('the reference rule: met by 0.34 % earns 10, missed by 1.7 % costs 2, a miss under 1 % costs 0', () => {
    expect(targetPoints(target('A-ELY-1', 259.114166667, 260), REF_RULE)!.points).toBe(10);
    expect(targetPoints(target('A-BLR', 16.2726, 16), REF_RULE)!.points).toBe(-2);
    expect(targetPoints(target('X', 100.5, 100), REF_RULE)!.points).toBe(0);
  });
  it('the bonus and the penalty are capped; a provisional row earns its share; no data earns nothing', () => {
    expect(targetPoints(target('X', 50, 100), REF_RULE)!.points).toBe(15);
    expect(targetPoints(target('X', 97, 100), REF_RULE)!.points).toBe(13);
    expect(targetPoints(target('X', 97, 100, true), REF_RULE)!.points).toBe(6.5);
    expect(targetPoints(target('X', 200, 100), REF_RULE)!.points).toBe(-10);
    expect(targetPoints(target('X', null, 100), REF_RULE)).toBeNull();
    expect(targetPoints({ ...target('X', 97, 100), scope_type: 'team' }, REF_RULE)).toBeNull();
  });
  it('a branch has its areas and its own entries, a team only its own; each row is the sum of its entries', () => {
    const ledger: LedgerEntry[] = [
      ...targetLedger([target('A1', 259, 260), target('A2', 16.5, 16)], [REF_RULE]),
      {
        scope_type: 'team',
        scope_id: 'T1',
        period: '2026-10',
        points: 5,
        source: 'task',
        ref: 'K-1',
        reason: 'K-1',
      },
      {
        scope_type: 'branch',
        scope_id: 'B2',
        period: '2026-10',
        points: 3,
        source: 'manual',
        ref: 'm1',
        reason: 'x',
      },
      {
        scope_type: 'area',
        scope_id: 'A1',
        period: '2026-09',
        points: 99,
        source: 'manual',
        ref: 'm0',
        reason: 'y',
      },
    ];
    const parents: Record<string, { type: 'branch'; id: string }> = {
      'area|A1': { type: 'branch', id: 'B1' },
      'area|A2': { type: 'branch', id: 'B2' },
    };
    const rows = pointsRows(ledger, '2026-10', {
      parentOf: (t, id) => parents[`${t}|${id}`],
      scopes: [
        { type: 'area', id: 'A1' },
        { type: 'area', id: 'A2' },
        { type: 'area', id: 'A3' },
        { type: 'team', id: 'T1' },
        { type: 'branch', id: 'B1' },
        { type: 'branch', id: 'B2' },
      ],
    });
    expect(rows.map((r) => [r.scope_type, r.scope_id, r.points])).toEqual([
      ['area', 'A1', 10],
      ['area', 'A2', -6],
      ['area', 'A3', 0],
      ['team', 'T1', 5],
      ['branch', 'B1', 10],
      ['branch', 'B2', -3],
    ]);
    for (const r of rows.filter((x) => x.scope_type !== 'branch')) {
      const own = ledger.filter((e) => e.period === '2026-10' && e.scope_id === r.scope_id);
      expect(r.points).toBe(own.reduce((s, e) => s + e.points, 0));
    }
  });
});

describe('tasks', () => {
  const month = (label: string, startMs: number, value: number | null): HistoryPoint => ({
    period: label,
    startMs,
    endMs: startMs + 31 * 86_400_000,
    value,
    provisional: false,
  });
  const M = 31 * 86_400_000;
  const h = [
    month('m1', 0, 17),
    month('m2', M, 15.9),
    month('m3', 2 * M, 16.5),
    month('m4', 3 * M, 15),
    month('m5', 4 * M, 14),
  ];
  const task: Task = {
    id: 'K-2',
    title: '锅炉节能',
    kind: 'task',
    owner: { type: 'team', id: 'T' },
    due: '1970-01-05',
    dueMs: 4 * M,
    fromMs: 0,
    points: 5,
    rule: { kpi: 'intensity.energy', every: 'month', max: 16, consecutive: 2 },
  };
  it('a 2-consecutive-month rule stays open after one good month, closes after two, and is overdue past its due', () => {
    expect(taskStatus(task, h, [], 2 * M).status).toBe('open'); // m2 good, one month only
    expect(taskStatus(task, h, [], 3 * M).status).toBe('open'); // m3 broke the run
    const late = taskStatus(task, h, [], 5 * M); // m4 and m5 good, but m5 ends after the due time
    expect(late).toMatchObject({ status: 'closed', closed_period: 'm5', on_time: false });
    expect(late.evidence).toMatch(/m4 15; m5 14/);
    const dueEarly = { ...task, dueMs: 3 * M };
    expect(taskStatus(dueEarly, h, [], 4 * M)).toMatchObject({ status: 'overdue', closed_period: null });
  });
  it('one good month closes a 1-month rule in that month; a manual closure closes a task without a rule', () => {
    const one = { ...task, rule: { ...task.rule!, consecutive: 1 } };
    expect(taskStatus(one, h, [], 5 * M)).toMatchObject({
      status: 'closed',
      closed_period: 'm2',
      on_time: true,
    });
    const manual = { ...task, rule: undefined };
    const c = { task: 'K-2', period: 'm3', atMs: 2.5 * M, by: '王书记', evidence: '已完成 done' };
    expect(taskStatus(manual, h, [c], 2 * M).status).toBe('open');
    expect(taskStatus(manual, h, [c], 3 * M)).toMatchObject({
      status: 'closed',
      closed_period: 'm3',
      on_time: true,
    });
    expect(taskStatus(manual, h, [c], 3 * M).evidence).toBe('王书记: 已完成 done');
  });
});
