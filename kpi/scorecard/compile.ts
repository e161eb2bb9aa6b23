/** The responsibility loop's config compiled once: times in epoch ms (site time), defaults applied. */
import type { PlantConfig } from '../../config/schema.ts';
import { parseConfigTime } from '../../config/time.ts';
import type { ScorecardModel } from './model.ts';
import type { Task } from './tasks.ts';

/** A due date means to the end of that day (site time); a date-time means that instant. */
function dueMs(text: string, timeZone: string): number {
  const start = parseConfigTime(text, timeZone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) return start;
  // the next local midnight (a day is 23 to 25 hours long where clocks change)
  const next = new Date(Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10) + 1));
  return parseConfigTime(next.toISOString().slice(0, 10), timeZone);
}

export function compileScorecard(c: PlantConfig): ScorecardModel {
  const tz = c.site.timeZone;
  return {
    ranking: c.ranking.map((g) => ({
      id: g.id,
      ...(g.name === undefined ? {} : { name: g.name }),
      scopeType: g.scopes.type,
      ...(g.scopes.ids === undefined ? {} : { ids: g.scopes.ids }),
      kpi: g.kpi,
      by: g.by,
      better: g.by === 'margin_pct' ? 'higher' : g.better,
    })),
    points: c.points.map((r) => ({
      id: r.id,
      scopes: r.scopes,
      ...(r.kpis === undefined ? {} : { kpis: r.kpis }),
      met: r.met,
      missed: r.missed,
      provisionalFactor: r.provisionalFactor,
    })),
    tasks: c.tasks.map((t): Task => {
      const due = dueMs(t.due, tz);
      // absent: from the start of the (local) year it is due in
      const from = t.from ?? `${localYear(due - 1, tz)}-01-01`;
      return {
        id: t.id,
        title: t.title,
        kind: t.kind,
        owner: t.owner,
        due: t.due,
        dueMs: due,
        fromMs: parseConfigTime(from, tz),
        points: t.points,
        ...(t.close
          ? {
              rule: {
                kpi: t.close.kpi,
                every: t.close.every,
                ...(t.close.max === undefined ? {} : { max: t.close.max }),
                ...(t.close.min === undefined ? {} : { min: t.close.min }),
                consecutive: t.close.consecutive,
              },
            }
          : {}),
      };
    }),
  };
}

/** The local year of an instant. */
function localYear(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(new Date(ms));
}
