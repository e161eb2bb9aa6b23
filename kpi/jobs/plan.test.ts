import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from '../../config/load.ts';
import type { PlantConfig } from '../../config/schema.ts';
import { type Period, parsePeriod } from '../../transforms/periods.ts';
import { compilePlant } from '../plant.ts';
import { configHash, jobId, periodFingerprint, periodsBetween, previousPeriod } from './plan.ts';

const TZ = 'Asia/Shanghai';
const base = `
site: { id: S }
carriers: [{ id: electricity, unit: kWh, emissionScope: 2, co2Series: site }]
signals: [{ id: E, kind: counter, unit: kWh, carrier: electricity }]
factors:
  - { carrier: electricity, kind: co2, value: 0.5, unit: kgCO2/kWh, series: site, source: a, to: "2026-11-01" }
  - { carrier: electricity, kind: co2, value: 0.6, unit: kgCO2/kWh, series: site, source: b, from: "2026-11-01" }
organisation:
  committee: { id: C }
  branches: [{ id: B }]
  areas: [{ id: A, branch: B, meters: [{ signal: E, to: "2026-12-01" }] }]
`;

describe('job planning', () => {
  it('a tick means the period that just ended, in local time', () => {
    const at = Date.parse('2026-11-01T00:30:00+08:00');
    expect(previousPeriod('month', at, TZ).label).toBe('2026-10');
    expect(previousPeriod('day', at, TZ).label).toBe('2026-10-31');
    expect(previousPeriod('hour', at, TZ).label).toBe('2026-10-31T23');
  });
  it('ranges split into whole periods', () => {
    expect(periodsBetween('month', '2026-01-01', '2026-04-01', TZ).map((p) => p.label)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(periodsBetween('day', '2026-10-30', '2026-11-02', TZ)).toHaveLength(3);
    // a range that starts inside a month takes the month whole; a period still running is left to the scheduler
    const now = Date.parse('2026-11-24T10:00:00+08:00');
    expect(periodsBetween('month', '2026-10-25', '2026-11-24', TZ, now).map((p) => p.label)).toEqual([
      '2026-10',
    ]);
    expect(periodsBetween('day', '2026-10-25', '2026-11-24', TZ, now)).toHaveLength(30);
    expect(periodsBetween('day', '2026-11-20', 'now', TZ, now).map((p) => p.label)).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
    ]);
    expect(periodsBetween('hour', '2026-11-24T08:30', 'now', TZ, now).map((p) => p.label)).toEqual([
      '2026-11-24T08',
      '2026-11-24T09',
    ]);
  });
  it('job ids are deterministic and safe', () => {
    expect(jobId('month', '2026-10', 'abc')).toBe('kpi_month_2026-10_abc');
    expect(jobId('hour', '2026-10-05T08', 'abc')).toBe('kpi_hour_2026-10-05T08_abc');
  });
  it('a factor change marks only the periods it applies to', () => {
    const before = parsePlantConfig(base);
    const after = parsePlantConfig(base.replace('value: 0.6', 'value: 0.7'));
    const fp = (c: PlantConfig, p: Period) => periodFingerprint(compilePlant(c), p, c);
    const oct = parsePeriod('2026-10', TZ);
    const nov = parsePeriod('2026-11', TZ);
    expect(fp(after, oct)).toBe(fp(before, oct));
    expect(fp(after, nov)).not.toBe(fp(before, nov));
    expect(configHash(after)).not.toBe(configHash(before));
  });
  it('an assignment change marks only the periods it overlaps', () => {
    const before = parsePlantConfig(base);
    const after = parsePlantConfig(base.replace('to: "2026-12-01" }', 'to: "2026-11-15" }'));
    const fp = (c: PlantConfig, p: Period) => periodFingerprint(compilePlant(c), p, c);
    expect(fp(after, parsePeriod('2026-10', TZ))).toBe(fp(before, parsePeriod('2026-10', TZ)));
    expect(fp(after, parsePeriod('2026-11', TZ))).not.toBe(fp(before, parsePeriod('2026-11', TZ)));
  });
});
