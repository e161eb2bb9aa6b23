/**
 * 挂图作战 / 销号 / 承诺践诺: the status of a key task or pledge as of a period's end. A task closes by its KPI rule
 * (a threshold met over N consecutive periods of a kind, by its owner scope) or by a person (a manual closure, kept
 * in the records database). Status: `closed` (with the closing period and its evidence), `overdue` (past its due
 * time and not closed), else `open`. Pure: the KPI history and the manual closures are given.
 */
import { formatValue } from '../present.ts';
import type { ScopeKind } from '../rows.ts';

export interface TaskRule {
  kpi: string;
  /** the period kind the KPI is judged over */
  every: 'day' | 'month';
  max?: number;
  min?: number;
  /** how many periods in a row must meet it (1: the first good period closes it) */
  consecutive: number;
}

export interface Task {
  id: string;
  title: string;
  kind: 'task' | 'pledge';
  owner: { type: ScopeKind; id: string };
  /** the end of the due day, epoch ms */
  dueMs: number;
  /** periods before this do not count (epoch ms; the task's start) */
  fromMs: number;
  points: number;
  /** absent: closed by a person only */
  rule?: TaskRule;
}

/** The owner's KPI in one period of the rule's kind. */
export interface HistoryPoint {
  period: string;
  startMs: number;
  endMs: number;
  value: number | null;
  /** the KPI's unit, for the evidence text */
  unit?: string;
  provisional: boolean;
}

export interface ManualClosure {
  task: string;
  /** the period label the closure counts in */
  period: string;
  atMs: number;
  by: string;
  evidence: string;
}

export interface TaskStatus {
  id: string;
  title: string;
  kind: Task['kind'];
  /** the end of the due day (or the due instant), epoch ms */
  due_ms: number;
  owner_type: ScopeKind;
  owner_id: string;
  status: 'open' | 'closed' | 'overdue';
  closed_period: string | null;
  /** closed no later than its due time: its points go to the owner in the closing period */
  on_time: boolean | null;
  /** what proved it: the KPI values of the closing run, or the person and their words */
  evidence: string | null;
}

/** A value as people read it: the unit's precision and the unit, when known. */
function shown(h: HistoryPoint): string {
  return h.unit === undefined ? String(h.value) : `${formatValue(h.value, h.unit)} ${h.unit}`;
}

function meets(rule: TaskRule, v: number | null): v is number {
  if (v === null || !Number.isFinite(v)) return false;
  return (rule.max === undefined || v <= rule.max) && (rule.min === undefined || v >= rule.min);
}

/** The first run of `consecutive` adjacent good periods that ends by asOfMs; history sorted by time. */
export function closingRun(rule: TaskRule, history: readonly HistoryPoint[], fromMs: number, asOfMs: number) {
  let run: HistoryPoint[] = [];
  for (const h of history) {
    if (h.startMs < fromMs || h.endMs > asOfMs) continue;
    const adjacent = run.length === 0 || run[run.length - 1]!.endMs === h.startMs;
    if (!meets(rule, h.value)) {
      run = [];
      continue;
    }
    run = adjacent ? [...run, h] : [h];
    if (run.length >= rule.consecutive) return run;
  }
  return null;
}

export function taskStatus(
  task: Task,
  history: readonly HistoryPoint[],
  closures: readonly ManualClosure[],
  asOfMs: number,
): TaskStatus {
  const base = {
    id: task.id,
    title: task.title,
    kind: task.kind,
    due_ms: task.dueMs,
    owner_type: task.owner.type,
    owner_id: task.owner.id,
  };
  const bound = (v: TaskRule) =>
    [v.max !== undefined ? `≤ ${v.max}` : '', v.min !== undefined ? `≥ ${v.min}` : '']
      .filter(Boolean)
      .join(', ');
  const manual = closures
    .filter((c) => c.task === task.id && c.atMs <= asOfMs)
    .sort((a, b) => a.atMs - b.atMs)[0];
  const run = task.rule ? closingRun(task.rule, history, task.fromMs, asOfMs) : null;
  const byRule = run ? { period: run[run.length - 1]!.period, endMs: run[run.length - 1]!.endMs } : null;
  // whichever came first closes it
  if (manual && (!byRule || manual.atMs < byRule.endMs)) {
    return {
      ...base,
      status: 'closed',
      closed_period: manual.period,
      on_time: manual.atMs <= task.dueMs,
      evidence: `${manual.by}: ${manual.evidence}`,
    };
  }
  if (run && byRule && task.rule) {
    const values = run
      .map((h) => `${h.period} ${shown(h)}${h.provisional ? ' (暂定 provisional)' : ''}`)
      .join('; ');
    return {
      ...base,
      status: 'closed',
      closed_period: byRule.period,
      on_time: byRule.endMs <= task.dueMs,
      evidence: `${task.rule.kpi} ${bound(task.rule)}: ${values}`,
    };
  }
  return {
    ...base,
    status: asOfMs > task.dueMs ? 'overdue' : 'open',
    closed_period: null,
    on_time: null,
    evidence: null,
  };
}
