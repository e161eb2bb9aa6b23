/**
 * The pages' form routes (portal/pages/README.md names them), each calling the API's own action code
 * (api/actions.ts closeTask, awardPoints) with the same hooks: signed in, not a viewer (403), the session's CSRF
 * token in `_csrf` (403, nothing written, an uploaded file discarded):
 *   POST /actions/tasks/:id/close       multipart: _csrf, period, back, evidence, file?
 *   POST /actions/pledges/:id/confirm   multipart: _csrf, period, back, evidence, file?
 *   POST /actions/points                urlencoded: _csrf, period, back, scope (type:id), points, reason
 * Done: a 303 to `back` (a path of this site, else /) with a flash message for the session. Refused: 403 and 404 as
 * the error page; 400, 409 and 413 back to the form's page with the reason as an error flash.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  type AwardInput,
  actor,
  awardPoints,
  type CloseInput,
  closeTask,
  type Uploads,
} from '../api/actions.ts';
import { type Auth, safeNext } from '../auth.ts';
import { ApiError, type PortalContext } from '../context.ts';
import { AwardBody, CloseBody, Id } from '../schemas.ts';
import type { Flashes } from './flash.ts';
import { CSRF_MESSAGE, isCsrfError, pageStatus, sendError } from './render.ts';

/** The page to return to: the form's `back`, else the Referer's path when it is this site, else /. */
export function backOf(req: FastifyRequest): string {
  const back = (req.body as { back?: unknown } | undefined)?.back;
  if (typeof back === 'string') return safeNext(back);
  const referer = req.headers.referer;
  if (!referer) return '/';
  try {
    const u = new URL(referer);
    return u.host === req.headers.host ? safeNext(`${u.pathname}${u.search}`) : '/';
  } catch {
    return '/';
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ApiError(400, `请求无效 invalid form: ${r.error.issues.map((i) => i.message).join('; ')}`);
}

function idOf(req: FastifyRequest): string {
  const { id } = req.params as { id: string };
  if (!Id.safeParse(id).success) throw new ApiError(400, `编号无效 not a valid id: ${id}`);
  return id;
}

export function registerForms(
  scope: FastifyInstance,
  ctx: PortalContext,
  auth: Auth,
  uploads: Uploads,
  flashes: Flashes,
): void {
  const hooks = { onRequest: [auth.requireUser, actor], preValidation: [auth.csrf] };

  const done = (req: FastifyRequest, reply: FastifyReply, text: string) => {
    flashes.put(req.session!.idHash, { kind: 'ok', text });
    return reply.redirect(backOf(req), 303);
  };

  scope.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) req.log.error(err);
    if (isCsrfError(err as FastifyError)) return sendError(req, reply, flashes, 403, CSRF_MESSAGE);
    if (status === 401 || !req.session) return reply.redirect('/login', 303);
    if (status === 400 || status === 409 || status === 413 || status === 415) {
      const text =
        status === 413 ? `文件过大 file too large: 至多 at most 10 MB (${err.message})` : err.message;
      flashes.put(req.session.idHash, { kind: 'error', text });
      return reply.redirect(backOf(req), 303);
    }
    return sendError(req, reply, flashes, pageStatus(status), status < 500 ? err.message : undefined);
  });

  for (const kind of ['task', 'pledge'] as const) {
    const url = kind === 'task' ? '/actions/tasks/:id/close' : '/actions/pledges/:id/confirm';
    scope.post(url, hooks, async (req, reply) => {
      const id = idOf(req);
      const body: CloseInput = parse(CloseBody, req.body);
      const r = await closeTask(ctx, kind, req.user!, id, body, uploads.of(req));
      const file = r.attachment ? `, 附件 file ${r.attachment.name}` : '';
      return done(
        req,
        reply,
        kind === 'task'
          ? `已销号 closed: ${id} (${body.period}${file})`
          : `已确认践诺 pledge confirmed kept: ${id} (${body.period}${file})`,
      );
    });
  }

  scope.post('/actions/points', hooks, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const [type, ...rest] = typeof b.scope === 'string' ? b.scope.split(':') : [];
    const points = typeof b.points === 'string' && b.points.trim() !== '' ? Number(b.points) : Number.NaN;
    const award: AwardInput = parse(AwardBody, {
      period: b.period,
      scope_type: type,
      scope_id: rest.join(':'),
      points,
      reason: b.reason,
    });
    const r = await awardPoints(ctx, req.user!, award);
    return done(req, reply, `已记入积分 points awarded: ${r.scope_type} ${r.scope_id} ${r.points}`);
  });
}
