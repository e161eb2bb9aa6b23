/** Checks of the responsibility loop's config against the organisation: ranking groups, point rules, tasks. */
import type { Problem } from './problems.ts';
import type { PlantConfig, ScopeTypeName } from './schema.ts';
import { ID_KIND, unknownId } from './suggest.ts';
import { parseConfigTime } from './time.ts';

/**
 * Where a task or one of its fields (`owner.id`) is, for problems: `tasks[3].owner.id` for the YAML's tasks, a
 * file's row and column for the tasks of `taskFiles` (task-files.ts).
 */
export type TaskPlace = (index: number, field?: string) => string;
export const yamlTaskPlace: TaskPlace = (i, field) => `tasks[${i}]${field === undefined ? '' : `.${field}`}`;

export function checkResponsibility(
  c: PlantConfig,
  scopeIds: Record<ScopeTypeName, ReadonlyMap<string, number>>,
  taskPlace: TaskPlace = yamlTaskPlace,
): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const unique = (items: readonly { id: string }[], place: TaskPlace) => {
    const seen = new Map<string, number>();
    items.forEach((x, i) => {
      const first = seen.get(x.id);
      if (first !== undefined) add(place(i, 'id'), `重复 duplicate id '${x.id}' (also ${place(first)})`);
      else seen.set(x.id, i);
    });
  };
  unique(c.ranking, (i, field) => `ranking[${i}]${field === undefined ? '' : `.${field}`}`);
  unique(c.points, (i, field) => `points[${i}]${field === undefined ? '' : `.${field}`}`);
  unique(c.tasks, taskPlace);

  c.ranking.forEach((g, i) => {
    const ids = scopeIds[g.scopes.type];
    (g.scopes.ids ?? []).forEach((id, j) => {
      if (!ids.has(id))
        add(`ranking[${i}].scopes.ids[${j}]`, unknownId(ID_KIND[g.scopes.type], id, ids.keys()));
    });
    if (g.by === 'value' && g.kpi.startsWith('intensity.')) {
      // an intensity compared as a value: every scope of the group must make the same product
      const products = new Set<string>();
      const signalProduct = new Map(c.signals.map((s) => [s.id, 'product' in s ? s.product : undefined]));
      const wanted = (id: string) => g.scopes.ids === undefined || g.scopes.ids.includes(id);
      const branchOfGroup = (b: string) =>
        c.organisation.branches.some(
          (x) => x.id === b && (g.scopes.type === 'branch' ? wanted(b) : wanted(x.generalBranch ?? '')),
        );
      const scopes =
        g.scopes.type === 'area'
          ? c.organisation.areas.filter((a) => wanted(a.id))
          : g.scopes.type === 'team'
            ? c.organisation.teams.filter((t) => wanted(t.id))
            : c.organisation.areas.filter((a) => branchOfGroup(a.branch));
      for (const s of scopes) {
        for (const p of s.products) {
          const product = signalProduct.get(p.signal);
          if (product) products.add(product);
        }
      }
      if (products.size > 1)
        add(
          `ranking[${i}].by`,
          `按数值评比须同一产品 ranking ${g.kpi} by value compares different products (${[...products].join(', ')}): rank by margin_pct instead`,
        );
    }
  });

  c.tasks.forEach((t, i) => {
    const ids = scopeIds[t.owner.type];
    if (!ids.has(t.owner.id))
      add(taskPlace(i, 'owner.id'), unknownId(ID_KIND[t.owner.type], t.owner.id, ids.keys()));
    if (t.close && t.close.max === undefined && t.close.min === undefined)
      add(taskPlace(i, 'close'), '关闭规则须有上限或下限 a close rule needs max (at most) or min (at least)');
    const tz = c.site.timeZone;
    try {
      const due = parseConfigTime(t.due, tz);
      if (t.from !== undefined && parseConfigTime(t.from, tz) >= due)
        add(taskPlace(i, 'due'), `到期日不在开始之后 due (${t.due}) is not after from (${t.from})`);
    } catch (err) {
      add(taskPlace(i, 'due'), (err as Error).message);
    }
  });
  return problems;
}
