/**
 * The pages' inputs from the domain: a plant, the period's scorecard and KPI results. Pure (the caller computes the
 * scorecard and the runs, as `plantkpi scorecard` does); the render functions then only read what these return.
 */
import type { Plant, Scope } from '../../kpi/plant.ts';
import { scopeNames } from '../../kpi/present.ts';
import type { KpiRow, PeriodResult } from '../../kpi/rows.ts';
import type { Scorecard } from '../../kpi/scorecard/build.ts';
import { branchScorecard } from '../../kpi/scorecard/slice.ts';
import { TREND_KPIS } from './area.ts';
import type { AreaPage, BranchesPage, BranchPage, BranchSummary, PageNames, ScopeRef } from './types.ts';

export function pageNames(plant: Plant): PageNames {
  const groups = new Map(plant.scorecard.ranking.map((g) => [g.id, g.name ?? g.id]));
  return { scopes: scopeNames(plant), labels: plant.names, groups };
}

const ref = (s: Scope): ScopeRef => ({ type: s.type, id: s.id, name: s.name ?? s.id });

/** The scopes of a branch: itself, its areas and its teams. */
function branchScopes(plant: Plant, branchId: string) {
  const branch = plant.branches.find((b) => b.id === branchId);
  if (!branch) return null;
  return {
    branch,
    areas: plant.areas.filter((a) => a.parent === branchId),
    teams: plant.teams.filter((t) => t.parent === branchId),
  };
}

/** null when the plant has no such branch (a 404). */
export function branchPageData(
  plant: Plant,
  scorecard: Scorecard,
  result: PeriodResult,
  branchId: string,
): BranchPage | null {
  const s = branchScopes(plant, branchId);
  if (!s) return null;
  const mine = new Set([s.branch, ...s.areas, ...s.teams].map((x) => `${x.type}|${x.id}`));
  return {
    branch: ref(s.branch),
    areas: s.areas.map(ref),
    teams: s.teams.map(ref),
    scorecard: branchScorecard(scorecard, plant, branchId),
    kpis: result.kpis.filter((k) => mine.has(`${k.scope_type}|${k.scope_id}`)),
    manualTasks: plant.scorecard.tasks.filter((t) => t.rule === undefined).map((t) => t.id),
    names: pageNames(plant),
  };
}

/** The trend KPIs' rows of one scope, day by day. */
export function dailyRows(days: readonly PeriodResult[], type: string, id: string): KpiRow[] {
  const keep = new Set<string>(TREND_KPIS);
  return days.flatMap((d) =>
    d.kpis.filter((k) => k.scope_type === type && k.scope_id === id && keep.has(k.kpi)),
  );
}

/** null when the plant has no such area (a 404). `days`: the period's runs per day (kpi/run.ts runDays). */
export function areaPageData(
  plant: Plant,
  scorecard: Scorecard,
  result: PeriodResult,
  days: readonly PeriodResult[],
  areaId: string,
): AreaPage | null {
  const area = plant.areas.find((a) => a.id === areaId);
  if (!area) return null;
  const branch = plant.branches.find((b) => b.id === area.parent);
  const mine = (r: { scope_type: string; scope_id: string }) =>
    r.scope_type === 'area' && r.scope_id === areaId;
  const quality = new Map(result.quality.map((q) => [q.signal, q]));
  // a meter assigned in pieces (a share changing in the period) is listed once, with its latest share
  const shares = new Map<string, number>();
  for (const m of [...area.meters].sort((a, b) => a.fromMs - b.fromMs)) shares.set(m.signal, m.share);
  return {
    area: ref(area),
    branch: branch ? ref(branch) : null,
    kpis: result.kpis.filter(mine),
    targets: result.targets.filter(mine),
    tracked: scorecard.targets.filter(mine),
    daily: dailyRows(days, 'area', areaId),
    meters: [...shares].map(([signal, share]) => {
      const q = quality.get(signal);
      return {
        signal,
        name: plant.signals.get(signal)?.name ?? signal,
        share,
        completeness: q?.completeness ?? null,
        provisional: q === undefined || q.completeness < plant.provisionalBelow,
      };
    }),
    provisionalBelow: plant.provisionalBelow,
    names: pageNames(plant),
  };
}

/** Every branch's standing, in config order, and the scopes points may be awarded to. */
export function branchesPageData(plant: Plant, scorecard: Scorecard): BranchesPage {
  const names = pageNames(plant);
  const branches = plant.branches.map((b): BranchSummary => {
    const own = branchScorecard(scorecard, plant, b.id);
    const count = (s: string) => own.tasks.filter((t) => t.status === s).length;
    return {
      branch: ref(b),
      ranks: scorecard.ranking
        .filter((r) => r.scope_type === 'branch' && r.scope_id === b.id)
        .map((r) => ({
          group: r.group,
          groupName: names.groups.get(r.group) ?? r.group,
          kpi: r.kpi,
          rank: r.rank,
        })),
      points: own.points.find((p) => p.scope_type === 'branch' && p.scope_id === b.id)?.points ?? 0,
      targets: {
        met: own.targets.filter((t) => t.status === 'met' || t.status === 'on_track').length,
        total: own.targets.length,
      },
      tasks: { open: count('open'), overdue: count('overdue'), closed: count('closed') },
    };
  });
  return { branches, awardScopes: [...plant.branches, ...plant.areas, ...plant.teams].map(ref) };
}
