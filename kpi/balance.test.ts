import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from '../config/load.ts';
import { balanceValues, compileBalances } from './balance.ts';
import { compareRows, isExtensiveKpi, kpiLabel, labelNames } from './rows.ts';

describe('metering balance arithmetic', () => {
  it('55,100,000 kWh over submeters of 55,013,524 kWh: 86,476 kWh unmetered, 0.157 % (acceptance)', () => {
    const v = balanceValues(55_100_000, [30_000_000, 20_013_524, 5_000_000], 0.15);
    expect(v.submetered).toBe(55_013_524);
    expect(v.unmetered).toBe(86_476);
    expect(v.lossPct!).toBeCloseTo(0.157, 3);
    expect(v.lossPct!).toBeCloseTo((86_476 / 55_100_000) * 100, 12);
    expect(v.alarm).toBe(true);
    expect(balanceValues(55_100_000, [55_013_524], 0.2).alarm).toBe(false);
  });

  it('no loss rate of a main meter that shows nothing; no alarm without a threshold', () => {
    expect(balanceValues(0, [0]).lossPct).toBeNull();
    expect(balanceValues(100, [90]).alarm).toBeNull();
    // submeters above the main meter: a negative loss, never an alarm above a positive threshold
    expect(balanceValues(100, [110], 1)).toMatchObject({ unmetered: -10, lossPct: -10, alarm: false });
  });

  it('a nested balance counts as its main meter in its parent', () => {
    const config = parsePlantConfig(`
site: { id: S }
carriers: [{ id: electricity, unit: kWh, emissionScope: 2 }]
signals:
  - { id: M, kind: counter, unit: kWh, carrier: electricity, inSiteTotal: true }
  - { id: M2, kind: counter, unit: kWh, carrier: electricity, inSiteTotal: false }
  - { id: S1, kind: counter, unit: kWh, carrier: electricity, inSiteTotal: false }
  - { id: S2, kind: counter, unit: kWh, carrier: electricity, inSiteTotal: false }
balances:
  - { id: TOP, name: 全厂电平衡 Site balance, carrier: electricity, main: M, submeters: [{ signal: S1 }, { balance: SUB }] }
  - { id: SUB, carrier: electricity, main: M2, submeters: [{ signal: S2 }] }
organisation: { committee: { id: C }, branches: [{ id: B }] }
`);
    expect(compileBalances(config).map((b) => [b.id, b.submeters])).toEqual([
      ['TOP', ['S1', 'M2']],
      ['SUB', ['S2']],
    ]);
    const names = labelNames(config);
    expect(kpiLabel('balance.TOP.loss_pct', names)).toBe(
      '计量平衡 Balance 全厂电平衡 Site balance: 损耗率 loss rate',
    );
    expect(kpiLabel('balance.SUB.unmetered', names)).toBe('计量平衡 Balance SUB: 未计量差额 unmetered');
  });

  it('amounts add up over periods, rates and marks do not', () => {
    expect(isExtensiveKpi('balance.TOP.unmetered')).toBe(true);
    expect(isExtensiveKpi('balance.TOP.loss_pct')).toBe(false);
    expect(isExtensiveKpi('balance.TOP.alarm')).toBe(false);
    expect(isExtensiveKpi('emissions.so2.mass')).toBe(true);
    expect(isExtensiveKpi('emissions.so2.exceedance_hours')).toBe(true);
    expect(isExtensiveKpi('emissions.so2.intensity')).toBe(false);
    expect(kpiLabel('emissions.so2.mass')).toBe('二氧化硫 SO2 排放量 mass');
    expect(kpiLabel('emissions.nox.exceedance_hours')).toBe('氮氧化物 NOx 超标小时 exceedance hours');
    expect(kpiLabel('emissions.particulate.intensity')).toBe('颗粒物 particulate 单位产品排放量 intensity');
  });

  it('rows read in order: a balance main to alarm, then pollutants mass, intensity, exceedance', () => {
    const kpis = [
      'emissions.so2.exceedance_hours',
      'balance.EB.alarm',
      'emissions.nox.mass',
      'balance.EB.loss_pct',
      'emissions.so2.mass',
      'balance.EB.main',
      'balance.EB.unmetered',
      'intensity.energy',
      'balance.EB.submetered',
    ];
    const row = (kpi: string) => ({
      kpi,
      scope_type: 'site' as const,
      scope_id: 'S',
      period: 'p',
      provisional: false,
    });
    expect(
      kpis
        .map(row)
        .sort(compareRows)
        .map((r) => r.kpi),
    ).toEqual([
      'intensity.energy',
      'balance.EB.main',
      'balance.EB.submetered',
      'balance.EB.unmetered',
      'balance.EB.loss_pct',
      'balance.EB.alarm',
      'emissions.so2.mass',
      'emissions.so2.exceedance_hours',
      'emissions.nox.mass',
    ]);
  });
});
