import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from './load.ts';
import { ConfigError, type Problem } from './problems.ts';

/** committee C > general branch G > branches B1, B2; branch B3 straight under C; areas A1, A2 (B1), A3 (B2), A4 (B3) */
const ORG = `site: { id: S }
useBuiltInFactors: true
organisation:
  committee: { id: C }
  generalBranches: [{ id: G }]
  branches: [{ id: B1, generalBranch: G }, { id: B2, generalBranch: G }, { id: B3 }]
  areas:
    - { id: A1, branch: B1 }
    - { id: A2, branch: B1 }
    - { id: A3, branch: B2 }
    - { id: A4, branch: B3 }
  teams: [{ id: T1, branch: B1, from: "2026-01-01" }]
`;
const t = (kpi: string, type: string, id: string, rest: string) =>
  `  - { kpi: ${kpi}, scope: { type: ${type}, id: ${id} }, ${rest} }`;

function problems(...targets: string[]): Problem[] {
  try {
    parsePlantConfig(`${ORG}targets:\n${targets.join('\n')}\n`);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [...err.problems];
  }
}

describe('target periods', () => {
  it('a year, a quarter, a month and every quarter or year are accepted; a range or nonsense is not', () => {
    expect(
      problems(
        t('energy.total', 'committee', 'C', 'period: "2026", max: 100'),
        t('energy.total', 'committee', 'C', 'period: "2026-Q4", max: 30'),
        t('energy.total', 'committee', 'C', 'period: "2026-10", max: 10'),
        t('energy.total', 'branch', 'B3', 'every: quarter, max: 10'),
        t('energy.total', 'branch', 'B3', 'every: year, max: 40'),
      ),
    ).toEqual([]);
    const p = problems(
      t('energy.total', 'committee', 'C', 'period: "2026-Q5", max: 1'),
      t('energy.total', 'committee', 'C', 'period: "2026-01-01..2026-02-01", max: 1'),
    );
    expect(p.map((x) => x.path)).toEqual(['targets[0].period', 'targets[1].period']);
    expect(p[0]!.message).toMatch(/not a valid quarter/);
    expect(p[1]!.message).toMatch(/is a range/);
  });
});

describe('the target cascade', () => {
  it('extensive: areas whose max add up to more than their branch are refused, with the path, parent and sum', () => {
    const p = problems(
      t('energy.total', 'branch', 'B1', 'period: "2026", max: 100'),
      t('energy.total', 'area', 'A1', 'period: "2026", max: 60'),
      t('energy.total', 'area', 'A2', 'period: "2026", max: 50'),
    );
    expect(p).toHaveLength(1);
    expect(p[0]!.path).toBe('targets[2]');
    expect(p[0]!.message).toContain('add up to 110, more than the parent branch B1 (targets[0]) max 100');
    expect(p[0]!.message).toContain('A1 60, A2 50');
    expect(p[0]!.message).toMatch(/^下级目标之和超过上级 /);
  });

  it('extensive: within the parent, of another period or KPI, or a team: nothing to say', () => {
    expect(
      problems(
        t('energy.total', 'branch', 'B1', 'period: "2026", max: 100'),
        t('energy.total', 'area', 'A1', 'period: "2026", max: 60'),
        t('energy.total', 'area', 'A2', 'period: "2026", max: 40'),
        t('energy.total', 'area', 'A2', 'period: "2026-10", max: 90'),
        t('emissions.co2', 'area', 'A2', 'period: "2026", max: 900'),
        t('energy.total', 'team', 'T1', 'period: "2026", max: 900'),
      ),
    ).toEqual([]);
  });

  it('extensive: a parent without targeted children is compared with the nearest targets below it', () => {
    // the committee's children: general branch G (through its branch B1's areas and branch B2) and branch B3
    const p = problems(
      t('emissions.co2', 'committee', 'C', 'period: "2026-Q4", max: 100'),
      t('emissions.co2', 'area', 'A1', 'period: "2026-Q4", max: 30'),
      t('emissions.co2', 'branch', 'B2', 'period: "2026-Q4", max: 30'),
      t('emissions.co2', 'area', 'A4', 'period: "2026-Q4", max: 40.5'),
    );
    expect(p.map((x) => x.path)).toEqual(['targets[3]']);
    expect(p[0]!.message).toContain('add up to 100.5, more than the parent committee C (targets[0])');
  });

  it('an intensity: the children weighted by planned output may not be above the parent', () => {
    const base = [
      t('intensity.energy', 'branch', 'B1', 'period: "2026", max: 100'),
      t('intensity.energy', 'area', 'A1', 'period: "2026", max: 120, plannedOutput: 1000'),
    ];
    // (120 × 1000 + 90 × 3000) / 4000 = 97.5: fits, though one area is above its branch
    expect(
      problems(...base, t('intensity.energy', 'area', 'A2', 'period: "2026", max: 90, plannedOutput: 3000')),
    ).toEqual([]);
    // (120 × 1000 + 95 × 1000) / 2000 = 107.5: does not
    const p = problems(
      ...base,
      t('intensity.energy', 'area', 'A2', 'period: "2026", max: 95, plannedOutput: 1000'),
    );
    expect(p).toHaveLength(1);
    expect(p[0]!.path).toBe('targets[2]');
    expect(p[0]!.message).toContain(
      'weighted by planned output is 107.5, above the parent branch B1 (targets[0]) max 100',
    );
    // without every planned output, or without every child scope, nothing can be said
    expect(problems(...base, t('intensity.energy', 'area', 'A2', 'period: "2026", max: 300'))).toEqual([]);
    expect(problems(...base)).toEqual([]);
  });
});
