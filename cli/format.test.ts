/** The KPI table people read: names beside codes, each unit's precision, bilingual statuses, CJK-aware widths. */
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../kpi/present.ts';
import type { KpiRow, PeriodResult } from '../kpi/rows.ts';
import { formatResults, type Names } from './format.ts';

const row = (
  kpi: string,
  scope_type: KpiRow['scope_type'],
  scope_id: string,
  value: number,
  unit: string,
) => ({
  kpi,
  scope_type,
  scope_id,
  period: '2026-10',
  value,
  unit,
  provisional: false,
});

const result: PeriodResult = {
  period: '2026-10',
  startMs: 0,
  endMs: 1,
  timeZone: 'Asia/Shanghai',
  kpis: [
    row('energy.electricity', 'site', 'SITE', 55013524.3715425, 'kWh'),
    row('energy.natural_gas', 'site', 'SITE', 1720.5999999998915, 'Nm3'),
    row('energy.total', 'site', 'SITE', 987.92612, 'tce'),
    row('emissions.co2', 'site', 'SITE', 1081, 'tCO2'),
    { ...row('intensity.energy', 'branch', 'B-ELY', 259.114166667, 'kgce/t'), provisional: true },
    row('oee', 'equipment', 'PK-1', 0.861624899688428, '1'),
  ],
  targets: [
    {
      kpi: 'intensity.energy',
      scope_type: 'branch',
      scope_id: 'B-ELY',
      period: '2026-10',
      target_max: 260,
      actual: 259.114166667,
      status: 'met',
      margin_pct: 0.340705128,
      provisional: true,
    },
    {
      kpi: 'oee',
      scope_type: 'equipment',
      scope_id: 'PK-1',
      period: '2026-10',
      target_min: 0.9,
      actual: 0.861624899688428,
      status: 'missed',
      margin_pct: ((0.861624899688428 - 0.9) / 0.9) * 100,
      provisional: false,
    },
  ],
  quality: [
    { signal: 'E-ELY', completeness: 0.991935483870968, expected: 744, present: 738, notes: [] },
    { signal: 'G-BLR', completeness: 1, expected: 744, present: 744, notes: [] },
  ],
};

const names: Names = {
  labels: new Map([
    ['electricity', '电力 Electricity'],
    ['natural_gas', '天然气 Natural gas'],
  ]),
  scopes: new Map([
    ['site|SITE', '参考镁厂 Reference magnesium site'],
    ['branch|B-ELY', '电解党支部 Electrolysis branch'],
    ['equipment|PK-1', '铸锭机 Ingot casting machine'],
  ]),
  signals: new Map([['E-ELY', '电解槽线用电 Electrolysis cell line electricity']]),
};

const table = formatResults([result], 'table', names);
const lines = table.split('\n');
const line = (code: string) => lines.find((l) => l.includes(` ${code} `)) ?? '';

describe('the KPI table', () => {
  it('shows each scope with its kind and name above its rows, each KPI with its label beside its code', () => {
    expect(lines).toContain('厂区 SITE 参考镁厂 Reference magnesium site');
    expect(lines).toContain('党支部 B-ELY 电解党支部 Electrolysis branch');
    expect(lines).toContain('设备 PK-1 铸锭机 Ingot casting machine');
    expect(line('energy.electricity')).toMatch(/^ {2}能耗 Energy: 电力 Electricity\s+energy\.electricity\s/);
    expect(line('energy.total')).toMatch(/^ {2}综合能耗 Comprehensive energy\s+energy\.total\s/);
  });

  it('shows each value in its unit’s precision: kWh and Nm3 whole, tce and tCO2 to three decimals, OEE in %', () => {
    expect(line('energy.electricity')).toMatch(/\s55,013,524 {2}kWh$/);
    expect(line('energy.natural_gas')).toMatch(/\s1,721 {2}Nm3$/);
    expect(line('energy.total')).toMatch(/\s987\.926 {2}tce$/);
    expect(line('emissions.co2')).toMatch(/\s1,081\.000 {2}tCO2$/);
    expect(line('intensity.energy')).toMatch(/\s259\.11 {2}kgce\/t\s+暂定 provisional$/);
    expect(line('oee')).toMatch(/\s86\.2 %$/);
    expect(table).not.toMatch(/\d\.\d{4,}/);
  });

  it('aligns the value column to its right edge, CJK characters counted as two columns', () => {
    const valueEnd = (code: string) => {
      const l = line(code);
      const value = l.trim().split(/ {2,}/)[2]!;
      return displayWidth(l.slice(0, l.indexOf(value, l.indexOf(code) + code.length) + value.length));
    };
    const ends = ['energy.electricity', 'energy.total', 'intensity.energy', 'oee'].map(valueEnd);
    expect(new Set(ends).size).toBe(1);
  });

  it('shows targets in the KPI’s unit, with bilingual statuses', () => {
    const t = lines.slice(lines.indexOf('目标 Targets'));
    expect(t.find((l) => l.includes('B-ELY'))).toMatch(
      /^党支部 B-ELY 电解党支部 Electrolysis branch\s+单位产品综合能耗 Energy intensity\s+<= 260\.00\s+259\.11\s+kgce\/t\s+达标 met\s+暂定 provisional$/,
    );
    expect(t.find((l) => l.includes('PK-1'))).toMatch(
      /设备综合效率 OEE\s+>= 90\.0 %\s+86\.2 %\s+未达标 missed$/,
    );
  });

  it('names the incomplete signals, completeness as a percentage', () => {
    expect(lines).toContain(
      '  E-ELY 电解槽线用电 Electrolysis cell line electricity: 完整率 complete 99.2 % (738/744)',
    );
    expect(table).not.toContain('G-BLR');
  });

  it('without names, shows the codes alone', () => {
    const bare = formatResults([result], 'table');
    expect(bare.split('\n')).toContain('党支部 B-ELY');
    expect(bare).toContain('能耗 Energy: electricity');
  });
});
