import { describe, expect, it } from 'vitest';
import { displayWidth, formatValue, roundValue, targetMargin, unitStyle } from './present.ts';

describe('presentation conventions', () => {
  it('shows each unit with its decimals and thousands separators', () => {
    expect(formatValue(55013524.3715425, 'kWh')).toBe('55,013,524');
    expect(formatValue(1720.5999999998915, 'Nm3')).toBe('1,721');
    expect(formatValue(987.92612, 'tce')).toBe('987.926');
    expect(formatValue(1081, 'tCO2')).toBe('1,081.000');
    expect(formatValue(259.114166667, 'kgce/t')).toBe('259.11');
    expect(formatValue(0.029198867, 'tCO2/t')).toBe('0.029');
    expect(formatValue(3188.274, 't')).toBe('3,188.27');
  });
  it('shows ratios as percentages and never a negative zero', () => {
    expect(formatValue(0.861624899688428, '1')).toBe('86.2 %');
    expect(formatValue(-0.0001, 'tce')).toBe('0.000');
    expect(formatValue(null, 'tce')).toBe('-');
    expect(formatValue(Number.NaN, 'tce')).toBe('-');
  });
  it('rounds CSV values to the same precision; ratios keep four decimals of the fraction', () => {
    expect(roundValue(1720.5999999998915, 'Nm3')).toBe(1721);
    expect(roundValue(0.991935483870968, '1')).toBe(0.9919);
    expect(roundValue(987.92612, 'tce')).toBe(987.926);
    expect(roundValue(-0.0001, 'tce')).toBe(0);
  });
  it('gives Excel formats and Grafana units', () => {
    expect(unitStyle('kWh').excelFormat).toBe('#,##0');
    expect(unitStyle('tce').excelFormat).toBe('#,##0.000');
    expect(unitStyle('1').excelFormat).toBe('0.0%');
    expect(unitStyle('1').grafanaUnit).toBe('percentunit');
    expect(unitStyle('kgce/t').grafanaUnit).toBe('suffix: kgce/t');
    expect(unitStyle('pcs').decimals).toBe(0);
    expect(unitStyle('widgets').decimals).toBe(3);
  });
  it('counts CJK characters as two columns', () => {
    expect(displayWidth('综合能耗 Comprehensive')).toBe(8 + 14);
  });
  it('gives the margin to a target as a fraction of it, positive when met', () => {
    expect(targetMargin({ actual: 259.11416, target_max: 260 })).toBeCloseTo(0.88584 / 260, 12);
    expect(targetMargin({ actual: 16.2726, target_max: 16 })).toBeCloseTo(-0.2726 / 16, 12);
    expect(targetMargin({ actual: 0.9, target_min: 0.85 })).toBeCloseTo(0.05 / 0.85, 12);
    expect(targetMargin({ actual: 55, target_min: 50, target_max: 60 })).toBeCloseTo(5 / 60, 12);
    expect(targetMargin({ actual: null, target_max: 1 })).toBeNull();
    expect(targetMargin({ actual: 3, target_max: 0 })).toBeNull();
  });
});
