/**
 * An area's (or a team's) month: GET /api/areas/:id?period= and GET /api/teams/:id?period=
 * - its KPI rows and target rows of the month (the `kpi` command's runs),
 * - its targets tracked (year to date, 同比, 环比: the scorecard's target tracking),
 * - a daily trend of its main KPIs (energy tce, CO2, energy intensity; one point a day, day runs as the export's
 *   daily sheet has them),
 * - its meters' completeness in the month (the signals it rests on, as its branch's export slices them),
 * - its key tasks and pledges.
 */
import type { FastifyInstance } from 'fastify';
import { signalsOf } from '../../kpi/export/slice.ts';
import type { Scope } from '../../kpi/plant.ts';
import { kpiLabel } from '../../kpi/rows.ts';
import { readScope } from '../access.ts';
import type { Auth } from '../auth.ts';
import type { PortalContext } from '../context.ts';
import { apiRoute } from '../openapi.ts';
import { IdParams, PeriodQuery, ScopeBody } from '../schemas.ts';
import { check, scopeRef } from './branches.ts';

/** the KPIs whose daily trend is shown, in this order; a scope without a product has no intensity */
export const TREND_KPIS = ['energy.total', 'emissions.co2', 'intensity.energy'] as const;

async function scopeView(ctx: PortalContext, scope: Scope, period: string) {
  const { plant, data } = ctx;
  const [result, days, sc] = await Promise.all([
    data.result(period),
    data.days(period),
    data.scorecard(period),
  ]);
  const own = <T extends { scope_type: string; scope_id: string }>(r: T) =>
    r.scope_type === scope.type && r.scope_id === scope.id;
  const kpis = result.kpis.filter(own);
  const trends = TREND_KPIS.flatMap((kpi) => {
    const rows = days.map((d) => d.kpis.find((k) => own(k) && k.kpi === kpi));
    if (!kpis.some((k) => k.kpi === kpi) && rows.every((r) => r === undefined)) return [];
    return [
      {
        kpi,
        label: kpiLabel(kpi, plant.names),
        unit: rows.find((r) => r)?.unit ?? kpis.find((k) => k.kpi === kpi)?.unit ?? null,
        points: days.map((d, i) => ({
          day: d.period,
          value: rows[i]?.value ?? null,
          provisional: rows[i]?.provisional ?? false,
        })),
      },
    ];
  });
  const signals = signalsOf(plant, [scope], new Set(scope.equipment.map((e) => e.id)));
  const branch = plant.branches.find((b) => b.id === scope.parent);
  return {
    period: result.period,
    scope: scopeRef(plant, scope),
    branch: branch ? scopeRef(plant, branch) : null,
    kpis: kpis.map((k) => ({
      kpi: k.kpi,
      label: kpiLabel(k.kpi, plant.names),
      value: k.value,
      unit: k.unit,
      provisional: k.provisional,
    })),
    targets: result.targets.filter(own).map((t) => ({
      kpi: t.kpi,
      period: t.period,
      ...(t.target_max !== undefined ? { target_max: t.target_max } : {}),
      ...(t.target_min !== undefined ? { target_min: t.target_min } : {}),
      actual: t.actual,
      status: t.status,
      margin_pct: t.margin_pct,
      provisional: t.provisional,
    })),
    tracked: sc.targets.filter(own),
    trends,
    meters: result.quality
      .filter((q) => signals.has(q.signal))
      .map((q) => ({
        signal: q.signal,
        name: plant.signals.get(q.signal)?.name ?? null,
        completeness: q.completeness,
        present: q.present,
        expected: q.expected,
        notes: q.notes,
      })),
    tasks: sc.tasks.filter((t) => t.owner_type === scope.type && t.owner_id === scope.id),
  };
}

export function registerScopes(app: FastifyInstance, ctx: PortalContext, auth: Auth): void {
  for (const kind of ['area', 'team'] as const) {
    apiRoute(
      app,
      {
        method: 'GET',
        url: `/api/${kind}s/:id`,
        summary:
          kind === 'area'
            ? '责任区 an area’s month: KPIs against target, daily trends, meters’ completeness'
            : '突击队 a team’s month: KPIs against target, daily trends, meters’ completeness',
        params: IdParams,
        query: PeriodQuery,
        response: ScopeBody,
        errors: [400, 401, 403, 404],
        signedIn: true,
      },
      { onRequest: [auth.requireUser] },
      async (req) => {
        const { id } = req.params as { id: string };
        const { period } = req.query as { period: string };
        check(readScope(req.user!, ctx.plant, kind, id));
        const scope = (kind === 'area' ? ctx.plant.areas : ctx.plant.teams).find((s) => s.id === id)!;
        return scopeView(ctx, scope, period);
      },
    );
  }
}
