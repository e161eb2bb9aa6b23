/**
 * A period's scorecard from its KPI and target rows: ranking per group, the points ledger and points per scope, and
 * the status of every key task and pledge as of the period's end. Pure: the owners' KPI history and the records
 * (manual closures and awards) are given; compute.ts gathers them.
 */
import type { Plant, Scope } from '../plant.ts';
import type { PeriodResult, ScopeKind } from '../rows.ts';
import type { ScorecardModel } from './model.ts';
import { type LedgerEntry, type PointsRow, type PointsTree, pointsRows, targetLedger } from './points.ts';
import { rank } from './rank.ts';
import { type HistoryPoint, type ManualClosure, type TaskStatus, taskStatus } from './tasks.ts';
import type { TrackedTarget } from './track.ts';

export interface RankingRow {
  group: string;
  scope_type: ScopeKind;
  scope_id: string;
  period: string;
  kpi: string;
  /** by margin: the margin to target in %; null when the scope has no target or no actual in the period */
  margin_pct: number | null;
  /** by value: the KPI's value */
  value?: number | null;
  rank: number | null;
}

export interface Scorecard {
  period: string;
  /** every target that applies to the period (its own, or the quarter's or year's holding it), tracked */
  targets: TrackedTarget[];
  ranking: RankingRow[];
  points: PointsRow[];
  tasks: TaskStatus[];
  ledger: LedgerEntry[];
}

export interface ScorecardInputs {
  /** per task id: the owner's KPI per period of the rule's kind, sorted by time */
  history: ReadonlyMap<string, readonly HistoryPoint[]>;
  closures: readonly ManualClosure[];
  /** manual awards already in the records (any period; those of this period count) */
  awards: readonly LedgerEntry[];
  /** the tracked targets (track-run.ts); none when not given */
  targets?: readonly TrackedTarget[];
}

function scopesOf(plant: Plant, type: ScopeKind): readonly Scope[] {
  switch (type) {
    case 'area':
      return plant.areas;
    case 'team':
      return plant.teams;
    case 'branch':
      return plant.branches;
    case 'general_branch':
      return plant.generalBranches;
    case 'committee':
      return [plant.committee];
    case 'site':
      return [plant.site];
    default:
      return [];
  }
}

/** Areas roll up into their branch, branches into their general branch; teams into nothing. */
export function pointsTree(plant: Plant): PointsTree {
  const parent = new Map<string, { type: ScopeKind; id: string }>();
  for (const a of plant.areas) if (a.parent) parent.set(`area|${a.id}`, { type: 'branch', id: a.parent });
  for (const b of plant.branches)
    if (b.parent) parent.set(`branch|${b.id}`, { type: 'general_branch', id: b.parent });
  const scopes = [...plant.areas, ...plant.teams, ...plant.branches, ...plant.generalBranches].map((s) => ({
    type: s.type,
    id: s.id,
  }));
  return { parentOf: (type, id) => parent.get(`${type}|${id}`), scopes };
}

export function buildScorecard(
  plant: Plant,
  model: ScorecardModel,
  result: PeriodResult,
  inputs: ScorecardInputs,
): Scorecard {
  const ranking: RankingRow[] = [];
  for (const g of model.ranking) {
    const members = scopesOf(plant, g.scopeType).filter((s) => !g.ids || g.ids.includes(s.id));
    const input = members.map((s) => {
      if (g.by === 'margin_pct') {
        const t = result.targets.find(
          (r) => r.kpi === g.kpi && r.scope_type === s.type && r.scope_id === s.id,
        );
        return { scope_type: s.type, scope_id: s.id, value: t?.margin_pct ?? null };
      }
      const k = result.kpis.find((r) => r.kpi === g.kpi && r.scope_type === s.type && r.scope_id === s.id);
      return { scope_type: s.type, scope_id: s.id, value: k?.value ?? null };
    });
    for (const r of rank(input, g.by === 'margin_pct' ? 'higher' : g.better)) {
      ranking.push({
        group: g.id,
        scope_type: r.scope_type,
        scope_id: r.scope_id,
        period: result.period,
        kpi: g.kpi,
        margin_pct: g.by === 'margin_pct' ? r.value : null,
        ...(g.by === 'value' ? { value: r.value } : {}),
        rank: r.rank,
      });
    }
  }

  const tasks = model.tasks.map((t) =>
    taskStatus(t, inputs.history.get(t.id) ?? [], inputs.closures, result.endMs),
  );
  const ledger: LedgerEntry[] = targetLedger(result.targets, model.points);
  for (const [i, s] of tasks.entries()) {
    const task = model.tasks[i]!;
    if (s.status !== 'closed' || s.closed_period !== result.period || !s.on_time || task.points === 0)
      continue;
    ledger.push({
      scope_type: task.owner.type,
      scope_id: task.owner.id,
      period: result.period,
      points: task.points,
      source: 'task',
      ref: task.id,
      reason: `${task.kind === 'pledge' ? '承诺践诺 pledge kept' : '销号 task closed'} ${task.id} ${task.title}: ${s.evidence}`,
    });
  }
  for (const a of inputs.awards) if (a.period === result.period) ledger.push(a);
  return {
    period: result.period,
    targets: [...(inputs.targets ?? [])],
    ranking,
    points: pointsRows(ledger, result.period, pointsTree(plant)),
    tasks,
    ledger,
  };
}
