/**
 * Baselines compiled once: the baseline period in epoch ms (site time), each team's activity, the start of the
 * cumulative savings. `baselineSpan` reads a baseline's period text; validate-baseline.ts uses it too, so a period
 * is read in one place.
 */

import type { PlantConfig, ScopeTypeName } from '../../config/schema.ts';
import type { BaselineConfig, BaselineDriverConfig } from '../../config/schema-baseline.ts';
import { parseConfigTime } from '../../config/time.ts';
import { PeriodError, parsePeriod } from '../../transforms/periods.ts';

export type Driver = BaselineDriverConfig;

export interface Baseline {
  id: string;
  name?: string;
  scope: { type: ScopeTypeName; id: string };
  /** energy.<carrier> or energy.total */
  energy: string;
  /** the baseline period [startMs, endMs) and how it was written */
  startMs: number;
  endMs: number;
  periodText: string;
  granularity: 'day' | 'month';
  model: { type: 'ratio' | 'regression'; drivers: Driver[] };
  /** when the scope is active: a team's from/to; ±Infinity for other scopes */
  activeFromMs: number;
  activeToMs: number;
  /** cumulative savings count from the first whole period at or after this */
  savingsFromMs: number;
}

const MONTHS = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/;

/**
 * [startMs, endMs) of a baseline's period: `period` as plantkpi reads a period (a year, quarter, month, day or
 * 'FROM..TO'), 'YYYY-MM..YYYY-MM' as whole months (both ends included), or `from`/`to`. Throws a PeriodError (or
 * the config time's error) that says what is wrong.
 */
export function baselineSpan(
  b: Pick<BaselineConfig, 'period' | 'from' | 'to'>,
  timeZone: string,
): { startMs: number; endMs: number; text: string } {
  if ((b.period === undefined) === (b.from === undefined || b.to === undefined)) {
    throw new PeriodError(
      '基准期须写 period 或 from/to a baseline needs period, or both from and to (not both forms)',
    );
  }
  if (b.period === undefined) {
    const startMs = parseConfigTime(b.from!, timeZone);
    const endMs = parseConfigTime(b.to!, timeZone);
    if (endMs <= startMs) throw new PeriodError(`'to' (${b.to}) is not after 'from' (${b.from})`);
    return { startMs, endMs, text: `${b.from}..${b.to}` };
  }
  const m = MONTHS.exec(b.period.trim());
  if (m) {
    const first = parsePeriod(m[1]!, timeZone);
    const last = parsePeriod(m[2]!, timeZone);
    if (last.endMs <= first.startMs)
      throw new PeriodError(`period '${b.period}': the last month is before the first`);
    return { startMs: first.startMs, endMs: last.endMs, text: b.period };
  }
  const p = parsePeriod(b.period, timeZone);
  return { startMs: p.startMs, endMs: p.endMs, text: b.period };
}

/** Compiles the (validated) baselines of a plant config. */
export function compileBaselines(c: PlantConfig): Baseline[] {
  const tz = c.site.timeZone;
  return c.baselines.map((b) => {
    const span = baselineSpan(b, tz);
    const team = b.scope.type === 'team' ? c.organisation.teams.find((t) => t.id === b.scope.id) : undefined;
    const activeFromMs = team ? parseConfigTime(team.from, tz) : Number.NEGATIVE_INFINITY;
    const activeToMs = team?.to ? parseConfigTime(team.to, tz) : Number.POSITIVE_INFINITY;
    const savingsFromMs =
      b.savingsFrom !== undefined ? parseConfigTime(b.savingsFrom, tz) : team ? activeFromMs : span.endMs;
    const drivers = b.model.type === 'ratio' ? [b.model.driver] : b.model.drivers;
    return {
      id: b.id,
      ...(b.name === undefined ? {} : { name: b.name }),
      scope: b.scope,
      energy: b.energy,
      startMs: span.startMs,
      endMs: span.endMs,
      periodText: span.text,
      granularity: b.granularity,
      model: { type: b.model.type, drivers },
      activeFromMs,
      activeToMs,
      savingsFromMs,
    };
  });
}

/** A driver as people read it: 'output.mg', 'mean(T-AMB)', 'HDD18(T-AMB)'. */
export function driverLabel(d: Driver): string {
  if (d.type === 'kpi') return d.kpi;
  if (d.type === 'gauge_mean') return `mean(${d.signal})`;
  return `${d.kind === 'heating' ? 'HDD' : 'CDD'}${d.baseC}(${d.signal})`;
}
