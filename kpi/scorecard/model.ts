/** The compiled responsibility-loop model: ranking groups, point rules and key tasks (from the plant config). */
import type { Plant } from '../plant.ts';
import type { ScopeKind } from '../rows.ts';
import type { PointRule } from './points.ts';
import type { Task } from './tasks.ts';

export interface RankingGroup {
  id: string;
  name?: string;
  /** the scopes compared: every scope of a kind, or the listed ids of that kind */
  scopeType: ScopeKind;
  ids?: readonly string[];
  /** the KPI whose target rows (or values) are compared */
  kpi: string;
  /** margin_pct (comparable across products) or the KPI's value (only inside a group of one product) */
  by: 'margin_pct' | 'value';
  /** for `by: value`: which way is better */
  better: 'higher' | 'lower';
}

export interface ScorecardModel {
  ranking: readonly RankingGroup[];
  points: readonly PointRule[];
  tasks: readonly Task[];
}

export const EMPTY_SCORECARD: ScorecardModel = { ranking: [], points: [], tasks: [] };

/** Whether the plant declares any part of the responsibility loop (a month then settles its scorecard). */
export function hasScorecard(plant: Pick<Plant, 'scorecard'>): boolean {
  const m = plant.scorecard;
  return m.ranking.length + m.points.length + m.tasks.length > 0;
}
