/**
 * Checks of the baselines against the plant: the scope exists (at most one baseline per scope, so its savings rows
 * are unambiguous), the energy KPI and every driver name something declared (a carrier, a product, a gauge), and the
 * baseline period reads. A baseline period without data is only known when savings are computed (a DataError there).
 */
import { baselineSpan } from '../kpi/baseline/compile.ts';
import { dimensionOf } from '../transforms/units.ts';
import type { Problem } from './problems.ts';
import type { PlantConfig, ScopeTypeName } from './schema.ts';
import { ID_KIND, unknownId } from './suggest.ts';

export function checkBaselines(
  c: PlantConfig,
  scopeIds: Record<ScopeTypeName, ReadonlyMap<string, number>>,
): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const carriers = c.carriers.map((x) => x.id);
  const products = c.products.map((x) => x.id);
  const gauges = c.signals.filter((s) => s.kind === 'gauge').map((s) => s.id);
  const ids = new Map<string, number>();
  const scopes = new Map<string, number>();

  c.baselines.forEach((b, i) => {
    const at = `baselines[${i}]`;
    if (ids.has(b.id)) add(`${at}.id`, `重复 duplicate id '${b.id}' (also baselines[${ids.get(b.id)}])`);
    else ids.set(b.id, i);

    const known = scopeIds[b.scope.type];
    if (b.scope.type === 'equipment')
      add(`${at}.scope.type`, '设备没有能耗行 equipment has no energy rows: use its area or team');
    else if (!known.has(b.scope.id))
      add(`${at}.scope.id`, unknownId(ID_KIND[b.scope.type], b.scope.id, known.keys()));
    const key = `${b.scope.type}|${b.scope.id}`;
    if (scopes.has(key))
      add(
        `${at}.scope`,
        `每个范围只能有一个基准 ${b.scope.type} ${b.scope.id} already has a baseline (baselines[${scopes.get(key)}]): its savings rows would be ambiguous`,
      );
    else scopes.set(key, i);

    const carrier = b.energy.slice('energy.'.length);
    if (carrier !== 'total' && !carriers.includes(carrier))
      add(`${at}.energy`, unknownId(ID_KIND.carrier, carrier, ['total', ...carriers]));

    try {
      baselineSpan(b, c.site.timeZone);
    } catch (err) {
      add(b.period === undefined ? at : `${at}.period`, (err as Error).message);
    }

    const drivers = b.model.type === 'ratio' ? [b.model.driver] : b.model.drivers;
    const path = (j: number) =>
      b.model.type === 'ratio' ? `${at}.model.driver` : `${at}.model.drivers[${j}]`;
    drivers.forEach((d, j) => {
      if (d.type === 'kpi') {
        const [kind, id] = [d.kpi.slice(0, d.kpi.indexOf('.')), d.kpi.slice(d.kpi.indexOf('.') + 1)];
        if (kind === 'output' && !products.includes(id))
          add(`${path(j)}.kpi`, unknownId(ID_KIND.product, id, products));
        if (kind === 'energy' && id !== 'total' && !carriers.includes(id))
          add(`${path(j)}.kpi`, unknownId(ID_KIND.carrier, id, carriers));
        if (d.kpi === b.energy) add(`${path(j)}.kpi`, `${d.kpi} is the energy modelled, not a driver of it`);
      } else if (gauges.includes(d.signal)) {
        const unit = (c.signals.find((x) => x.id === d.signal) as { unit: string }).unit;
        if (d.type === 'degree_days' && dimensionOf(unit) !== 'temperature')
          add(
            `${path(j)}.signal`,
            `度日须用温度 '${d.signal}' is in ${unit}, not a temperature (degC) for degree-days`,
          );
      } else {
        const s = c.signals.find((x) => x.id === d.signal);
        add(
          `${path(j)}.signal`,
          s === undefined
            ? unknownId({ zh: '仪表信号', en: 'gauge signal' }, d.signal, gauges)
            : `'${d.signal}' is a ${s.kind} signal, not a gauge`,
        );
      }
    });
  });
  return problems;
}
