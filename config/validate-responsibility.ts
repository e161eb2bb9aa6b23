/** Checks of the responsibility loop's config against the organisation: ranking groups, point rules, tasks. */
import type { Problem } from './problems.ts';
import type { PlantConfig, ScopeTypeName } from './schema.ts';
import { ID_KIND, unknownId } from './suggest.ts';
import { parseConfigTime } from './time.ts';

export function checkResponsibility(
  c: PlantConfig,
  scopeIds: Record<ScopeTypeName, ReadonlyMap<string, number>>,
): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const unique = (items: readonly { id: string }[], path: string) => {
    const seen = new Map<string, number>();
    items.forEach((x, i) => {
      if (seen.has(x.id))
        add(`${path}[${i}].id`, `重复 duplicate id '${x.id}' (also ${path}[${seen.get(x.id)}])`);
      else seen.set(x.id, i);
    });
  };
  unique(c.ranking, 'ranking');
  unique(c.points, 'points');
  unique(c.tasks, 'tasks');

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
    const at = `tasks[${i}]`;
    const ids = scopeIds[t.owner.type];
    if (!ids.has(t.owner.id)) add(`${at}.owner.id`, unknownId(ID_KIND[t.owner.type], t.owner.id, ids.keys()));
    if (t.close && t.close.max === undefined && t.close.min === undefined)
      add(`${at}.close`, '关闭规则须有上限或下限 a close rule needs max (at most) or min (at least)');
    const tz = c.site.timeZone;
    try {
      const due = parseConfigTime(t.due, tz);
      if (t.from !== undefined && parseConfigTime(t.from, tz) >= due)
        add(`${at}.due`, `到期日不在开始之后 due (${t.due}) is not after from (${t.from})`);
    } catch (err) {
      add(`${at}.due`, (err as Error).message);
    }
  });
  return problems;
}
