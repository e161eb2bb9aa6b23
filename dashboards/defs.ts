/**
 * What a board is made of, shared by the boards' declarations (boards.ts, scorecard-board.ts) and the Grafana JSON
 * writer (grafana.ts): the site as the boards see it, boards, panels, queries, their default ranges and filters.
 */

import type { PollutantName } from '../config/schema-metering.ts';

/** What the boards need to know of a site (boardSite reads it from the plant config). */
export interface BoardSite {
  /** IANA zone: days are grouped on its midnights (InfluxQL tz()) and the boards' clock and date math use it */
  timeZone: string;
  /** carriers with their unit and name: one daily panel per carrier, so kWh and Nm3 never share an axis */
  carriers: readonly { id: string; name?: string | undefined; unit: string }[];
  /** the unit every product's output is counted in, when they share one (intensities are kgce/<unit>) */
  outputUnit: string | undefined;
  /** the unit equipment output is counted in, when every producing machine shares one (kWh/<unit>) */
  producedUnit: string | undefined;
  /** the plant declares a responsibility loop (ranking, points or tasks): the 责任区评比 Scorecard board */
  scorecard: boolean;
  /** a baseline of a team (baselines:): the savings panels on the teams board */
  teamSavings: boolean;
  /** metering balances (balances:): loss rate and unmetered panels on the energy board */
  balances: readonly BoardBalance[];
  /** waste-heat recovery (recovery:): the recovered heat panels on the energy board */
  recovery: boolean;
  /** CEMS stacks (cems:): pollutant panels on the carbon board; exceedance hours of the pollutants with a limit */
  cems: { pollutants: readonly PollutantName[]; limited: readonly PollutantName[] } | undefined;
}

export interface BoardBalance {
  id: string;
  name?: string | undefined;
  /** the balanced carrier's unit (the unmetered remainder's) */
  unit: string;
  /** the loss rate (%) above which the balance's row is marked (red on the boards) */
  lossAlarmPct?: number | undefined;
}

export interface QueryDef {
  /** InfluxQL with Grafana's `$timeFilter`, `$__interval` and the board's variables */
  query: string;
  /**
   * the unit of the values it returns: a KPI unit as the sink writes it (kWh, tce, kgce/t, 1, h, %), shown as
   * kpi/present.ts says; `ops:<grafana unit>` for the pipeline's own counters (ops:short, ops:bytes, ops:ms)
   */
  unit: string;
  /** the table column (alias) the unit applies to, when a table shows several units */
  column?: string;
  /** units of further columns of the same query (a target's actual and bounds: `ops:none`, their unit beside) */
  columnUnits?: Record<string, string>;
  /** values of a column shown as words, coloured (a status code): column -> value -> label and colour */
  columnLabels?: Record<string, Record<string, { text: string; color?: string }>>;
  /** these are the provisional points of the query before: drawn as marks over its line */
  provisional?: boolean;
  /** Grafana's series alias ($tag_kpi) */
  alias?: string;
  /** its series red above this value (a threshold line and area): a balance's loss alarm */
  alarmAbove?: number;
}

export interface PanelDef {
  title: string;
  type: 'timeseries' | 'table' | 'stat' | 'bargauge';
  /** 'day': daily points on the board's range; 'month': monthly points on MONTH_RANGE; 'live': the board's range */
  period: 'day' | 'month' | 'live';
  queries: QueryDef[];
  /** one panel per value of this variable (each with its own axis) */
  repeat?: string;
  /** a table of several queries merged into one row per scope */
  merge?: boolean;
  /** bars or rows sorted by this column, largest first (a ranking) */
  rankBy?: string;
  /** rankBy holds a rank number: smallest (1) first */
  rankAscending?: boolean;
}

export interface BoardDef {
  uid: string;
  title: string;
  tags: string[];
  variables?: { name: string; label: string; query: string }[];
  panels: PanelDef[];
}

/** The boards' default range: the last 30 days, for the daily panels and the pipeline's own counters. */
export const BOARD_RANGE = { from: 'now-30d', to: 'now' } as const;
/**
 * The monthly panels' range (a panel relative time): from the start of the month twelve months back to now, so the
 * last closed month (stamped at its start, up to 62 days back) and the eleven before it are always in, January
 * included; the month still running has no points yet (the month job runs once it has closed).
 */
export const MONTH_RANGE = 'now-12M/M';

/** InfluxQL: the daily points on the panel's range */
export const DAY_FILTER = `"period_kind" = 'day' AND $timeFilter`;
/** InfluxQL: the monthly points on the panel's range */
export const MONTH_FILTER = `"period_kind" = 'month' AND $timeFilter`;

export const PROVISIONAL = `"provisional" = true`;

/** A daily series of `kpi` and its provisional points (the same query on the provisional rows only). */
export function daily(
  select: string,
  where: string,
  groupBy: string,
  tz: string,
  unit: string,
  alias?: string,
  alarmAbove?: number,
): QueryDef[] {
  const group = `GROUP BY time(1d)${groupBy ? `, ${groupBy}` : ''} fill(none)${tz}`;
  const a = alias ? { alias } : {};
  return [
    {
      query: `${select} FROM "kpi" WHERE ${where} AND ${DAY_FILTER} ${group}`,
      unit,
      ...a,
      ...(alarmAbove === undefined ? {} : { alarmAbove }),
    },
    {
      query: `${select} FROM "kpi" WHERE ${where} AND ${PROVISIONAL} AND ${DAY_FILTER} ${group}`,
      unit,
      provisional: true,
      alias: `暂定 provisional${alias ? ` ${alias}` : ''}`,
    },
  ];
}
