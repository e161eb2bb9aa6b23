/**
 * Checks of the targets: their scope and period, and the cascade (指标层层分解) committee > general branch > branch >
 * area. For targets of the same KPI and period, a target's children are the nearest scopes below it that have one
 * (teams are overlays and stand outside the cascade):
 * - an extensive KPI (tce, tCO2, kWh, t, ...): the children's `max` may not add up to more than the parent's `max`
 *   (and, where every child scope is covered, their `min` not to less than the parent's `min`);
 * - an intensity or another ratio: where every child scope is covered and every child target gives its
 *   `plannedOutput`, the children's targets weighted by planned output may not be above the parent's `max` (or below
 *   its `min`); without planned outputs nothing can be said, and nothing is.
 */
import { isExtensiveKpi } from '../kpi/rows.ts';
import { PeriodError, parsePeriod } from '../transforms/periods.ts';
import type { Problem } from './problems.ts';
import type { PlantConfig, ScopeTypeName, TargetConfig } from './schema.ts';
import { ID_KIND, unknownId } from './suggest.ts';

/** Relative tolerance for sums of decimals (0.1 + 0.2). */
const EPS = 1e-9;

export function checkTargets(
  c: PlantConfig,
  scopeIds: Record<ScopeTypeName, ReadonlyMap<string, number>>,
): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  c.targets.forEach((t, i) => {
    const at = `targets[${i}]`;
    const ids = scopeIds[t.scope.type];
    if (ids !== undefined && !ids.has(t.scope.id))
      add(`${at}.scope.id`, unknownId(ID_KIND[t.scope.type], t.scope.id, ids.keys()));
    if (t.max === undefined && t.min === undefined) add(at, 'a target needs max (at most) or min (at least)');
    if ((t.period === undefined) === (t.every === undefined))
      add(at, 'a target needs exactly one of period or every');
    if (t.period !== undefined) {
      try {
        if (parsePeriod(t.period, c.site.timeZone).kind === 'range')
          add(
            `${at}.period`,
            `期间须是日历期间 '${t.period}' is a range: use a year, quarter, month, day or hour`,
          );
      } catch (err) {
        if (!(err instanceof PeriodError)) throw err;
        add(`${at}.period`, err.message);
      }
    }
  });
  if (problems.length === 0) problems.push(...checkCascade(c));
  return problems;
}

type Node = string; // `${type}|${id}`
const node = (type: string, id: string): Node => `${type}|${id}`;

/** The organisation as a tree: each node's children (committee > general branches > branches > areas). */
function orgChildren(c: PlantConfig): Map<Node, Node[]> {
  const kids = new Map<Node, Node[]>();
  const push = (parent: Node, child: Node) => kids.set(parent, [...(kids.get(parent) ?? []), child]);
  const o = c.organisation;
  const committee = node('committee', o.committee.id);
  for (const g of o.generalBranches) push(committee, node('general_branch', g.id));
  for (const b of o.branches)
    push(b.generalBranch ? node('general_branch', b.generalBranch) : committee, node('branch', b.id));
  for (const a of o.areas) push(node('branch', a.branch), node('area', a.id));
  return kids;
}

interface Placed {
  index: number;
  target: TargetConfig;
}

function checkCascade(c: PlantConfig): Problem[] {
  const problems: Problem[] = [];
  const kids = orgChildren(c);
  const groups = new Map<string, Map<Node, Placed>>();
  c.targets.forEach((target, index) => {
    if (!['committee', 'general_branch', 'branch', 'area'].includes(target.scope.type)) return;
    const key = `${target.kpi}|${target.period ?? `every ${target.every}`}`;
    const g = groups.get(key) ?? new Map<Node, Placed>();
    const n = node(target.scope.type, target.scope.id);
    if (!g.has(n)) g.set(n, { index, target });
    groups.set(key, g);
  });
  for (const group of groups.values()) {
    // the nearest targeted scopes below n, and whether they cover all of n (every branch of the tree ends in one)
    const below = (n: Node): { found: Placed[]; covered: boolean } => {
      const children = kids.get(n) ?? [];
      const found: Placed[] = [];
      let covered = children.length > 0;
      for (const k of children) {
        const t = group.get(k);
        if (t) found.push(t);
        else {
          const r = below(k);
          found.push(...r.found);
          covered &&= r.covered;
        }
      }
      return { found, covered };
    };
    for (const [n, parent] of group) {
      const { found, covered } = below(n);
      if (found.length === 0) continue;
      const problem = cascadeProblem(parent, found, covered);
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

const fmt = (x: number) => String(Math.round(x * 1e6) / 1e6);
const who = (p: Placed) => `${p.target.scope.type} ${p.target.scope.id} (targets[${p.index}])`;

function cascadeProblem(parent: Placed, children: Placed[], covered: boolean): Problem | null {
  const t = parent.target;
  const last = children.reduce((a, b) => (b.index > a.index ? b : a));
  const at = `targets[${last.index}]`;
  const list = (v: (p: Placed) => number) =>
    children.map((p) => `${p.target.scope.id} ${fmt(v(p))}`).join(', ');
  const of = `${t.kpi} ${t.period ?? `every ${t.every}`}`;
  if (isExtensiveKpi(t.kpi)) {
    const maxes = children.filter((p) => p.target.max !== undefined);
    if (t.max !== undefined && maxes.length > 0) {
      const sum = maxes.reduce((s, p) => s + p.target.max!, 0);
      if (sum > t.max + EPS * Math.abs(t.max))
        return {
          path: at,
          message:
            `下级目标之和超过上级 the children's max of ${of} add up to ${fmt(sum)}, more than the parent ${who(parent)} ` +
            `max ${fmt(t.max)} (${list((p) => p.target.max!)})`,
        };
    }
    if (t.min !== undefined && covered && children.every((p) => p.target.min !== undefined)) {
      const sum = children.reduce((s, p) => s + p.target.min!, 0);
      if (sum < t.min - EPS * Math.abs(t.min))
        return {
          path: at,
          message:
            `下级目标之和低于上级 the children's min of ${of} add up to ${fmt(sum)}, less than the parent ${who(parent)} ` +
            `min ${fmt(t.min)} (${list((p) => p.target.min!)})`,
        };
    }
    return null;
  }
  // a ratio: only a full cover with planned outputs says what the parent's intensity would be
  if (!covered || !children.every((p) => p.target.plannedOutput !== undefined)) return null;
  const weight = children.reduce((s, p) => s + p.target.plannedOutput!, 0);
  const weighted = (side: 'max' | 'min') =>
    children.every((p) => p.target[side] !== undefined)
      ? children.reduce((s, p) => s + p.target[side]! * p.target.plannedOutput!, 0) / weight
      : null;
  const planned = list((p) => p.target.plannedOutput!);
  const wMax = weighted('max');
  if (t.max !== undefined && wMax !== null && wMax > t.max + EPS * Math.abs(t.max))
    return {
      path: at,
      message:
        `下级目标按计划产量加权高于上级 the children's max of ${of} weighted by planned output is ${fmt(wMax)}, ` +
        `above the parent ${who(parent)} max ${fmt(t.max)} (planned output: ${planned})`,
    };
  const wMin = weighted('min');
  if (t.min !== undefined && wMin !== null && wMin < t.min - EPS * Math.abs(t.min))
    return {
      path: at,
      message:
        `下级目标按计划产量加权低于上级 the children's min of ${of} weighted by planned output is ${fmt(wMin)}, ` +
        `below the parent ${who(parent)} min ${fmt(t.min)} (planned output: ${planned})`,
    };
  return null;
}
