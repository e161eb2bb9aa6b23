/** The scorecard for people: an aligned table (names beside codes, zh-CN with English) and CSV for Excel. */
import { csvText } from '../export/csv.ts';
import type { Plant } from '../plant.ts';
import { formatValue, PROVISIONAL_LABEL, roundValue, scopeName, scopeNames, textTable } from '../present.ts';
import { kpiLabel, SCOPE_LABELS } from '../rows.ts';
import type { Scorecard } from './build.ts';

export const TASK_STATUS_LABELS = {
  open: '进行中 open',
  closed: '已销号 closed',
  overdue: '已逾期 overdue',
} as const;

export const TRACK_STATUS_LABELS = {
  met: '达标 met',
  missed: '未达标 missed',
  on_track: '进度正常 on track',
  off_track: '进度落后 off track',
  no_data: '无数据 no data',
} as const;

/** A ranked scope without a rank (no target or no actual in the period). */
export const UNRANKED_LABEL = '不参评 unranked';

export const TASK_KIND_LABELS = {
  task: '任务 task',
  pledge: '承诺 pledge',
} as const;

export const LEDGER_SOURCE_LABELS = {
  target: '目标 target',
  task: '任务 task',
  manual: '人工 manual',
} as const;

/** Whether a closed task closed by its due time; nothing for one not closed. */
export function onTimeLabel(onTime: boolean | null): string {
  return onTime === null ? '' : onTime ? '按期 on time' : '逾期 late';
}

/** A task's due time in site time: the day for the end of a day (a due date), else the day and minute. */
export function dueText(dueMs: number, timeZone: string): string {
  const local = (ms: number) =>
    new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(ms)); // 2026-12-31 23:59
  const at = local(dueMs);
  return at.endsWith(' 00:00') ? local(dueMs - 1).slice(0, 10) : at;
}

const kindLabel = (type: string) => SCOPE_LABELS[type as keyof typeof SCOPE_LABELS]?.split(' ')[0] ?? type;
const pct = (x: number | null | undefined) =>
  x === null || x === undefined
    ? '-'
    : `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} %`;
/** Points as people read them: whole, or to two decimals when a provisional share makes them fractional. */
export const formatPoints = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function scorecardTable(s: Scorecard, plant: Plant): string {
  const names = scopeNames(plant);
  const name = (type: string, id: string) => scopeName(names, type as never, id);
  const out: string[] = [`期间 Period ${s.period}`, '', '目标跟踪 Target tracking'];
  out.push(
    textTable(
      [
        '范围 scope',
        '名称 name',
        '指标 KPI',
        '目标 target',
        '本期 actual',
        '累计 YTD',
        '进度 progress',
        '状态 status',
        '同比 YoY',
        '环比 MoM',
      ],
      s.targets.map((t) => {
        const unit = t.unit ?? '';
        const bound = [
          t.target_max === undefined ? '' : `≤ ${formatValue(t.target_max, unit)}`,
          t.target_min === undefined ? '' : `≥ ${formatValue(t.target_min, unit)}`,
        ]
          .filter(Boolean)
          .join(' ');
        return [
          `${kindLabel(t.scope_type)} ${t.scope_id}`,
          name(t.scope_type, t.scope_id),
          kpiLabel(t.kpi, plant.names),
          // a ratio shows as a percentage, which says its unit itself
          `${t.target_period} ${bound} ${unit === '1' ? '' : unit}`.trimEnd(),
          formatValue(t.actual, unit),
          formatValue(t.ytd_actual, unit),
          pct(t.progress_pct),
          TRACK_STATUS_LABELS[t.status],
          pct(t.yoy_pct),
          pct(t.mom_pct),
        ];
      }),
      new Set([4, 5, 6, 8, 9]),
    ),
  );
  out.push('', '评比 Ranking');
  out.push(
    textTable(
      ['组 group', '名次 rank', '范围 scope', '名称 name', '指标 KPI', '余量 margin', '数值 value'],
      s.ranking.map((r) => [
        r.group,
        r.rank === null ? UNRANKED_LABEL : String(r.rank),
        `${kindLabel(r.scope_type)} ${r.scope_id}`,
        name(r.scope_type, r.scope_id),
        kpiLabel(r.kpi, plant.names),
        pct(r.margin_pct),
        r.value === undefined || r.value === null ? '' : formatValue(r.value, unitOf(s, r)),
      ]),
      new Set([1, 5, 6]),
    ),
  );
  out.push('', '积分 Points');
  out.push(
    textTable(
      ['范围 scope', '名称 name', '积分 points'],
      s.points.map((p) => [
        `${kindLabel(p.scope_type)} ${p.scope_id}`,
        name(p.scope_type, p.scope_id),
        formatPoints(p.points),
      ]),
      new Set([2]),
    ),
  );
  if (s.ledger.length > 0) {
    out.push('', '积分明细 Ledger');
    out.push(
      textTable(
        ['范围 scope', '积分 points', '来源 source', '原因 reason'],
        s.ledger.map((e) => [
          `${kindLabel(e.scope_type)} ${e.scope_id}`,
          formatPoints(e.points),
          LEDGER_SOURCE_LABELS[e.source],
          e.reason,
        ]),
        new Set([1]),
      ),
    );
  }
  out.push('', '任务与承诺 Tasks and pledges');
  out.push(
    textTable(
      [
        '任务 task',
        '类型 kind',
        '标题 title',
        '责任方 owner',
        '截止 due',
        '状态 status',
        '销号期间 closed in',
        '依据 evidence',
      ],
      s.tasks.map((t) => [
        t.id,
        TASK_KIND_LABELS[t.kind],
        t.title,
        `${kindLabel(t.owner_type)} ${t.owner_id} ${name(t.owner_type, t.owner_id)}`,
        t.due,
        TASK_STATUS_LABELS[t.status],
        t.closed_period ?? '-',
        t.evidence ?? '',
      ]),
      new Set(),
    ),
  );
  return `${out.join('\n')}\n`;
}

/** The unit of a ranked KPI value: from the KPI rows is not at hand here, so intensities say so by their KPI. */
function unitOf(_s: Scorecard, r: { kpi: string }): string {
  return r.kpi.startsWith('intensity.') ? 'kgce/t' : '1';
}

export const SCORECARD_CSV_HEADER = [
  '记录 record',
  '组或任务 group_or_task',
  '范围类型 scope_type',
  '范围 scope_id',
  '名称 name',
  '期间 period',
  '指标 kpi',
  '余量% margin_pct',
  '名次 rank',
  '积分 points',
  '状态 status',
  '销号期间 closed_period',
  '说明 note',
  '目标期间 target_period',
  '目标上限 target_max',
  '目标下限 target_min',
  '单位 unit',
  '本期 actual',
  '累计 ytd_actual',
  '目标期至今 to_date_actual',
  '进度% progress_pct',
  '上年同期 prev_year',
  '同比% yoy_pct',
  '上期 prev_period',
  '环比% mom_pct',
  '类型 kind',
  '标题 title',
  '截止 due',
];

/** The empty target columns of a row that is not a target's. */
const NO_TARGET = Array<string>(12).fill('');
/** The empty task columns (kind, title, due) of a row that is not a task's. */
const NO_TASK = ['', '', ''];

/**
 * One CSV for the parts (a `record` column says which: target, ranking, points, ledger, task), UTF-8 with a BOM and
 * CRLF for Excel; values in their unit's precision, percentages to 6 decimals.
 */
export function scorecardCsv(s: Scorecard, plant: Plant): string {
  const names = scopeNames(plant);
  const name = (type: string, id: string) => scopeName(names, type as never, id);
  const lines = [SCORECARD_CSV_HEADER];
  const p6 = (x: number | null) => (x === null ? '' : x.toFixed(6));
  for (const t of s.targets) {
    const unit = t.unit ?? '';
    const v = (x: number | null | undefined) =>
      x === null || x === undefined ? '' : String(unit ? roundValue(x, unit) : x);
    lines.push([
      'target',
      '',
      t.scope_type,
      t.scope_id,
      name(t.scope_type, t.scope_id),
      t.period,
      t.kpi,
      p6(t.margin_pct),
      '',
      '',
      TRACK_STATUS_LABELS[t.status],
      '',
      t.provisional ? PROVISIONAL_LABEL : '',
      t.target_period,
      v(t.target_max),
      v(t.target_min),
      unit,
      v(t.actual),
      v(t.ytd_actual),
      v(t.to_date_actual),
      p6(t.progress_pct),
      v(t.prev_year),
      p6(t.yoy_pct),
      v(t.prev_period),
      p6(t.mom_pct),
      ...NO_TASK,
    ]);
  }
  for (const r of s.ranking)
    lines.push([
      'ranking',
      r.group,
      r.scope_type,
      r.scope_id,
      name(r.scope_type, r.scope_id),
      r.period,
      r.kpi,
      r.margin_pct === null ? '' : r.margin_pct.toFixed(6),
      r.rank === null ? '' : String(r.rank),
      '',
      r.rank === null ? UNRANKED_LABEL : '',
      '',
      '',
      ...NO_TARGET,
      ...NO_TASK,
    ]);
  for (const p of s.points)
    lines.push([
      'points',
      '',
      p.scope_type,
      p.scope_id,
      name(p.scope_type, p.scope_id),
      p.period,
      '',
      '',
      '',
      String(p.points),
      '',
      '',
      '',
      ...NO_TARGET,
      ...NO_TASK,
    ]);
  for (const e of s.ledger)
    lines.push([
      'ledger',
      e.ref,
      e.scope_type,
      e.scope_id,
      name(e.scope_type, e.scope_id),
      e.period,
      '',
      '',
      '',
      String(e.points),
      e.source,
      '',
      e.reason,
      ...NO_TARGET,
      ...NO_TASK,
    ]);
  for (const t of s.tasks)
    lines.push([
      'task',
      t.id,
      t.owner_type,
      t.owner_id,
      name(t.owner_type, t.owner_id),
      s.period,
      '',
      '',
      '',
      '',
      TASK_STATUS_LABELS[t.status],
      t.closed_period ?? '',
      t.evidence ?? '',
      ...NO_TARGET,
      TASK_KIND_LABELS[t.kind],
      t.title,
      t.due,
    ]);
  return csvText(lines);
}
