import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlantConfig } from '../../config/load.ts';
import { compilePlant } from '../../kpi/plant.ts';
import type { Scorecard } from '../../kpi/scorecard/build.ts';
import { demoScorecardSummary } from './scorecard-summary.ts';

const EXAMPLE = fileURLToPath(new URL('../../config/examples/magnesium-site.yaml', import.meta.url));
const plant = compilePlant(loadPlantConfig(EXAMPLE).config);

const area = (id: string, margin: number | null, rank: number | null) => ({
  group: 'areas',
  scope_type: 'area' as const,
  scope_id: id,
  period: '2026-10',
  kpi: 'intensity.energy',
  margin_pct: margin,
  rank,
});
const points = (scope_type: 'area' | 'branch' | 'team', scope_id: string, p: number) => ({
  scope_type,
  scope_id,
  period: '2026-10',
  points: p,
});

const scorecard: Scorecard = {
  period: '2026-10',
  targets: [
    {
      kpi: 'energy.total',
      scope_type: 'branch',
      scope_id: 'B-PWR',
      period: '2026-10',
      target_period: '2026',
      target_max: 18000,
      unit: 'tce',
      actual: 1641.17349,
      ytd_actual: 1641.17349,
      to_date_actual: 1641.17349,
      elapsed_pct: 83.56,
      progress_pct: 10.912,
      status: 'on_track',
      margin_pct: 89.09,
      prev_year: null,
      yoy_pct: null,
      prev_period: null,
      mom_pct: null,
      provisional: false,
    },
  ],
  ranking: [area('A-ELY', 0.94, 3), area('A-CA', 0.04, 4), area('A-BLR', 4.09, 2), area('A-CAST', 4.82, 1)],
  points: [
    points('area', 'A-BLR', 14),
    points('team', 'T-BLR', 20),
    points('branch', 'B-PWR', 14),
    points('branch', 'B-ELY', 10),
  ],
  tasks: [
    {
      id: 'K-1',
      title: '锅炉吨汽综合能耗不高于90 kgce/t',
      kind: 'task',
      due: '2026-12-31',
      owner_type: 'team',
      owner_id: 'T-BLR',
      status: 'closed',
      closed_period: '2026-10',
      on_time: true,
      evidence: 'x',
    },
    {
      id: 'P-2',
      title: '电解党支部承诺',
      kind: 'pledge',
      due: '2026-09-30',
      owner_type: 'branch',
      owner_id: 'B-ELY',
      status: 'overdue',
      closed_period: null,
      on_time: null,
      evidence: null,
    },
  ],
  ledger: [],
};

describe('demoScorecardSummary', () => {
  const text = demoScorecardSummary(scorecard, plant);
  const block = (branch: string) => {
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`  ${branch} `));
    const end = lines.findIndex((l, i) => i > at && /^ {2}\S/.test(l));
    return lines.slice(at, end === -1 ? undefined : end).filter((l) => l !== '');
  };

  it('gives each declared branch a block, in the config order', () => {
    const heads = text
      .split('\n')
      .filter((l) => /^ {2}B-/.test(l))
      .map((l) => l.split(' ')[2]);
    expect(heads).toEqual(plant.branches.map((b) => b.id));
  });

  it("shows a branch's points with its teams' apart, its year target to date, its ranks of the group's ranked", () => {
    const pwr = block('B-PWR');
    expect(pwr[0]).toBe('  B-PWR 动力党支部 Power branch: 积分 points 14 (突击队另计 teams apart: T-BLR 20)');
    expect(pwr[1]).toBe(
      '    目标 target 2026 综合能耗 Comprehensive energy ≤ 18,000.000 tce: 累计 to date 1,641.173 tce, ' +
        '进度 progress 10.91 %, 进度正常 on track',
    );
    expect(pwr[2]).toBe('    评比 ranking: A-BLR 第2名/共4 rank 2 of 4 (余量 margin 4.09 %)');
    expect(pwr[3]).toMatch(/^ {4}任务 task K-1 锅炉吨汽.*, 截止 due 2026-12-31: 已销号 closed 2026-10$/);
  });

  it('marks a pledge past its due day as overdue', () => {
    const ely = block('B-ELY');
    expect(ely.at(-1)).toMatch(/^ {4}承诺 pledge P-2 .*, 截止 due 2026-09-30: 已逾期 overdue$/);
  });

  it('says 0 points for a branch without ledger rows, and leaves out what it has none of', () => {
    const cast = block('B-CAST');
    expect(cast).toEqual([
      '  B-CAST 铸造党支部 Casting branch: 积分 points 0',
      '    评比 ranking: A-CAST 第1名/共4 rank 1 of 4 (余量 margin 4.82 %)',
    ]);
  });
});
