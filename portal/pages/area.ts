/**
 * 党员责任区 Area page: the area's KPIs of the period against target, its targets tracked over the year, daily trend
 * charts (uPlot, drawn by /assets/area-chart.js from a JSON block that is data, not script) with the same values in a
 * table for a browser without script, and the completeness of its meters.
 */
import { formatValue, PROVISIONAL_LABEL, STATUS_LABELS, unitStyle } from '../../kpi/present.ts';
import { type Html, html, jsonScript } from './html.ts';
import { layout } from './layout.ts';
import {
  badge,
  boundText,
  href,
  kindLabel,
  kpiName,
  pct,
  section,
  seg,
  table,
  trackedTable,
  valueText,
} from './parts.ts';
import type { AreaPage, PageContext } from './types.ts';

/** The KPIs drawn per day: energy (tce), CO2 (tCO2), energy intensity. */
export const TREND_KPIS = ['energy.total', 'emissions.co2', 'intensity.energy'] as const;

/** What /assets/area-chart.js reads from `#trend-data`. */
export interface TrendData {
  /** the days, YYYY-MM-DD */
  days: string[];
  /** each day's local midnight as a UTC date, in seconds (the chart shows its axis in UTC, so the dates read right) */
  x: number[];
  series: { kpi: string; label: string; unit: string; decimals: number; values: (number | null)[] }[];
}

export function trendData(data: AreaPage): TrendData {
  const days = [...new Set(data.daily.map((r) => r.period))].sort();
  const byKey = new Map(data.daily.map((r) => [`${r.kpi}|${r.period}`, r]));
  const series = TREND_KPIS.flatMap((kpi) => {
    const rows = days.map((d) => byKey.get(`${kpi}|${d}`));
    const unit = rows.find((r) => r !== undefined)?.unit;
    if (unit === undefined) return [];
    return [
      {
        kpi,
        label: kpiName(data.names, kpi),
        unit,
        decimals: unitStyle(unit).decimals,
        values: rows.map((r) => (r === undefined || !Number.isFinite(r.value) ? null : r.value)),
      },
    ];
  });
  return { days, x: days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000), series };
}

function monthTable(data: AreaPage): Html {
  return table(
    '本期指标 KPIs of the period',
    [
      { label: '指标 KPI' },
      { label: '数值 Value', num: true },
      { label: '目标 Target' },
      { label: '余量 Margin', num: true },
      { label: '状态 Status' },
    ],
    data.kpis.map((k) => {
      const t = data.targets.find((r) => r.kpi === k.kpi);
      return [
        kpiName(data.names, k.kpi),
        html`${valueText(k.value, k.unit)}${k.provisional ? html` <small class="prov">${PROVISIONAL_LABEL}</small>` : ''}`,
        t ? boundText(t.target_max, t.target_min, k.unit) : '-',
        t ? pct(t.margin_pct) : '-',
        t ? badge(t.status, STATUS_LABELS[t.status]) : '-',
      ];
    }),
  );
}

function dailyTable(trend: TrendData): Html {
  return table(
    '每日数据 Daily values',
    [{ label: '日期 Day' }, ...trend.series.map((s) => ({ label: `${s.label} (${s.unit})`, num: true }))],
    trend.days.map((d, i) => [d, ...trend.series.map((s) => formatValue(s.values[i], s.unit))]),
  );
}

function charts(trend: TrendData): Html {
  if (trend.series.length === 0) return html`<p class="empty">无每日数据 No daily data</p>`;
  return html`<div class="charts">${trend.series.map(
    (s) => html`<figure class="chart">
<figcaption>${s.label} <span class="muted">${s.unit}/日 per day</span></figcaption>
<div class="chart-box" data-kpi="${s.kpi}"></div>
</figure>`,
  )}</div>
${jsonScript('trend-data', trend)}
<details class="daily"><summary>每日数据表 Daily values as a table</summary>${dailyTable(trend)}</details>`;
}

function metersTable(data: AreaPage): Html {
  return html`<p class="muted">完整率低于 ${formatValue(data.provisionalBelow, '1')} 的计量使指标为暂定。
Below ${formatValue(data.provisionalBelow, '1')} complete, a meter makes the KPIs resting on it provisional.</p>
${table(
  '计量完整率 Meter completeness',
  [
    { label: '信号 Signal' },
    { label: '名称 Name' },
    { label: '分摊 Share', num: true },
    { label: '完整率 Completeness', num: true },
    { label: '状态 Flag' },
  ],
  data.meters.map((m) => [
    m.signal,
    m.name,
    formatValue(m.share, '1'),
    formatValue(m.completeness, '1'),
    m.provisional ? badge('provisional', PROVISIONAL_LABEL) : badge('final', '完整 complete'),
  ]),
)}`;
}

export function areaPage(ctx: PageContext, data: AreaPage): string {
  const a = data.area;
  const trend = trendData(data);
  const period = { period: ctx.period };
  const body = html`<h1>${a.name} <small class="muted">${kindLabel(a.type)} ${a.id}</small></h1>
${
  data.branch
    ? html`<p><a href="${href(ctx.basePath, `/branches/${seg(data.branch.id)}`, period)}">← ${data.branch.name}</a></p>`
    : ''
}
${section('kpis', '本期指标 KPIs against target', monthTable(data))}
${section('targets', '目标跟踪 Targets', trackedTable(data.names, data.tracked))}
${section('trends', '每日趋势 Daily trends', charts(trend))}
${section('meters', '计量完整率 Meter completeness', metersTable(data))}`;
  return layout(
    ctx,
    {
      title: `${a.name} ${ctx.period}`,
      styles: ['uplot/uPlot.min.css'],
      scripts: ['uplot/uPlot.iife.min.js', 'area-chart.js'],
    },
    body,
  ).text;
}
