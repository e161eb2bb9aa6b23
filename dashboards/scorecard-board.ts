/**
 * 责任区评比 Scorecard: the responsibility loop on one board, for a plant that declares it (ranking, points or tasks):
 * the ranking of each group, points per month, the key tasks' and pledges' status, and the year to date against the
 * annual targets. It reads what the sink writes for a month's scorecard (kpi/scorecard/lines.ts), every point
 * stamped at its month's start: monthly panels on their own range (MONTH_RANGE), tables on the last closed month.
 */
import {
  POINTS_MEASUREMENT,
  RANK_MEASUREMENT,
  TASK_MEASUREMENT,
  TASK_STATUS_CODES,
  TRACK_MEASUREMENT,
} from '../kpi/scorecard/lines.ts';
import { TASK_STATUS_LABELS, TRACK_STATUS_LABELS } from '../kpi/scorecard/present.ts';
import { type BoardDef, MONTH_FILTER, type PanelDef } from './defs.ts';

type Labels = Record<string, { text: string; color?: string }>;

const TASK_COLORS = { open: 'blue', closed: 'green', overdue: 'red' } as const;
const TRACK_COLORS = {
  met: 'green',
  missed: 'red',
  on_track: 'green',
  off_track: 'orange',
  no_data: 'text',
} as const;

/** The status codes the task table shows, as their words in the status's colour. */
const taskStatusLabels: Labels = Object.fromEntries(
  Object.entries(TASK_STATUS_CODES).map(([status, code]) => [
    String(code),
    {
      text: TASK_STATUS_LABELS[status as keyof typeof TASK_STATUS_CODES],
      color: TASK_COLORS[status as keyof typeof TASK_COLORS],
    },
  ]),
);

const trackStatusLabels: Labels = Object.fromEntries(
  Object.entries(TRACK_STATUS_LABELS).map(([status, text]) => [
    status,
    { text, color: TRACK_COLORS[status as keyof typeof TRACK_COLORS] },
  ]),
);

/** An annual target's period label: a year ('2026'). */
const ANNUAL = `"target_period" =~ /^\\d{4}$/`;

/** Points per month of some scope kinds, one line per scope (a point per month). */
function pointsPanel(title: string, types: string): PanelDef {
  return {
    title,
    type: 'timeseries',
    period: 'month',
    queries: [
      {
        query: `SELECT "points" FROM "${POINTS_MEASUREMENT}" WHERE "scope_type" =~ /^(${types})$/ AND ${MONTH_FILTER} GROUP BY "scope_id"`,
        unit: 'ops:none',
        alias: '$tag_scope_id',
      },
    ],
  };
}

export function scorecardBoard(): BoardDef {
  return {
    uid: 'plantkpi-scorecard',
    title: '责任区评比 Scorecard',
    tags: ['plantkpi', 'party', 'scorecard'],
    variables: [
      {
        name: 'group',
        label: '评比组 Ranking group',
        query: `SHOW TAG VALUES FROM "${RANK_MEASUREMENT}" WITH KEY = "group"`,
      },
    ],
    panels: [
      {
        title: '评比排名 $group ranking (last closed month)',
        type: 'table',
        period: 'month',
        repeat: 'group',
        rankBy: '名次 rank',
        rankAscending: true,
        queries: [
          {
            // `ranked` is on every point, `rank` only on a ranked scope's: last() picks the month by `ranked`
            query: `SELECT last("ranked") AS "参评 ranked", "rank" AS "名次 rank", "margin_pct" AS "余量 margin %", "value" AS "数值 value", "period" AS "月份 month" FROM "${RANK_MEASUREMENT}" WHERE "group" =~ /^$group$/ AND ${MONTH_FILTER} GROUP BY "group", "kpi", "scope_type", "scope_id"`,
            // ranks are whole numbers and a value is in its KPI's unit: no unit or decimals but the margin's
            unit: 'ops:none',
            columnUnits: { '余量 margin %': '%' },
            columnLabels: {
              '参评 ranked': {
                '1': { text: '参评 ranked' },
                '0': { text: '不参评 unranked', color: 'text' },
              },
            },
          },
        ],
      },
      pointsPanel('党支部积分 Branch points per month', 'branch|general_branch'),
      pointsPanel('责任区与突击队积分 Area and team points per month', 'area|team'),
      {
        title: '任务与承诺 Key tasks and pledges (last closed month)',
        type: 'table',
        period: 'month',
        queries: [
          {
            query: `SELECT last("status_code") AS "状态 status", "title" AS "任务 title", "due" AS "到期 due", "closed_period" AS "销号期间 closed in", "on_time" AS "按期 on time", "evidence" AS "依据 evidence", "period" AS "月份 month" FROM "${TASK_MEASUREMENT}" WHERE ${MONTH_FILTER} GROUP BY "task", "kind", "owner_type", "owner_id"`,
            unit: 'ops:none',
            columnLabels: {
              '状态 status': taskStatusLabels,
              '按期 on time': {
                true: { text: '按期 on time', color: 'green' },
                false: { text: '逾期 late', color: 'red' },
              },
            },
          },
        ],
      },
      {
        title: '年度目标进度 Year to date against the annual target (last closed month)',
        type: 'table',
        period: 'month',
        queries: [
          {
            // `elapsed_pct` is on every point: last() picks the month by it, progress may be absent (no data)
            query: `SELECT last("elapsed_pct") AS "时间进度 elapsed %", "progress_pct" AS "进度 progress %", "ytd_actual" AS "累计 YTD", "target_max" AS "上限 at most", "target_min" AS "下限 at least", "unit" AS "单位 unit", "status" AS "状态 status", "yoy_pct" AS "同比 YoY %", "provisional" AS "暂定 provisional", "period" AS "月份 month" FROM "${TRACK_MEASUREMENT}" WHERE ${ANNUAL} AND ${MONTH_FILTER} GROUP BY "scope_type", "scope_id", "kpi", "target_period"`,
            // the year to date and the bounds are in the KPI's own unit, which differs from row to row: unit beside
            unit: 'ops:none',
            columnUnits: { '时间进度 elapsed %': '%', '进度 progress %': '%', '同比 YoY %': '%' },
            columnLabels: { '状态 status': trackStatusLabels },
          },
        ],
      },
      {
        title: '年度目标进度 Progress against the annual target, % (100 = on the pro-rated line)',
        type: 'bargauge',
        period: 'month',
        rankBy: '进度 progress %',
        queries: [
          {
            query: `SELECT last("progress_pct") AS "进度 progress %" FROM "${TRACK_MEASUREMENT}" WHERE ${ANNUAL} AND ${MONTH_FILTER} GROUP BY "scope_type", "scope_id", "kpi", "target_period"`,
            unit: '%',
            column: '进度 progress %',
          },
        ],
      },
    ],
  };
}
