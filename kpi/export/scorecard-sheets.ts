/**
 * The responsibility loop in the monthly workbook (issue 12): the file slice's scorecard as the sheets 排名 Ranking,
 * 积分 Points, 积分明细 Points ledger, 任务 Tasks and 目标跟踪 Target tracking, placed after 汇总 Summary. The labels
 * are the scorecard's own (kpi/scorecard/present.ts), numbers formatted per unit (kpi/present.ts through sheet.ts);
 * a sheet without rows is left out, and a file without a scorecard gets none of them.
 */
import type ExcelJS from 'exceljs';
import type { Plant } from '../plant.ts';
import { scopeName } from '../present.ts';
import { type KpiRow, kpiLabel, SCOPE_LABELS, type ScopeKind } from '../rows.ts';
import type { Scorecard } from '../scorecard/build.ts';
import {
  dueText,
  formatPoints,
  LEDGER_SOURCE_LABELS,
  onTimeLabel,
  TASK_KIND_LABELS,
  TASK_STATUS_LABELS,
  TRACK_STATUS_LABELS,
  UNRANKED_LABEL,
} from '../scorecard/present.ts';
import {
  addTable,
  type Cell,
  type CellInput,
  cols,
  fraction,
  num,
  provisional,
  signedPercent,
  targetCell,
  unitShown,
} from './sheet.ts';
import type { FileSlice } from './slice.ts';

export const RANKING_SHEET = '排名 Ranking';
export const POINTS_SHEET = '积分 Points';
export const LEDGER_SHEET = '积分明细 Points ledger';
export const TASKS_SHEET = '任务 Tasks';
export const TRACKING_SHEET = '目标跟踪 Target tracking';
/** In the workbook's order, right after the summary. */
export const SCORECARD_SHEETS = [
  RANKING_SHEET,
  POINTS_SHEET,
  LEDGER_SHEET,
  TASKS_SHEET,
  TRACKING_SHEET,
] as const;

type Names = ReadonlyMap<string, string>;

/** A scope's three cells: its kind, its code and its name. */
function scopeCells(names: Names, type: ScopeKind, id: string): CellInput[] {
  return [SCOPE_LABELS[type], id, scopeName(names, type, id)];
}
const SCOPE_HEADERS = ['范围类型 Scope type', '范围 Scope', '名称 Name'];

/** Points have no unit: whole, or to two decimals when a provisional share makes them fractional. */
const points = (x: number): Cell => ({ value: x, text: formatPoints(x) });

/** A value in its unit when the unit is known, else as it is. */
const inUnit = (x: number | null | undefined, unit: string | null | undefined): CellInput =>
  unit === null || unit === undefined ? (x ?? null) : num(x, unit);

/** The unit of a KPI as the month's rows have it: the scope's own row, else any row of that KPI. */
function kpiUnit(kpis: readonly KpiRow[], kpi: string, type: ScopeKind, id: string): string | undefined {
  return (
    kpis.find((r) => r.kpi === kpi && r.scope_type === type && r.scope_id === id) ??
    kpis.find((r) => r.kpi === kpi)
  )?.unit;
}

function rankingSheet(wb: ExcelJS.Workbook, s: Scorecard, f: FileSlice, plant: Plant, names: Names) {
  const groups = new Map(plant.scorecard.ranking.map((g) => [g.id, g]));
  addTable(
    wb,
    RANKING_SHEET,
    cols([
      '评比组 Group',
      '组名 Group name',
      '名次 Rank',
      ...SCOPE_HEADERS,
      '指标 KPI',
      '指标名称 KPI name',
      '余量 Margin',
      '数值 Value',
      '单位 Unit',
    ]),
    s.ranking.map((r) => {
      const unit = r.value === undefined ? undefined : kpiUnit(f.month.kpis, r.kpi, r.scope_type, r.scope_id);
      return [
        r.group,
        groups.get(r.group)?.name ?? r.group,
        r.rank ?? UNRANKED_LABEL,
        ...scopeCells(names, r.scope_type, r.scope_id),
        r.kpi,
        kpiLabel(r.kpi, plant.names),
        signedPercent(fraction(r.margin_pct)),
        r.value === undefined ? null : inUnit(r.value, unit),
        unit === undefined ? null : unitShown(unit),
      ];
    }),
  );
}

function pointsSheet(wb: ExcelJS.Workbook, s: Scorecard, names: Names) {
  addTable(
    wb,
    POINTS_SHEET,
    cols([...SCOPE_HEADERS, '期间 Period', '积分 Points']),
    s.points.map((p) => [...scopeCells(names, p.scope_type, p.scope_id), p.period, points(p.points)]),
  );
}

function ledgerSheet(wb: ExcelJS.Workbook, s: Scorecard, names: Names) {
  addTable(
    wb,
    LEDGER_SHEET,
    [
      ...cols([...SCOPE_HEADERS, '期间 Period', '积分 Points', '来源 Source', '依据 Ref']),
      { header: '原因 Reason', maxWidth: 70 },
      ...cols(['记录人 By', '记录时间 At']),
    ],
    s.ledger.map((e) => [
      ...scopeCells(names, e.scope_type, e.scope_id),
      e.period,
      points(e.points),
      LEDGER_SOURCE_LABELS[e.source],
      e.ref,
      e.reason,
      e.by ?? null,
      e.at ?? null,
    ]),
  );
}

function tasksSheet(wb: ExcelJS.Workbook, s: Scorecard, plant: Plant, names: Names) {
  const model = new Map(plant.scorecard.tasks.map((t) => [t.id, t]));
  addTable(
    wb,
    TASKS_SHEET,
    [
      { header: '任务 Task' },
      { header: '名称 Title', maxWidth: 50 },
      ...cols(['类型 Kind', '责任方类型 Owner type', '责任方 Owner', '责任方名称 Owner name', '期限 Due']),
      ...cols(['状态 Status', '销号期间 Closed in']),
      { header: '依据 Evidence', maxWidth: 70 },
      { header: '按期 On time' },
    ],
    s.tasks.map((t) => {
      const task = model.get(t.id);
      return [
        t.id,
        task?.title ?? null,
        task ? TASK_KIND_LABELS[task.kind] : null,
        ...scopeCells(names, t.owner_type, t.owner_id),
        task ? dueText(task.dueMs, plant.timeZone) : null,
        TASK_STATUS_LABELS[t.status],
        t.closed_period,
        t.evidence,
        onTimeLabel(t.on_time),
      ];
    }),
  );
}

function trackingSheet(wb: ExcelJS.Workbook, s: Scorecard, plant: Plant, names: Names) {
  addTable(
    wb,
    TRACKING_SHEET,
    cols([
      ...SCOPE_HEADERS,
      '指标 KPI',
      '指标名称 KPI name',
      '目标期间 Target period',
      '目标 Target',
      '本期 Actual',
      '累计 YTD actual',
      '单位 Unit',
      '进度 Progress',
      '同比 YoY',
      '环比 MoM',
      '状态 Status',
      '暂定 Provisional',
    ]),
    s.targets.map((t) => [
      ...scopeCells(names, t.scope_type, t.scope_id),
      t.kpi,
      kpiLabel(t.kpi, plant.names),
      t.target_period,
      targetCell(t, t.unit ?? undefined),
      inUnit(t.actual, t.unit),
      inUnit(t.ytd_actual, t.unit),
      t.unit === null ? null : unitShown(t.unit),
      num(fraction(t.progress_pct), '1'),
      signedPercent(fraction(t.yoy_pct)),
      signedPercent(fraction(t.mom_pct)),
      TRACK_STATUS_LABELS[t.status],
      provisional(t.provisional),
    ]),
  );
}

/** The scorecard's sheets of a file slice, in SCORECARD_SHEETS' order; none without a scorecard. */
export function scorecardSheets(wb: ExcelJS.Workbook, f: FileSlice, plant: Plant, names: Names): void {
  const s = f.scorecard;
  if (s === undefined) return;
  rankingSheet(wb, s, f, plant, names);
  pointsSheet(wb, s, names);
  ledgerSheet(wb, s, names);
  tasksSheet(wb, s, plant, names);
  trackingSheet(wb, s, plant, names);
}
