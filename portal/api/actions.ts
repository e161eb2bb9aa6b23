/**
 * The actions, each through the records store so it is in the audit log with who and when (and so in the ledger,
 * the scorecard and the exports):
 *   POST /api/tasks/:id/close       {period, evidence}, a manual key task (kind task) 销号
 *   POST /api/pledges/:id/confirm   {period, evidence}, a pledge kept 承诺践诺
 *     JSON, a form, or multipart with one optional `file` (≤ 10 MB, kept as DATA/evidence/<sha256>.<ext>; its name
 *     and sha256 are written into the closure's evidence, which is the `task-close` audit entry's reason)
 *   POST /api/points                {period, scope_type, scope_id, points, reason}, a manual award; energy manager
 * Order of checks: signed in (401), not a viewer (403), CSRF (403), the body (400), access to the task (403 / 404,
 * access.ts), what it is (409: a KPI-rule task, the other kind, already closed).
 * The pages' form routes (web/forms.ts) share the multipart parsing (registerUploads) and the actions themselves
 * (closeTask, awardPoints) with these routes.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { PortalUser } from '../../records/port-users.ts';
import { parsePeriod } from '../../transforms/periods.ts';
import { actOnTask, managerOnly, mayAct } from '../access.ts';
import type { Auth } from '../auth.ts';
import { ApiError, byOf, type PortalContext } from '../context.ts';
import { discard, EVIDENCE_MAX_BYTES, keep, receive, type Upload } from '../evidence.ts';
import { apiRoute } from '../openapi.ts';
import { AwardBody, AwardedBody, CloseBody, ClosedBody, IdParams } from '../schemas.ts';
import { check } from './branches.ts';

/** Each request's evidence file, from its multipart body until it is kept or discarded. */
export interface Uploads {
  of(req: FastifyRequest): Upload | undefined;
}

/**
 * Multipart bodies (one optional `file`, at most 10 MB, streamed to DATA/evidence/.incoming) for the routes of this
 * scope and its children, the API's and the pages' form routes alike; an upload not kept by the time the response is
 * sent (a refused request) is deleted.
 */
export async function registerUploads(scope: FastifyInstance, ctx: PortalContext): Promise<Uploads> {
  const uploads = new WeakMap<FastifyRequest, Upload>();
  await scope.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: EVIDENCE_MAX_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024 },
    async onFile(part) {
      const u = await receive(ctx.dataDir, part);
      if (u) uploads.set(this, u);
      part.value = u ? u.name : undefined;
    },
  });
  scope.addHook('onResponse', async (req) => {
    discard(uploads.get(req));
    uploads.delete(req);
  });
  return { of: (req) => uploads.get(req) };
}

/** onRequest: a viewer reads only (403 before the body is read). */
export const actor = async (req: FastifyRequest) => check(mayAct(req.user!));

export function registerActions(
  scope: FastifyInstance,
  ctx: PortalContext,
  auth: Auth,
  uploads: Uploads,
): void {
  const hooks = { onRequest: [auth.requireUser, actor], preValidation: [auth.csrf] };

  for (const kind of ['task', 'pledge'] as const) {
    apiRoute(
      scope,
      {
        method: 'POST',
        url: kind === 'task' ? '/api/tasks/:id/close' : '/api/pledges/:id/confirm',
        summary: kind === 'task' ? '任务销号 close a manual key task' : '承诺践诺 confirm a pledge kept',
        description:
          'A task with a KPI rule is closed by its KPIs and refused here (409) for everyone, as `plantkpi task close` refuses it.',
        params: IdParams,
        body: CloseBody,
        multipart: true,
        response: ClosedBody,
        errors: [400, 401, 403, 404, 409, 413],
        signedIn: true,
      },
      hooks,
      async (req) => {
        const { id } = req.params as { id: string };
        return closeTask(ctx, kind, req.user!, id, req.body as CloseInput, uploads.of(req));
      },
    );
  }

  apiRoute(
    scope,
    {
      method: 'POST',
      url: '/api/points',
      summary: '人工积分 a manual award (or deduction) with its reason; energy manager only',
      body: AwardBody,
      response: AwardedBody,
      errors: [400, 401, 403, 404],
      signedIn: true,
    },
    hooks,
    async (req) => awardPoints(ctx, req.user!, req.body as AwardInput),
  );
}

export type AwardInput = z.output<typeof AwardBody>;
export type CloseInput = z.output<typeof CloseBody>;

/** A manual award (or deduction): the energy manager's; the scope must exist (404). */
export async function awardPoints(ctx: PortalContext, user: PortalUser, b: AwardInput) {
  check(managerOnly(user, '人工积分 manual points'));
  const plant = ctx.plant;
  const list = {
    area: plant.areas,
    team: plant.teams,
    branch: plant.branches,
    general_branch: plant.generalBranches,
  }[b.scope_type];
  if (!list.some((s) => s.id === b.scope_id))
    throw new ApiError(404, `未找到 not found: ${b.scope_type} ${b.scope_id}`);
  return ctx.records.award({
    period: b.period,
    scope_type: b.scope_type,
    scope_id: b.scope_id,
    points: b.points,
    by: byOf(user),
    reason: b.reason,
  });
}

/**
 * Closes a manual task or confirms a pledge, with the request's evidence file if it has one (kept, and named with
 * its sha256 in the evidence). Access (access.ts actOnTask), a month under way or past (400), not closed yet (409).
 */
export async function closeTask(
  ctx: PortalContext,
  kind: 'task' | 'pledge',
  user: PortalUser,
  id: string,
  body: CloseInput,
  upload: Upload | undefined,
) {
  check(actOnTask(user, ctx.plant, id, kind));
  const now = ctx.now();
  const period = parsePeriod(body.period, ctx.plant.timeZone);
  if (period.startMs > now)
    throw new ApiError(
      400,
      `${body.period} 尚未开始 has not begun: 销号计入已开始的月份 a closure counts in a month under way or past`,
    );
  let attachment: { name: string; sha256: string; bytes: number } | null = null;
  let evidence = body.evidence.trim();
  if (upload) {
    keep(ctx.dataDir, upload);
    attachment = { name: upload.name, sha256: upload.sha256, bytes: upload.bytes };
    evidence += ` [附件 attachment: ${upload.name}, sha256 ${upload.sha256}]`;
  }
  // a closure made after its month counts in that month, as `plantkpi task close --period` does
  const r = await ctx.records.closeTask({
    task: id,
    period: period.label,
    source: 'manual',
    effectiveMs: Math.min(now, period.endMs - 1),
    by: byOf(user),
    evidence,
  });
  if (!r.made)
    throw new ApiError(
      409,
      `${id} 已销号 is already closed (${r.closure.period}, ${r.closure.by}): 请先重开 reopen it first (plantkpi task reopen)`,
    );
  const sc = await ctx.data.scorecard(period.label);
  const task = sc.tasks.find((t) => t.id === id)!;
  return { task, attachment };
}
