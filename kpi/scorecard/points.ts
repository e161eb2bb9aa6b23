/**
 * 积分: a points ledger from target rows, closed tasks and manual awards, and the points per scope rolled up from it.
 * Every entry has its reason. A branch's points are its areas' plus its own entries (its tasks, its awards); a general
 * branch's are its branches'; a team's are its own and never added to its branch. Pure and deterministic: the same
 * rows give the same ledger in the same order.
 */
import type { ScopeKind, TargetRow } from '../rows.ts';

/** Points for target rows of the scopes (and KPIs) a rule names. */
export interface PointRule {
  id: string;
  /** the scope kinds whose target rows earn points under this rule */
  scopes: readonly ScopeKind[];
  /** only these KPIs; absent: every KPI with a target */
  kpis?: readonly string[];
  met: { base: number; perPercent: number; maxBonus: number };
  missed: { perPercent: number; maxPenalty: number };
  /** a provisional target row earns this share of its points */
  provisionalFactor: number;
}

export interface LedgerEntry {
  scope_type: ScopeKind;
  scope_id: string;
  period: string;
  points: number;
  /** 'target' and 'task' entries are computed (a recompute replaces them); 'manual' ones are kept */
  source: 'target' | 'task' | 'manual';
  /** the rule, task or award id the entry comes from */
  ref: string;
  /** why, in words (zh-CN with English) */
  reason: string;
  /** who awarded a manual entry, and when (ISO time) */
  by?: string;
  at?: string;
}

export interface PointsRow {
  scope_type: ScopeKind;
  scope_id: string;
  period: string;
  points: number;
}

/** Whole percent, robust to a margin like 2.9999999999 that is 3 % in decimal arithmetic. */
function wholePercent(x: number): number {
  return Math.floor(Number(x.toPrecision(12)));
}

/** The points one target row earns under a rule; null when the rule does not apply or there is nothing to score. */
export function targetPoints(row: TargetRow, rule: PointRule): LedgerEntry | null {
  if (!rule.scopes.includes(row.scope_type)) return null;
  if (rule.kpis !== undefined && !rule.kpis.includes(row.kpi)) return null;
  if (row.status === 'no_data' || row.margin_pct === null) return null;
  let points: number;
  let reason: string;
  const m = row.margin_pct;
  if (row.status === 'met') {
    const bonus = Math.min(rule.met.maxBonus, Math.max(0, wholePercent(m)) * rule.met.perPercent);
    points = rule.met.base + bonus;
    reason = `达标 met ${row.kpi}, 余量 margin ${m.toFixed(2)} %: ${rule.met.base} + ${bonus}`;
  } else {
    const short = Math.max(0, wholePercent(-m));
    const penalty = Math.min(rule.missed.maxPenalty, short * rule.missed.perPercent);
    points = penalty === 0 ? 0 : -penalty;
    reason = `未达标 missed ${row.kpi}, 差 short ${(-m).toFixed(2)} %: −${penalty}`;
  }
  if (row.provisional && rule.provisionalFactor !== 1) {
    points *= rule.provisionalFactor;
    reason += `, 暂定 provisional × ${rule.provisionalFactor}`;
  }
  return {
    scope_type: row.scope_type,
    scope_id: row.scope_id,
    period: row.period,
    points: points === 0 ? 0 : points,
    source: 'target',
    ref: rule.id,
    reason,
  };
}

/** The computed entries of a period: each target row under the first rule that applies to it. */
export function targetLedger(rows: readonly TargetRow[], rules: readonly PointRule[]): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const row of rows) {
    for (const rule of rules) {
      const e = targetPoints(row, rule);
      if (e) {
        out.push(e);
        break;
      }
    }
  }
  return out;
}

/** Who rolls up into whom: area -> branch, branch -> general branch. Teams roll up nowhere. */
export interface PointsTree {
  parentOf(type: ScopeKind, id: string): { type: ScopeKind; id: string } | undefined;
  /** every scope that has a points row, with 0 when it earned nothing (areas, teams, branches, general branches) */
  scopes: readonly { type: ScopeKind; id: string }[];
}

const ROLLS_UP: ReadonlySet<ScopeKind> = new Set(['area', 'branch']);
const ORDER: readonly ScopeKind[] = ['area', 'team', 'branch', 'general_branch'];

/**
 * Points per scope for one period: each scope's own entries, plus, for a branch, its areas', and for a general
 * branch, its branches'. Every scope of the tree has a row (0 when it earned nothing). Rows in a stable order (areas, teams, branches, general branches; by id within).
 */
export function pointsRows(ledger: readonly LedgerEntry[], period: string, tree: PointsTree): PointsRow[] {
  const sums = new Map<string, { type: ScopeKind; id: string; points: number }>();
  for (const sc of tree.scopes) sums.set(`${sc.type}|${sc.id}`, { type: sc.type, id: sc.id, points: 0 });
  const add = (type: ScopeKind, id: string, points: number) => {
    const k = `${type}|${id}`;
    const cur = sums.get(k) ?? { type, id, points: 0 };
    cur.points += points;
    sums.set(k, cur);
  };
  for (const e of ledger) {
    if (e.period !== period) continue;
    add(e.scope_type, e.scope_id, e.points);
    let type = e.scope_type;
    let id = e.scope_id;
    while (ROLLS_UP.has(type)) {
      const p = tree.parentOf(type, id);
      if (!p) break;
      add(p.type, p.id, e.points);
      type = p.type;
      id = p.id;
    }
  }
  return [...sums.values()]
    .filter((s) => ORDER.includes(s.type))
    .sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((s) => ({ scope_type: s.type, scope_id: s.id, period, points: s.points }));
}
