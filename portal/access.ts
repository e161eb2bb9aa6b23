/**
 * What a signed-in user may see and do. Pure: the user and the compiled plant in, a decision out; every route that
 * takes an id asks here before it looks the id up.
 *
 * - energy_manager: every branch, area, team and task; every action, the site export and manual points.
 * - branch_secretary: its own branch, its areas and teams (pages, scorecard, export); closes its branch's manual
 *   tasks and confirms its pledges. The all-branches list (rank and points) is shown to it too, without the counts
 *   of branches it may not open.
 * - viewer: reads only (its branch when it has one, else every branch); every action is refused.
 *
 * Unknown ids: a user who sees every branch (energy manager, viewer without a branch) is told 404; a user limited to
 * one branch is told 403 for any id outside it, known or not, so ids of other branches cannot be probed.
 */
import type { Plant, Scope } from '../kpi/plant.ts';
import type { Task } from '../kpi/scorecard/tasks.ts';
import type { PortalUser } from '../records/port-users.ts';

export type Who = Pick<PortalUser, 'role' | 'branch' | 'username'>;

export type Decision = { ok: true } | { ok: false; status: 403 | 404 | 409; message: string };

export const ALLOW: Decision = { ok: true };

export function forbidden(what: string): Decision {
  return { ok: false, status: 403, message: `无权访问 forbidden: ${what}` };
}

export function notFound(what: string): Decision {
  return { ok: false, status: 404, message: `未找到 not found: ${what}` };
}

/** Whether the user reads every branch (the energy manager, a viewer without a branch). */
export function seesAll(u: Who): boolean {
  return u.role === 'energy_manager' || (u.role === 'viewer' && u.branch === null);
}

export function canSeeBranch(u: Who, branch: string): boolean {
  return seesAll(u) || u.branch === branch;
}

/** The branch an area or team belongs to (a branch is its own); undefined for an unknown id. */
export function branchOf(plant: Plant, type: 'branch' | 'area' | 'team', id: string): string | undefined {
  const list = type === 'branch' ? plant.branches : type === 'area' ? plant.areas : plant.teams;
  const s = list.find((x) => x.id === id);
  if (!s) return undefined;
  return type === 'branch' ? s.id : s.parent;
}

/**
 * May the user read this branch, area or team? 403 outside the user's branch (whether the id exists or not) for a
 * user limited to one; 404 for an unknown id for one who sees all.
 */
export function readScope(u: Who, plant: Plant, type: 'branch' | 'area' | 'team', id: string): Decision {
  const branch = branchOf(plant, type, id);
  const label = `${type} ${id}`;
  if (seesAll(u)) return exists(plant, type, id) ? ALLOW : notFound(label);
  if (branch === undefined || branch !== u.branch)
    return forbidden(`${label} 不属于您的党支部 is not of your branch`);
  return ALLOW;
}

function exists(plant: Plant, type: 'branch' | 'area' | 'team', id: string): boolean {
  const list = type === 'branch' ? plant.branches : type === 'area' ? plant.areas : plant.teams;
  return list.some((s) => s.id === id);
}

/** The branch a task's owner belongs to: a branch itself, an area's or a team's branch; undefined above branches. */
export function taskBranch(plant: Plant, task: Pick<Task, 'owner'>): string | undefined {
  const { type, id } = task.owner;
  if (type === 'branch' || type === 'area' || type === 'team') return branchOf(plant, type, id);
  return undefined;
}

/**
 * May the user close (kind task) or confirm (kind pledge) this key task by hand? Access first (403 by the rules
 * above, 404 only for one who sees all), then what the task is: a task with a KPI rule is closed by its KPIs, for
 * everyone (409, as `plantkpi task close` refuses it with exit 7), and each route takes its own kind (409).
 */
export function actOnTask(u: Who, plant: Plant, taskId: string, kind: 'task' | 'pledge'): Decision {
  if (u.role === 'viewer') return forbidden('只读用户不能操作 a viewer reads only');
  const task = plant.scorecard.tasks.find((t) => t.id === taskId);
  if (u.role === 'branch_secretary' && (!task || taskBranch(plant, task) !== u.branch))
    return forbidden(`${kind} ${taskId} 不属于您的党支部 is not of your branch`);
  if (!task) return notFound(`${kind} ${taskId}`);
  if (task.rule)
    return {
      ok: false,
      status: 409,
      message: `${taskId} 由指标规则销号 is closed by its KPI rule (${task.rule.kpi}), not by hand: its KPIs decide`,
    };
  if (task.kind !== kind)
    return {
      ok: false,
      status: 409,
      message:
        task.kind === 'pledge'
          ? `${taskId} 是承诺 is a pledge: 请用 use POST /api/pledges/${taskId}/confirm`
          : `${taskId} 是任务 is a task: 请用 use POST /api/tasks/${taskId}/close`,
    };
  return ALLOW;
}

/** Manual points and the site export: the energy manager's. */
export function managerOnly(u: Who, what: string): Decision {
  return u.role === 'energy_manager' ? ALLOW : forbidden(`${what} 仅限能源管理员 energy manager only`);
}

/** Any action at all (a viewer reads only). */
export function mayAct(u: Who): Decision {
  return u.role === 'viewer' ? forbidden('只读用户不能操作 a viewer reads only') : ALLOW;
}

/** The branches whose pages the user may open, in config order. */
export function openableBranches(u: Who, plant: Plant): Scope[] {
  return plant.branches.filter((b) => canSeeBranch(u, b.id));
}
