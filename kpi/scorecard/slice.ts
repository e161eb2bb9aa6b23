/**
 * A branch's share of a scorecard: the branch itself, its areas and its teams. Ranks stay those of the whole group
 * (a branch sees where it stands among all, not a re-ranking of its own rows). Used by `plantkpi scorecard --branch`,
 * each branch's export set and the demo's summary.
 */
import { UsageError } from '../../config/errors.ts';
import type { Plant } from '../plant.ts';
import type { Scorecard } from './build.ts';

export function branchScorecard(s: Scorecard, plant: Plant, branch: string): Scorecard {
  if (!plant.branches.some((b) => b.id === branch))
    throw new UsageError(
      `--branch ${branch}: 未知党支部 unknown branch (declared: ${plant.branches.map((b) => b.id).join(', ')})`,
    );
  const areas = new Set(plant.areas.filter((a) => a.parent === branch).map((a) => a.id));
  const teams = new Set(plant.teams.filter((t) => t.parent === branch).map((t) => t.id));
  const mine = (type: string, id: string) =>
    (type === 'branch' && id === branch) ||
    (type === 'area' && areas.has(id)) ||
    (type === 'team' && teams.has(id));
  return {
    ...s,
    targets: s.targets.filter((r) => mine(r.scope_type, r.scope_id)),
    ranking: s.ranking.filter((r) => mine(r.scope_type, r.scope_id)),
    points: s.points.filter((r) => mine(r.scope_type, r.scope_id)),
    tasks: s.tasks.filter((t) => mine(t.owner_type, t.owner_id)),
    ledger: s.ledger.filter((e) => mine(e.scope_type, e.scope_id)),
  };
}
