/**
 * Metering balances (计量平衡), pure: per balance and period, the main meter, the sum of its submeters, the unmetered
 * remainder (main − submetered, in the carrier's unit) and the loss rate (unmetered / main × 100), with an alarm row
 * when the loss rate is above the balance's `lossAlarmPct`.
 *
 * Scope: the rows are the site's (scope_type `site`, the site id) and carry the balance id in the KPI name,
 * `balance.<id>.loss_pct`. A balance is a tree of meters, not a place in the organisation: it holds no assignments,
 * does not roll up into branches, and a new scope kind would reach every consumer of `ScopeType` (target scopes,
 * the workbook's sheets, the branch slices, the boards) with rows they do not know where to put. As site rows they
 * reach the sinks, the CLI, the CSV and the site sheet as they are, and a target (`kpi: balance.EB-1.loss_pct`,
 * scope site) works on them like on any other site KPI.
 */
import type { PlantConfig } from '../config/schema.ts';
import type { Period } from '../transforms/periods.ts';
import type { SignalAmounts } from './amounts.ts';
import type { Plant } from './plant.ts';
import type { KpiRow } from './rows.ts';

export interface Balance {
  id: string;
  name?: string;
  carrier: string;
  /** the main meter */
  main: string;
  /** direct submeters: signals, and the main meters of nested balances */
  submeters: readonly string[];
  /** alarm when the loss rate (%) is above this */
  lossAlarmPct?: number;
}

/** The measures of a balance, as the last part of its KPI names. */
export const BALANCE_MEASURES = ['main', 'submetered', 'unmetered', 'loss_pct', 'alarm'] as const;
export type BalanceMeasure = (typeof BALANCE_MEASURES)[number];

export function balanceKpi(id: string, measure: BalanceMeasure): string {
  return `balance.${id}.${measure}`;
}

/** Nested balances resolve to their main meter (validation has refused unknown ids and cycles). */
export function compileBalances(config: PlantConfig): Balance[] {
  const mains = new Map(config.balances.map((b) => [b.id, b.main]));
  return config.balances.map((b) => ({
    id: b.id,
    ...(b.name === undefined ? {} : { name: b.name }),
    carrier: b.carrier,
    main: b.main,
    submeters: b.submeters.map((s) => ('signal' in s ? s.signal : mains.get(s.balance)!)),
    ...(b.lossAlarmPct === undefined ? {} : { lossAlarmPct: b.lossAlarmPct }),
  }));
}

export interface BalanceValues {
  main: number;
  submetered: number;
  unmetered: number;
  /** null when the main meter shows nothing (no rate of nothing) */
  lossPct: number | null;
  /** null without a threshold or a loss rate */
  alarm: boolean | null;
}

/** The arithmetic of one balance (55,100,000 over 55,013,524 kWh: 86,476 kWh unmetered, 0.157 %). */
export function balanceValues(
  main: number,
  submeters: readonly number[],
  lossAlarmPct?: number,
): BalanceValues {
  const submetered = submeters.reduce((a, b) => a + b, 0);
  const unmetered = main - submetered;
  const lossPct = main > 0 ? (unmetered / main) * 100 : null;
  const alarm = lossAlarmPct === undefined || lossPct === null ? null : lossPct > lossAlarmPct;
  return { main, submetered, unmetered, lossPct, alarm };
}

/** Every balance's rows for a period; a row is provisional when a meter of its level is in `low`. */
export function balanceRows(
  plant: Plant,
  amounts: ReadonlyMap<string, SignalAmounts>,
  period: Period,
  low: ReadonlySet<string>,
): KpiRow[] {
  const rows: KpiRow[] = [];
  const total = (id: string) => {
    let sum = 0;
    for (const x of amounts.get(id)?.amounts ?? []) sum += x;
    return sum;
  };
  for (const b of plant.balances) {
    const unit = plant.carriers.get(b.carrier)!.unit;
    const v = balanceValues(total(b.main), b.submeters.map(total), b.lossAlarmPct);
    const provisional = [b.main, ...b.submeters].some((s) => low.has(s) || !amounts.has(s));
    const row = (measure: BalanceMeasure, value: number, rowUnit: string) =>
      rows.push({
        kpi: balanceKpi(b.id, measure),
        scope_type: 'site',
        scope_id: plant.site.id,
        period: period.label,
        value,
        unit: rowUnit,
        provisional,
      });
    row('main', v.main, unit);
    row('submetered', v.submetered, unit);
    row('unmetered', v.unmetered, unit);
    if (v.lossPct !== null) row('loss_pct', v.lossPct, '%');
    // 1 marks the period's loss rate as above the threshold; a count unit so that it reads 0 or 1, never 100 %
    if (v.alarm !== null) row('alarm', v.alarm ? 1 : 0, 'pcs');
  }
  return rows;
}
