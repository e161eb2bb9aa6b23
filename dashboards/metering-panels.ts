/**
 * The panels of issue 13's KPIs, generated only for a plant that declares them: savings against the teams'
 * baselines (teams board), metering balances and recovered heat (energy board) and CEMS pollutant mass (carbon
 * board). They read the
 * `kpi` measurement like every other panel: the balances and CEMS rows are the site's rows of the engine, the
 * savings rows those the jobs add to a day or month (kpi/baseline/period.ts), each in its baseline's scope.
 */
import type { PollutantName } from '../config/schema-metering.ts';
import { balanceKpi } from '../kpi/balance.ts';
import { kpiLabel } from '../kpi/rows.ts';
import {
  type BoardBalance,
  type BoardSite,
  daily,
  MONTH_FILTER,
  type PanelDef,
  type QueryDef,
} from './defs.ts';

const tzOf = (site: BoardSite) => ` tz('${site.timeZone}')`;

/** Savings per month in tce with the running total, and each team baseline's fit (R², CV(RMSE), NMBE, G14). */
export function savingsPanels(site: BoardSite): PanelDef[] {
  if (!site.teamSavings) return [];
  const team = `"scope_type" = 'team' AND "scope_id" =~ /^$team$/`;
  const monthly = (kpi: string, alias: string): QueryDef => ({
    query: `SELECT "value" FROM "kpi" WHERE ${team} AND "kpi" = '${kpi}' AND ${MONTH_FILTER} GROUP BY "scope_id"`,
    unit: 'tce',
    alias: `$tag_scope_id ${alias}`,
  });
  /** a column of the last closed month, per team */
  const column = (kpi: string, name: string, unit: string, first = false): QueryDef => ({
    query: `SELECT last("value") AS "${name}"${first ? `, "provisional" AS "暂定 provisional", "period" AS "月份 month"` : ''} FROM "kpi" WHERE ${team} AND "kpi" = '${kpi}' AND ${MONTH_FILTER} GROUP BY "scope_id"`,
    unit,
    column: name,
  });
  const pass = '符合 G14 within ASHRAE G14';
  return [
    {
      title: '突击队节能量 Team savings against the baseline, tce (per month, and cumulative)',
      type: 'timeseries',
      period: 'month',
      queries: [
        monthly('savings.tce', '节能量 savings'),
        monthly('savings.cumulative.tce', '累计节能量 cumulative'),
      ],
    },
    {
      title: '突击队能耗基准 Team baselines: fit against ASHRAE Guideline 14, savings (last closed month)',
      type: 'table',
      period: 'month',
      merge: true,
      queries: [
        {
          ...column('baseline.pass', pass, 'flag', true),
          columnLabels: {
            [pass]: {
              '1': { text: '符合 within', color: 'green' },
              '0': { text: '不符合 outside: indicative only', color: 'red' },
            },
          },
        },
        column('baseline.r2', 'R²', 'R2'),
        column('baseline.cvrmse_pct', 'CV(RMSE) %', '%'),
        column('baseline.nmbe_pct', 'NMBE %', '%'),
        column('savings.tce', '节能量 savings tce', 'tce'),
        column('savings.pct', '节能率 savings %', '%'),
      ],
    },
  ];
}

const balanceName = (b: BoardBalance) => b.name ?? b.id;

/**
 * Per balance its loss rate per day and per month (red above its `lossAlarmPct`), and its unmetered remainder per
 * day, one panel per carrier unit (kWh and Nm3 never share an axis).
 */
export function balancePanels(site: BoardSite): PanelDef[] {
  if (site.balances.length === 0) return [];
  const where = (b: BoardBalance, m: 'loss_pct' | 'unmetered') =>
    `"scope_type" = 'site' AND "kpi" = '${balanceKpi(b.id, m)}'`;
  const units = [...new Set(site.balances.map((b) => b.unit))];
  return [
    {
      title: '计量平衡损耗率 Metering balance loss rate, % (daily; red above the alarm threshold)',
      type: 'timeseries',
      period: 'day',
      queries: site.balances.flatMap((b) =>
        daily(
          'SELECT last("value")',
          where(b, 'loss_pct'),
          '',
          tzOf(site),
          '%',
          balanceName(b),
          b.lossAlarmPct,
        ),
      ),
    },
    {
      title: '计量平衡损耗率 Metering balance loss rate, % (per month; red above the alarm threshold)',
      type: 'timeseries',
      period: 'month',
      queries: site.balances.map((b) => ({
        query: `SELECT "value" FROM "kpi" WHERE ${where(b, 'loss_pct')} AND ${MONTH_FILTER}`,
        unit: '%',
        alias: balanceName(b),
        ...(b.lossAlarmPct === undefined ? {} : { alarmAbove: b.lossAlarmPct }),
      })),
    },
    ...units.map(
      (unit): PanelDef => ({
        title: `未计量差额 Unmetered remainder (main − submeters), ${unit} (daily)`,
        type: 'timeseries',
        period: 'day',
        queries: site.balances
          .filter((b) => b.unit === unit)
          .flatMap((b) =>
            daily('SELECT last("value")', where(b, 'unmetered'), '', tzOf(site), unit, balanceName(b)),
          ),
      }),
    ),
  ];
}

/** The site's pollutant mass per day (all stacks) and, for pollutants with a limit, the exceedance hours. */
export function cemsPanels(site: BoardSite): PanelDef[] {
  if (site.cems === undefined) return [];
  const per = (ps: readonly PollutantName[], measure: 'mass' | 'exceedance_hours', unit: string) =>
    ps.flatMap((p) =>
      daily(
        'SELECT sum("value")',
        `"scope_type" = 'site' AND "kpi" = 'emissions.${p}.${measure}'`,
        '',
        tzOf(site),
        unit,
        kpiLabel(`emissions.${p}.${measure}`),
      ),
    );
  return [
    {
      title: '污染物排放量 Pollutant mass (SO2, NOx, particulate), kg (daily, all stacks)',
      type: 'timeseries',
      period: 'day',
      queries: per(site.cems.pollutants, 'mass', 'kg'),
    },
    ...(site.cems.limited.length === 0
      ? []
      : [
          {
            title: '超标小时 Exceedance hours at the reference O2, h (daily)',
            type: 'timeseries',
            period: 'day',
            queries: per(site.cems.limited, 'exceedance_hours', 'h'),
          } satisfies PanelDef,
        ]),
  ];
}

/**
 * Recovered waste heat (余热回收): the site's GJ per day, and a table of the last closed month per holder (the site
 * and the areas or teams a recovery names): heat recovered, recovery rate, fuel displaced and CO2 avoided.
 */
export function recoveryPanels(site: BoardSite): PanelDef[] {
  if (!site.recovery) return [];
  const holder = (kpi: string, name: string, unit: string, first = false): QueryDef => ({
    query: `SELECT last("value") AS "${name}"${first ? `, "provisional" AS "暂定 provisional", "period" AS "月份 month"` : ''} FROM "kpi" WHERE "kpi" = '${kpi}' AND ${MONTH_FILTER} GROUP BY "scope_type", "scope_id"`,
    unit,
    column: name,
  });
  return [
    {
      title: '余热回收量 Recovered waste heat, GJ (daily, site)',
      type: 'timeseries',
      period: 'day',
      queries: daily(
        'SELECT sum("value")',
        `"scope_type" = 'site' AND "kpi" = 'heat.recovered'`,
        '',
        tzOf(site),
        'GJ',
        kpiLabel('heat.recovered'),
      ),
    },
    {
      title: '余热回收 Waste-heat recovery: heat, rate, fuel displaced, CO2 avoided (last closed month)',
      type: 'table',
      period: 'month',
      merge: true,
      queries: [
        holder('heat.recovered', '回收热量 recovered GJ', 'GJ', true),
        holder('heat.recovery_rate', '回收率 rate %', '%'),
        holder('heat.displaced_fuel', '替代燃料 displaced tce', 'tce'),
        holder('emissions.co2.avoided', '减排 avoided tCO2', 'tCO2'),
      ],
    },
  ];
}
