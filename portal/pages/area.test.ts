/** The area page on the reference plant's October: KPIs against target, the trend data block, meter completeness. */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatValue, STATUS_LABELS } from '../../kpi/present.ts';
import { kpiLabel } from '../../kpi/rows.ts';
import { areaPage, TREND_KPIS, trendData } from './area.ts';
import { areaPageData } from './data.ts';
import { startTags, tableRows, text } from './testdata/inspect.ts';
import { contextFor, type ReferenceData, referenceData } from './testdata/reference.ts';
import type { AreaPage } from './types.ts';

let ref: ReferenceData;
let ely: AreaPage;
let blr: AreaPage;

beforeAll(async () => {
  ref = await referenceData();
  ely = areaPageData(ref.plant, ref.scorecard, ref.result, ref.days, 'A-ELY-1')!;
  blr = areaPageData(ref.plant, ref.scorecard, ref.result, ref.days, 'A-BLR')!;
});

describe('area page', () => {
  it("shows the area's KPIs of the month through formatValue, the intensity against its target", () => {
    const page = areaPage(contextFor('viewer', null), blr);
    const rows = tableRows(page, '本期指标 KPIs of the period');
    const own = ref.result.kpis.filter((k) => k.scope_type === 'area' && k.scope_id === 'A-BLR');
    expect(rows).toHaveLength(own.length);
    for (const [i, k] of own.entries()) {
      expect(rows[i]!.cells.get('指标 KPI')).toBe(kpiLabel(k.kpi, ref.plant.names));
      const shown = formatValue(k.value, k.unit);
      expect(rows[i]!.cells.get('数值 Value')!.startsWith(shown)).toBe(true);
    }
    const intensity = rows.find((r) => r.cells.get('指标 KPI') === kpiLabel('intensity.energy'))!;
    const t = ref.result.targets.find((r) => r.scope_id === 'A-BLR')!;
    expect(intensity.cells.get('目标 Target')).toBe('≤ 16.00 kgce/t');
    expect(intensity.cells.get('状态 Status')).toBe(STATUS_LABELS[t.status]);
    expect(intensity.cells.get('余量 Margin')).toBe(`${t.margin_pct!.toFixed(2)} %`);
  });

  it('puts one series per trend KPI and day in the JSON block, read by the chart script, and the same in a table', () => {
    const page = areaPage(contextFor('viewer', null), ely);
    const m = /<script type="application\/json" id="trend-data">([\s\S]*?)<\/script>/.exec(page)!;
    const trend = JSON.parse(m[1]!);
    expect(trend).toEqual(trendData(ely));
    expect(trend.days).toHaveLength(31);
    expect(trend.days[0]).toBe('2026-10-01');
    expect(trend.x[0]).toBe(Date.UTC(2026, 9, 1) / 1000);
    expect(trend.series.map((s: { kpi: string }) => s.kpi)).toEqual([...TREND_KPIS]);
    const day5 = ref.days[4]!.kpis.find(
      (k) => k.kpi === 'energy.total' && k.scope_type === 'area' && k.scope_id === 'A-ELY-1',
    )!;
    expect(trend.series[0].values[4]).toBe(day5.value);
    expect(trend.series.map((s: { unit: string }) => s.unit)).toEqual(['tce', 'tCO2', 'kgce/t']);
    const rows = tableRows(page, '每日数据 Daily values');
    expect(rows[4]!.cells.get('日期 Day')).toBe('2026-10-05');
    expect(rows[4]!.cells.get(`${kpiLabel('energy.total')} (tce)`)).toBe(formatValue(day5.value, 'tce'));
    expect(page.match(/class="chart-box"/g)).toHaveLength(3);
    const scripts = startTags(page).filter((t) => t.startsWith('<script'));
    expect(scripts).toEqual([
      '<script src="/assets/uplot/uPlot.iife.min.js" defer>',
      '<script src="/assets/area-chart.js" defer>',
      '<script type="application/json" id="trend-data">',
    ]);
    expect(page).toContain('<link rel="stylesheet" href="/assets/uplot/uPlot.min.css">');
  });

  it("lists the area's meters with their share and completeness; E-AUX is shared 60 %", () => {
    const page = areaPage(contextFor('viewer', null), ely);
    const rows = tableRows(page, '计量完整率 Meter completeness');
    expect(rows.map((r) => r.cells.get('信号 Signal'))).toEqual(['E-ELY', 'E-AUX']);
    const q = (s: string) => ref.result.quality.find((x) => x.signal === s)!;
    expect(rows[1]!.cells.get('分摊 Share')).toBe('60.0 %');
    expect(rows[0]!.cells.get('完整率 Completeness')).toBe(formatValue(q('E-ELY').completeness, '1'));
    for (const r of rows) {
      const prov = q(r.cells.get('信号 Signal')!).completeness < ref.plant.provisionalBelow;
      expect(r.cells.get('状态 Flag')).toBe(prov ? '暂定 provisional' : '完整 complete');
    }
    expect(text(page)).toContain('← 电解党支部 Electrolysis branch');
  });

  it('without daily rows says so and loads no chart data', () => {
    const page = areaPage(contextFor('viewer', null), { ...ely, daily: [] });
    expect(page).toContain('无每日数据 No daily data');
    expect(page).not.toContain('trend-data');
  });
});
