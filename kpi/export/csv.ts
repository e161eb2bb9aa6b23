/** KPI and target rows as CSV that Excel opens with Chinese headers intact: UTF-8 with a BOM, CRLF. */
import { kpiLabel, type LabelNames, type PeriodResult } from '../rows.ts';

const BOM = '\uFEFF';

function field(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const CSV_HEADER = [
  '记录 record',
  '指标 kpi',
  '指标名称 label',
  '范围类型 scope_type',
  '范围 scope_id',
  '期间 period',
  '数值 value',
  '单位 unit',
  '目标上限 target_max',
  '目标下限 target_min',
  '状态 status',
  '暂定 provisional',
];

export function resultsCsv(results: readonly PeriodResult[], names?: LabelNames): string {
  const lines = [CSV_HEADER.map(field).join(',')];
  for (const r of results) {
    for (const k of r.kpis) {
      lines.push(
        [
          'kpi',
          k.kpi,
          kpiLabel(k.kpi, names),
          k.scope_type,
          k.scope_id,
          k.period,
          k.value,
          k.unit,
          '',
          '',
          '',
          k.provisional,
        ]
          .map(field)
          .join(','),
      );
    }
    for (const t of r.targets) {
      const row = [
        'target',
        t.kpi,
        kpiLabel(t.kpi, names),
        t.scope_type,
        t.scope_id,
        t.period,
        t.actual,
        '',
        t.target_max,
      ];
      lines.push([...row, t.target_min, t.status, t.provisional].map(field).join(','));
    }
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
