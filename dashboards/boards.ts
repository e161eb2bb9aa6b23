/**
 * The Grafana boards, declared once for a site: `npm run dashboards` writes dashboards/boards/*.json from here (for
 * the compose stack's plant, or `--config` another), and a test runs every panel query on its default range
 * against KPI points written "as of now".
 * Data: measurements `kpi` and `kpi_target` (tags kpi, scope_type, scope_id, period_kind; points stamped at the
 * period's start), `completeness`, `reading`, `collector` and `job`; the scorecard board (scorecard-board.ts) reads
 * the scorecard's measurements (kpi/scorecard/lines.ts). See README. Titles are zh-CN with English beside.
 */
import type { PlantConfig } from '../config/schema.ts';
import { kpiLabel } from '../kpi/rows.ts';
import { compileScorecard } from '../kpi/scorecard/compile.ts';
import { hasScorecard } from '../kpi/scorecard/model.ts';
import {
  type BoardDef,
  type BoardSite,
  DAY_FILTER,
  daily,
  MONTH_FILTER,
  type PanelDef,
  type QueryDef,
} from './defs.ts';
import { balancePanels, cemsPanels, recoveryPanels, savingsPanels } from './metering-panels.ts';
import { scorecardBoard } from './scorecard-board.ts';

export type { BoardDef, BoardSite, PanelDef, QueryDef } from './defs.ts';

/** The site as the boards see it, from a parsed plant config. */
export function boardSite(config: PlantConfig): BoardSite {
  const one = (units: string[]) => (new Set(units).size === 1 ? units[0] : undefined);
  const signalUnit = new Map(config.signals.map((s) => [s.id, 'unit' in s ? s.unit : undefined]));
  return {
    timeZone: config.site.timeZone,
    carriers: config.carriers.map((c) => ({ id: c.id, name: c.name, unit: c.unit })),
    outputUnit: one(config.products.map((p) => p.unit)),
    producedUnit: one(
      config.equipment.flatMap((e) => {
        const u = e.producedSignal ? signalUnit.get(e.producedSignal) : undefined;
        return u === undefined ? [] : [u];
      }),
    ),
    scorecard: hasScorecard({ scorecard: compileScorecard(config) }),
    teamSavings: config.baselines.some((b) => b.scope.type === 'team'),
    balances: config.balances.map((b) => ({
      id: b.id,
      name: b.name,
      unit: config.carriers.find((c) => c.id === b.carrier)?.unit ?? '',
      lossAlarmPct: b.lossAlarmPct,
    })),
    recovery: config.recovery.length > 0,
    cems: config.cems === undefined ? undefined : cemsOf(config.cems),
  };
}

/** The pollutants the stacks measure, and those with a limit (exceedance hours), in the order SO2, NOx, particulate. */
function cemsOf(cems: NonNullable<PlantConfig['cems']>): NonNullable<BoardSite['cems']> {
  const all = ['so2', 'nox', 'particulate'] as const;
  const has = (p: (typeof all)[number], limited: boolean) =>
    cems.stacks.some(
      (st) => st.pollutants[p] !== undefined && (!limited || st.pollutants[p].limitMgM3 !== undefined),
    );
  return { pollutants: all.filter((p) => has(p, false)), limited: all.filter((p) => has(p, true)) };
}

/** The last closed month of a KPI per scope: value, unit, provisional flag and month label as table columns. */
function monthTable(where: string, groupBy: string, unit: string, column: string): QueryDef {
  return {
    query: `SELECT last("value") AS "${column}", "unit" AS "单位 unit", "provisional" AS "暂定 provisional", "period" AS "月份 month" FROM "kpi" WHERE ${where} AND ${MONTH_FILTER} GROUP BY ${groupBy}`,
    unit,
    column,
  };
}

/** Target rows of the last closed month, led by the margin to target (percent: comparable across products). */
function targetTable(where: string): QueryDef {
  return {
    query: `SELECT last("margin_pct") AS "余量 margin %", "actual" AS "实际 actual", "target_max" AS "上限 at most", "target_min" AS "下限 at least", "unit" AS "单位 unit", "status" AS "状态 status", "provisional" AS "暂定 provisional", "period" AS "月份 month" FROM "kpi_target" WHERE ${where} AND ${MONTH_FILTER} GROUP BY "scope_type", "scope_id", "kpi"`,
    unit: '%',
    column: '余量 margin %',
    // actual and bounds are in the KPI's own unit, which may differ from row to row: shown as numbers, unit beside
    columnUnits: { '实际 actual': 'ops:none', '上限 at most': 'ops:none', '下限 at least': 'ops:none' },
  };
}

/** The six boards of a site, and its 责任区评比 Scorecard when it declares a responsibility loop. */
export function boards(site: BoardSite): BoardDef[] {
  const tz = ` tz('${site.timeZone}')`;
  const out = site.outputUnit ?? 'unit';
  const intensity = `kgce/${out}`;
  const carrierNames = new Map(site.carriers.flatMap((c) => (c.name ? [[c.id, c.name] as const] : [])));
  const site_ = `"scope_type" = 'site'`;
  return [
    {
      uid: 'plantkpi-energy',
      title: '能耗总览 Energy overview',
      tags: ['plantkpi', 'energy'],
      panels: [
        ...site.carriers.map(
          (c): PanelDef => ({
            title: `${kpiLabel(`energy.${c.id}`, carrierNames)}, ${c.unit} (daily)`,
            type: 'timeseries',
            period: 'day',
            queries: daily('SELECT sum("value")', `${site_} AND "kpi" = 'energy.${c.id}'`, '', tz, c.unit),
          }),
        ),
        {
          title: '综合能耗 Comprehensive energy, tce (daily)',
          type: 'timeseries',
          period: 'day',
          queries: daily('SELECT sum("value")', `${site_} AND "kpi" = 'energy.total'`, '', tz, 'tce'),
        },
        {
          title: '能耗大户 Top consumers, tce (sum of the days shown)',
          type: 'bargauge',
          period: 'day',
          queries: [
            {
              query: `SELECT sum("value") AS "tce" FROM "kpi" WHERE "scope_type" = 'area' AND "kpi" = 'energy.total' AND ${DAY_FILTER} GROUP BY "scope_id"`,
              unit: 'tce',
              column: 'tce',
            },
          ],
          rankBy: 'tce',
        },
        ...balancePanels(site),
        ...recoveryPanels(site),
      ],
    },
    {
      uid: 'plantkpi-carbon',
      title: '碳排放 Carbon',
      tags: ['plantkpi', 'carbon'],
      panels: [
        {
          title: '范围一与范围二排放 CO2 scope 1 and scope 2, tCO2 (daily)',
          type: 'timeseries',
          period: 'day',
          queries: daily(
            'SELECT sum("value")',
            `${site_} AND "kpi" =~ /^emissions\\.co2\\.scope[12]$/`,
            '"kpi"',
            tz,
            'tCO2',
            '$tag_kpi',
          ),
        },
        {
          title: `碳排放强度 Carbon intensity, tCO2/${out} (last closed month)`,
          type: 'table',
          period: 'month',
          queries: [
            monthTable(
              `"kpi" = 'intensity.carbon'`,
              '"scope_type", "scope_id"',
              `tCO2/${out}`,
              '强度 intensity',
            ),
          ],
        },
        {
          title: '强度与目标 Intensities against target, margin % (last closed month)',
          type: 'table',
          period: 'month',
          queries: [targetTable(`"kpi" =~ /^intensity\\./`)],
        },
        ...cemsPanels(site),
      ],
    },
    {
      uid: 'plantkpi-equipment',
      title: '设备效率 Equipment efficiency',
      tags: ['plantkpi', 'oee'],
      panels: [
        {
          title: '设备综合效率 OEE (daily)',
          type: 'timeseries',
          period: 'day',
          queries: daily(
            'SELECT mean("value")',
            `"scope_type" = 'equipment' AND "kpi" = 'oee'`,
            '"scope_id"',
            tz,
            '1',
            '$tag_scope_id',
          ),
        },
        {
          title: 'OEE 损失时间 OEE losses, h (daily, all equipment)',
          type: 'timeseries',
          period: 'day',
          queries: daily(
            'SELECT sum("value")',
            `"scope_type" = 'equipment' AND "kpi" =~ /^oee\\.loss\\./`,
            '"kpi"',
            tz,
            'h',
            '$tag_kpi',
          ),
        },
        {
          title: '开动率、性能与合格品率 OEE, availability, performance, quality (last closed month)',
          type: 'table',
          period: 'month',
          queries: [
            monthTable(
              `"scope_type" = 'equipment' AND "kpi" =~ /^oee(\\.availability|\\.performance|\\.quality)?$/`,
              '"scope_id", "kpi"',
              '1',
              '比率 ratio',
            ),
          ],
        },
        {
          title: '损失时间 Availability, performance and quality losses, h (last closed month)',
          type: 'table',
          period: 'month',
          queries: [
            monthTable(
              `"scope_type" = 'equipment' AND "kpi" =~ /^oee\\.loss\\./`,
              '"scope_id", "kpi"',
              'h',
              '损失 loss h',
            ),
          ],
        },
        {
          title: `单位产品电耗 Specific energy, kWh/${site.producedUnit ?? 'unit'} (last closed month)`,
          type: 'table',
          period: 'month',
          queries: [
            monthTable(
              `"scope_type" = 'equipment' AND "kpi" = 'energy.specific'`,
              '"scope_id"',
              `kWh/${site.producedUnit ?? 'unit'}`,
              '电耗 specific energy',
            ),
          ],
        },
      ],
    },
    {
      uid: 'plantkpi-branches',
      title: '党支部与党员责任区 Branches and responsibility areas',
      tags: ['plantkpi', 'party'],
      variables: [
        {
          name: 'branch',
          label: '党支部 Branch',
          query: `SHOW TAG VALUES FROM "kpi" WITH KEY = "scope_id" WHERE "scope_type" = 'branch'`,
        },
        {
          name: 'area',
          label: '责任区 Area',
          query: `SHOW TAG VALUES FROM "kpi" WITH KEY = "scope_id" WHERE "scope_type" = 'area'`,
        },
      ],
      panels: [
        {
          title: '支部综合能耗 Branch comprehensive energy, tce (daily)',
          type: 'timeseries',
          period: 'day',
          queries: daily(
            'SELECT sum("value")',
            `"scope_type" = 'branch' AND "scope_id" =~ /^$branch$/ AND "kpi" = 'energy.total'`,
            '"scope_id"',
            tz,
            'tce',
            '$tag_scope_id',
          ),
        },
        {
          title: `责任区单位产品能耗 $area energy intensity, ${intensity} (daily)`,
          type: 'timeseries',
          period: 'day',
          repeat: 'area',
          queries: daily(
            'SELECT mean("value")',
            `"scope_type" = 'area' AND "scope_id" =~ /^$area$/ AND "kpi" = 'intensity.energy'`,
            '"scope_id"',
            tz,
            intensity,
            '$tag_scope_id',
          ),
        },
        {
          title: '目标达成 Branch and area targets, margin % (last closed month)',
          type: 'table',
          period: 'month',
          queries: [targetTable(`"scope_type" =~ /^(branch|area)$/`)],
        },
        {
          title: '责任区排名 Area ranking by margin to the energy intensity target, % (last closed month)',
          type: 'bargauge',
          period: 'month',
          queries: [
            {
              query: `SELECT last("margin_pct") AS "余量 margin %" FROM "kpi_target" WHERE "scope_type" = 'area' AND "kpi" = 'intensity.energy' AND ${MONTH_FILTER} GROUP BY "scope_id"`,
              unit: '%',
              column: '余量 margin %',
            },
          ],
          rankBy: '余量 margin %',
        },
      ],
    },
    {
      uid: 'plantkpi-teams',
      title: '党员突击队 Assault teams',
      tags: ['plantkpi', 'party'],
      variables: [
        {
          name: 'team',
          label: '突击队 Team',
          query: `SHOW TAG VALUES FROM "kpi" WITH KEY = "scope_id" WHERE "scope_type" = 'team'`,
        },
      ],
      panels: [
        {
          title: '突击队能耗与产量 Team energy, output and intensity (last closed month)',
          type: 'table',
          period: 'month',
          merge: true,
          queries: [
            {
              query: `SELECT last("value") AS "综合能耗 energy tce", "provisional" AS "暂定 provisional", "period" AS "月份 month" FROM "kpi" WHERE "scope_type" = 'team' AND "kpi" = 'energy.total' AND ${MONTH_FILTER} GROUP BY "scope_id"`,
              unit: 'tce',
              column: '综合能耗 energy tce',
            },
            {
              query: `SELECT last("value") AS "产量 output ${out}" FROM "kpi" WHERE "scope_type" = 'team' AND "kpi" =~ /^output\\./ AND ${MONTH_FILTER} GROUP BY "scope_id"`,
              unit: out,
              column: `产量 output ${out}`,
            },
            {
              query: `SELECT last("value") AS "单位产品能耗 intensity ${intensity}" FROM "kpi" WHERE "scope_type" = 'team' AND "kpi" = 'intensity.energy' AND ${MONTH_FILTER} GROUP BY "scope_id"`,
              unit: intensity,
              column: `单位产品能耗 intensity ${intensity}`,
            },
          ],
        },
        {
          title: `突击队强度趋势 $team energy intensity, ${intensity} (daily)`,
          type: 'timeseries',
          period: 'day',
          repeat: 'team',
          queries: daily(
            'SELECT mean("value")',
            `"scope_type" = 'team' AND "scope_id" =~ /^$team$/ AND "kpi" = 'intensity.energy'`,
            '"scope_id"',
            tz,
            intensity,
            '$tag_scope_id',
          ),
        },
        {
          title: '突击队目标 Team results against target, margin % (last closed month)',
          type: 'table',
          period: 'month',
          queries: [targetTable(`"scope_type" = 'team'`)],
        },
        ...savingsPanels(site),
      ],
    },
    {
      uid: 'plantkpi-pipeline',
      title: '数据管道健康 Pipeline health',
      tags: ['plantkpi', 'ops'],
      panels: [
        {
          title: '读数 Readings stored per interval',
          type: 'timeseries',
          period: 'live',
          queries: [
            {
              query: `SELECT count("value") FROM "reading" WHERE $timeFilter GROUP BY time($__interval) fill(none)${tz}`,
              unit: 'ops:short',
            },
          ],
        },
        {
          title: '缓存 Spool bytes and age',
          type: 'timeseries',
          period: 'live',
          queries: [
            {
              query: `SELECT last("spool_bytes") AS "bytes" FROM "collector" WHERE $timeFilter GROUP BY time($__interval) fill(none)${tz}`,
              unit: 'ops:bytes',
            },
            {
              query: `SELECT last("spool_age_s") AS "age" FROM "collector" WHERE $timeFilter GROUP BY time($__interval) fill(none)${tz}`,
              unit: 'ops:s',
            },
          ],
        },
        {
          title: '死信与重试 Dead letters and retries',
          type: 'stat',
          period: 'live',
          queries: [
            {
              query: `SELECT last("dead_lettered") AS "dead letters", last("retries") AS "retries", last("reconnects") AS "reconnects" FROM "collector" WHERE $timeFilter`,
              unit: 'ops:short',
            },
          ],
        },
        {
          title: '作业结果 Job outcomes',
          type: 'table',
          period: 'live',
          queries: [
            {
              query: `SELECT count("duration_ms") AS "jobs", mean("duration_ms") AS "mean ms" FROM "job" WHERE $timeFilter GROUP BY "status", "kind"`,
              unit: 'ops:short',
              column: 'jobs',
              columnUnits: { 'mean ms': 'ops:ms' },
            },
          ],
        },
        {
          title: '数据完整率 Completeness per meter (daily)',
          type: 'timeseries',
          period: 'day',
          queries: [
            {
              query: `SELECT min("ratio") FROM "completeness" WHERE ${DAY_FILTER} GROUP BY time(1d), "signal" fill(none)${tz}`,
              unit: '1',
              alias: '$tag_signal',
            },
          ],
        },
      ],
    },
    ...(site.scorecard ? [scorecardBoard()] : []),
  ];
}
