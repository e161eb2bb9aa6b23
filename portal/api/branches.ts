/**
 * The periods, the all-branches list and a branch's scorecard:
 *   GET /api/periods                          the months that can be shown, newest first
 *   GET /api/branches?period=                 every branch with its points, rank by points and ranking rows; the
 *                                             targets and tasks counts of the branches the caller may open
 *   GET /api/branches/:id/scorecard?period=   `plantkpi scorecard --branch ID --format json`'s object (its targets
 *                                             carry year to date, 同比 and 环比), with the branch's areas and teams
 *                                             and the tasks and pledges the caller may close or confirm
 */
import type { FastifyInstance } from 'fastify';
import type { Plant, Scope } from '../../kpi/plant.ts';
import { scopeNames } from '../../kpi/present.ts';
import type { Scorecard } from '../../kpi/scorecard/build.ts';
import { rank } from '../../kpi/scorecard/rank.ts';
import { branchScorecard } from '../../kpi/scorecard/slice.ts';
import { actOnTask, canSeeBranch, readScope } from '../access.ts';
import type { Auth } from '../auth.ts';
import { ApiError, type PortalContext } from '../context.ts';
import { apiRoute } from '../openapi.ts';
import { BranchListBody, BranchScorecardBody, IdParams, PeriodQuery, PeriodsBody } from '../schemas.ts';

export function scopeRef(plant: Plant, s: Pick<Scope, 'type' | 'id'>) {
  const name = scopeNames(plant).get(`${s.type}|${s.id}`);
  return { type: s.type, id: s.id, name: name ?? null };
}

/** Throws the decision's status when it is a refusal. */
export function check(d: { ok: true } | { ok: false; status: 403 | 404 | 409; message: string }): void {
  if (!d.ok) throw new ApiError(d.status, d.message);
}

export function counts(s: Scorecard) {
  return {
    open: s.tasks.filter((t) => t.status === 'open').length,
    overdue: s.tasks.filter((t) => t.status === 'overdue').length,
    closed: s.tasks.filter((t) => t.status === 'closed').length,
  };
}

export function registerBranches(app: FastifyInstance, ctx: PortalContext, auth: Auth): void {
  const { plant, data } = ctx;
  const signedIn = { onRequest: [auth.requireUser] };

  apiRoute(
    app,
    {
      method: 'GET',
      url: '/api/periods',
      summary: '可查看的月份 the months with data, newest first',
      response: PeriodsBody,
      errors: [401],
      signedIn: true,
    },
    signedIn,
    async () => ({ periods: await data.periods() }),
  );

  apiRoute(
    app,
    {
      method: 'GET',
      url: '/api/branches',
      summary: '党支部列表 every branch: points, rank, and the counts of those the caller may open',
      query: PeriodQuery,
      response: BranchListBody,
      errors: [400, 401],
      signedIn: true,
    },
    signedIn,
    async (req) => {
      const { period } = req.query as { period: string };
      const sc = await data.scorecard(period);
      const pointsOf = (id: string) =>
        sc.points.find((p) => p.scope_type === 'branch' && p.scope_id === id)?.points ?? 0;
      const ranked = rank(
        plant.branches.map((b) => ({ scope_type: 'branch' as const, scope_id: b.id, value: pointsOf(b.id) })),
        'higher',
      );
      const branches = plant.branches.map((b) => {
        const canOpen = canSeeBranch(req.user!, b.id);
        const mine = canOpen ? branchScorecard(sc, plant, b.id) : null;
        return {
          branch: scopeRef(plant, b),
          canOpen,
          points: pointsOf(b.id),
          points_rank: ranked.find((r) => r.scope_id === b.id)?.rank ?? null,
          ranking: sc.ranking.filter((r) => r.scope_type === 'branch' && r.scope_id === b.id),
          targets: mine
            ? {
                met: mine.targets.filter((t) => t.status === 'met' || t.status === 'on_track').length,
                total: mine.targets.length,
              }
            : null,
          tasks: mine ? counts(mine) : null,
        };
      });
      return { period: sc.period, branches };
    },
  );

  apiRoute(
    app,
    {
      method: 'GET',
      url: '/api/branches/:id/scorecard',
      summary: '党支部积分卡 a branch’s share of the month’s scorecard (as plantkpi scorecard --branch)',
      params: IdParams,
      query: PeriodQuery,
      response: BranchScorecardBody,
      errors: [400, 401, 403, 404],
      signedIn: true,
    },
    signedIn,
    async (req) => {
      const { id } = req.params as { id: string };
      const { period } = req.query as { period: string };
      check(readScope(req.user!, plant, 'branch', id));
      const s = branchScorecard(await data.scorecard(period), plant, id);
      const branch = plant.branches.find((b) => b.id === id)!;
      const actions = s.tasks.flatMap((t) => {
        if (t.status === 'closed') return [];
        const may = t.kind === 'pledge' ? ('confirm' as const) : ('close' as const);
        return actOnTask(req.user!, plant, t.id, t.kind).ok ? [{ task: t.id, may }] : [];
      });
      return {
        period: s.period,
        targets: s.targets,
        ranking: s.ranking,
        points: s.points,
        tasks: s.tasks,
        ledger: s.ledger,
        branch: scopeRef(plant, branch),
        areas: plant.areas.filter((a) => a.parent === id).map((a) => scopeRef(plant, a)),
        teams: plant.teams.filter((t) => t.parent === id).map((t) => scopeRef(plant, t)),
        actions,
      };
    },
  );
}
