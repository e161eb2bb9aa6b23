/**
 * What one export file holds: the site's file everything; a branch's file its own scopes (the branch, its areas,
 * its teams, the equipment of its areas), the meters they rest on, the carriers of those meters, the scopes its
 * summary opens with and its share of the scorecard (kpi/scorecard/slice.ts). Pure.
 */
import { type Plant, physicalSignals, type Scope } from '../plant.ts';
import type { PeriodResult, ScopeKind } from '../rows.ts';
import type { Scorecard } from '../scorecard/build.ts';
import { branchScorecard } from '../scorecard/slice.ts';

export interface FileSlice {
  /** the file's name part: the site's or the branch's id */
  id: string;
  month: PeriodResult;
  /** the month's days, each sliced as the month */
  days: PeriodResult[];
  /** the scopes the summary sheet lists, in order: the file's own scope first */
  heads: Scope[];
  /** the carriers of the meters the file rests on (its factors) */
  carriers: Set<string>;
  /** the month's scorecard, the file's share of it; absent when the export was given none */
  scorecard?: Scorecard;
}

function usedCarriers(plant: Plant, signals: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const id of signals) {
    const c = plant.signals.get(id)?.carrier;
    if (c !== undefined) out.add(c);
  }
  return out;
}

export function siteSlice(
  plant: Plant,
  month: PeriodResult,
  days: readonly PeriodResult[],
  scorecard?: Scorecard,
): FileSlice {
  return {
    id: plant.site.id,
    month,
    days: [...days],
    heads: [plant.site, ...plant.generalBranches, ...plant.branches],
    carriers: usedCarriers(plant, plant.signals.keys()),
    ...(scorecard ? { scorecard } : {}),
  };
}

/** The signals a set of scopes rests on: assigned meters and products, their equipment's signals, virtual parts. */
export function signalsOf(
  plant: Plant,
  scopes: readonly Scope[],
  equipment: ReadonlySet<string>,
): Set<string> {
  const out = new Set<string>();
  const add = (id: string) => {
    out.add(id);
    for (const p of physicalSignals(plant, id)) out.add(p);
  };
  for (const s of scopes) for (const a of [...s.meters, ...s.products]) add(a.signal);
  for (const eq of equipment) {
    const e = plant.equipment.get(eq);
    for (const id of [e?.stateSignal, e?.producedSignal, e?.goodSignal]) if (id !== undefined) add(id);
  }
  for (const [id, s] of plant.signals) if (s.equipment !== undefined && equipment.has(s.equipment)) add(id);
  return out;
}

export function branchSlice(
  plant: Plant,
  branch: Scope,
  month: PeriodResult,
  days: readonly PeriodResult[],
  scorecard?: Scorecard,
): FileSlice {
  const areas = plant.areas.filter((a) => a.parent === branch.id);
  const teams = plant.teams.filter((t) => t.parent === branch.id);
  const areaIds = new Set(areas.map((a) => a.id));
  const teamIds = new Set(teams.map((t) => t.id));
  const equipment = new Set(areas.flatMap((a) => a.equipment.map((e) => e.id)));
  const signals = signalsOf(plant, [...areas, ...teams], equipment);
  const mine = (type: ScopeKind, id: string) =>
    (type === 'branch' && id === branch.id) ||
    (type === 'area' && areaIds.has(id)) ||
    (type === 'team' && teamIds.has(id)) ||
    (type === 'equipment' && equipment.has(id));
  const cut = (r: PeriodResult): PeriodResult => ({
    ...r,
    kpis: r.kpis.filter((k) => mine(k.scope_type, k.scope_id)),
    targets: r.targets.filter((t) => mine(t.scope_type, t.scope_id)),
    quality: r.quality.filter((q) => signals.has(q.signal)),
  });
  return {
    id: branch.id,
    month: cut(month),
    days: days.map(cut),
    heads: [branch, ...areas, ...teams],
    carriers: usedCarriers(plant, signals),
    ...(scorecard ? { scorecard: branchScorecard(scorecard, plant, branch.id) } : {}),
  };
}
