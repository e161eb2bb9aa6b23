/** The golden scenario: test/fixtures/reference-plant through `plantkpi import` and `plantkpi kpi`, within 1e-6. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithExpected } from '../cli/expected.ts';
import type { PeriodResult } from '../kpi/rows.ts';
import { cli, REFERENCE, REFERENCE_CONFIG, tempDir } from './helpers.ts';

const expected = JSON.parse(readFileSync(path.join(REFERENCE, 'expected.json'), 'utf8'));
const tmp = tempDir('plantkpi-ref-');

beforeAll(async () => {
  const r = await cli(
    'import',
    path.join(REFERENCE, 'readings.csv'),
    '--config',
    REFERENCE_CONFIG,
    '--data',
    tmp.dir,
  );
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/5960 readings imported/);
});
afterAll(() => tmp.cleanup());

async function kpiJson(period: string) {
  const r = await cli(
    'kpi',
    '--config',
    REFERENCE_CONFIG,
    '--period',
    period,
    '--data',
    tmp.dir,
    '--format',
    'json',
  );
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as { kpis: PeriodResult['kpis']; targets: PeriodResult['targets'] };
}

describe('reference plant', () => {
  it('reproduces every row of expected.json for 2026-10 and 2026-10-05 within 1e-6 relative', async () => {
    const month = await kpiJson('2026-10');
    const day = await kpiJson('2026-10-05');
    const results = [month, day].map((j) => ({ kpis: j.kpis, targets: j.targets })) as PeriodResult[];
    const check = compareWithExpected(expected, results, 1e-6);
    expect(check.mismatches).toEqual([]);
    expect(check.matched).toBe(expected.kpis.length + expected.targets.length);
  });

  it('marks nothing provisional: every meter is complete', async () => {
    const month = await kpiJson('2026-10');
    expect(month.kpis.filter((r) => r.provisional)).toEqual([]);
  });

  it('never adds the team into its branch or the committee', async () => {
    const month = await kpiJson('2026-10');
    const v = (kpi: string, type: string, id: string) =>
      month.kpis.find((r) => r.kpi === kpi && r.scope_type === type && r.scope_id === id)?.value;
    expect(v('energy.natural_gas', 'branch', 'B-PWR')).toBe(400000);
    expect(v('energy.natural_gas', 'team', 'T-BLR')).toBe(220000);
    expect(v('energy.total', 'committee', 'C')).toBeCloseTo(799.115, 9);
  });

  it('prints CSV with a BOM and zh-CN/English headers', async () => {
    const r = await cli(
      'kpi',
      '--config',
      REFERENCE_CONFIG,
      '--period',
      '2026-10',
      '--data',
      tmp.dir,
      '--format',
      'csv',
    );
    expect(r.code).toBe(0);
    expect(r.out.startsWith('\uFEFF记录 record,指标 kpi')).toBe(true);
    expect(r.out).toContain('target,intensity.energy');
  });

  it('prints a table a person can read', async () => {
    const r = await cli('kpi', '--config', REFERENCE_CONFIG, '--period', '2026-10-05', '--data', tmp.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('期间 Period 2026-10-05');
    // each scope's kind, code and name above its rows; each KPI's label beside its code; each unit's precision
    const lines = r.out.split('\n');
    const site = lines.indexOf('厂区 SITE 参考镁厂 Reference magnesium site');
    expect(site).toBeGreaterThan(0);
    expect(lines[site + 1]).toMatch(
      /^ {2}能耗 Energy: 电力 Electricity\s+energy\.electricity\s+14,246 {2}kWh$/,
    );
    expect(lines).toContain('设备 PK-1 铸锭机 Ingot casting machine');
    expect(r.out).toMatch(/\n {2}设备综合效率 OEE\s+oee\s+\d{2}\.\d %\n/);
    expect(r.out).toMatch(/\n {2}综合能耗 Comprehensive energy\s+energy\.total\s+16\.322 {2}tce\n/);
    expect(r.out).not.toMatch(/\d\.\d{4,}/);
  });
});
