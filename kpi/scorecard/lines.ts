/**
 * A scorecard as InfluxDB points, for the 责任区评比 Scorecard board. Every point is stamped with the start of the
 * scorecard's period (in the plant's zone), so a recompute of the period overwrites its points instead of adding
 * to them. Fields that are null are left out (InfluxDB has no null). Integers are written as integers (`3i`):
 * InfluxDB refuses a field whose type changes.
 *   `scorecard_rank`  tags: site, group, kpi, scope_type, scope_id, period_kind
 *     fields: rank (integer; absent when unranked), ranked (integer 0/1), margin_pct (a group by margin) or value (a
 *     group by value), period
 *   `scorecard_points`  tags: site, scope_type, scope_id, period_kind  (every scope of the scorecard, 0 included)
 *     fields: points = target_points + task_points + manual_points (the scope's own entries by source)
 *     + rolled_up_points (its areas' or branches'), period
 *   `task_status`  tags: site, task, kind, owner_type, owner_id, period_kind
 *     fields: status (open, closed, overdue), status_code (integer, TASK_STATUS_CODES), title, due (the due day in
 *     the plant's zone, or its local date and time), closed_period, on_time (bool), evidence, period
 *   `target_track`  tags: site, kpi, scope_type, scope_id, period_kind, target_period
 *     fields: target_max, target_min, actual, ytd_actual, to_date_actual, elapsed_pct, progress_pct, margin_pct,
 *     status, prev_year, yoy_pct, prev_period, mom_pct, unit, provisional (bool), period
 * A point written again merges its fields with the earlier one's: a field that turns null in a recompute keeps its
 * earlier value in InfluxDB, so `ranked` (always written) says whether `rank` counts.
 */
import { integer, type LinePoint, pointLine } from '../../store/influx/line-protocol.ts';
import { parsePeriod } from '../../transforms/periods.ts';
import type { Scorecard } from './build.ts';
import type { LedgerEntry } from './points.ts';
import type { TaskStatus } from './tasks.ts';

export const RANK_MEASUREMENT = 'scorecard_rank';
export const POINTS_MEASUREMENT = 'scorecard_points';
export const TASK_MEASUREMENT = 'task_status';
export const TRACK_MEASUREMENT = 'target_track';

/** A task's status as the integer the board colours by. */
export const TASK_STATUS_CODES: Readonly<Record<TaskStatus['status'], number>> = {
  open: 0,
  closed: 1,
  overdue: 2,
};

type Fields = LinePoint['fields'];

/** The fields whose value is not null or undefined. */
function present(fields: Record<string, Fields[string] | null | undefined>): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/** Numbers summed in another order differ in their last bits: 12 significant digits are what points carry. */
const clean = (x: number) => Number(x.toPrecision(12)) || 0;

function ownPoints(ledger: readonly LedgerEntry[], period: string) {
  const own = new Map<string, Record<LedgerEntry['source'], number>>();
  for (const e of ledger) {
    if (e.period !== period) continue;
    const k = `${e.scope_type}|${e.scope_id}`;
    const sums = own.get(k) ?? { target: 0, task: 0, manual: 0 };
    sums[e.source] += e.points;
    own.set(k, sums);
  }
  return own;
}

/** The scorecard's points for InfluxDB (see the head of this file); `kind` is the period's kind (month). */
export function scorecardLines(s: Scorecard, kind: string, site: string, timeZone: string): string[] {
  const timeMs = parsePeriod(s.period, timeZone).startMs;
  const point = (measurement: string, tags: Record<string, string>, fields: Fields) =>
    pointLine({ measurement, tags: { site, ...tags, period_kind: kind }, fields, timeMs });

  const ranks = s.ranking.map((r) =>
    point(
      RANK_MEASUREMENT,
      { group: r.group, kpi: r.kpi, scope_type: r.scope_type, scope_id: r.scope_id },
      present({
        rank: r.rank === null ? null : integer(r.rank),
        ranked: integer(r.rank === null ? 0 : 1),
        margin_pct: r.margin_pct,
        value: r.value,
        period: s.period,
      }),
    ),
  );

  const own = ownPoints(s.ledger, s.period);
  const points = s.points.map((p) => {
    const o = own.get(`${p.scope_type}|${p.scope_id}`) ?? { target: 0, task: 0, manual: 0 };
    return point(
      POINTS_MEASUREMENT,
      { scope_type: p.scope_type, scope_id: p.scope_id },
      {
        points: p.points,
        target_points: clean(o.target),
        task_points: clean(o.task),
        manual_points: clean(o.manual),
        rolled_up_points: clean(p.points - o.target - o.task - o.manual),
        period: s.period,
      },
    );
  });

  const tasks = s.tasks.map((t) =>
    point(
      TASK_MEASUREMENT,
      { task: t.id, kind: t.kind, owner_type: t.owner_type, owner_id: t.owner_id },
      present({
        status: t.status,
        status_code: integer(TASK_STATUS_CODES[t.status]),
        title: t.title,
        due: t.due,
        closed_period: t.closed_period,
        on_time: t.on_time,
        evidence: t.evidence,
        period: s.period,
      }),
    ),
  );

  const tracked = s.targets.map((t) =>
    point(
      TRACK_MEASUREMENT,
      { kpi: t.kpi, scope_type: t.scope_type, scope_id: t.scope_id, target_period: t.target_period },
      present({
        target_max: t.target_max,
        target_min: t.target_min,
        actual: t.actual,
        ytd_actual: t.ytd_actual,
        to_date_actual: t.to_date_actual,
        elapsed_pct: t.elapsed_pct,
        progress_pct: t.progress_pct,
        margin_pct: t.margin_pct,
        status: t.status,
        prev_year: t.prev_year,
        yoy_pct: t.yoy_pct,
        prev_period: t.prev_period,
        mom_pct: t.mom_pct,
        unit: t.unit,
        provisional: t.provisional,
        period: s.period,
      }),
    ),
  );
  return [...ranks, ...points, ...tasks, ...tracked];
}
