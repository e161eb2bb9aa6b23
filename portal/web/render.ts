/**
 * What the page routes share: the page context of a signed-in request (its user, a CSRF token of its session, the
 * period asked for or the newest with data, a flash message waiting for its session), an HTML reply (never cached:
 * it is one user's page), and the error handler of the page and form scopes: a refusal is a rendered page, never
 * the API's JSON.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeNext } from '../auth.ts';
import { publicUser } from '../context.ts';
import type { PortalData } from '../data.ts';
import { monthOf } from '../data.ts';
import { errorPage, loginPage } from '../pages/index.ts';
import type { ErrorPage, PageContext } from '../pages/types.ts';
import { Month } from '../schemas.ts';
import type { Flashes } from './flash.ts';

export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/** The period of a page: `?period=` when it is a month (else null: a 400), by default the newest with data. */
export async function periodOf(
  req: FastifyRequest,
  data: PortalData,
  now: () => number,
): Promise<{ period: string; periods: string[] } | null> {
  const periods = await data.periods();
  const asked = (req.query as { period?: unknown }).period;
  if (asked === undefined || asked === '') {
    return { period: periods[0] ?? monthOf(now(), data.plant.timeZone), periods };
  }
  if (typeof asked !== 'string' || !Month.safeParse(asked).success) return null;
  // a month without data can still be asked for; the picker then offers it too
  const shown = periods.includes(asked) ? periods : [...periods, asked].sort().reverse();
  return { period: asked, periods: shown };
}

/** The context of a signed-in request (requireUser has run); the flash of its session is taken (shown once). */
export function pageContext(
  req: FastifyRequest,
  reply: FastifyReply,
  flashes: Flashes,
  period: string,
  periods: readonly string[],
): PageContext {
  const flash = flashes.take(req.session!.idHash);
  return {
    user: publicUser(req.user!),
    csrfToken: reply.generateCsrf(),
    period,
    periods,
    ...(flash ? { flash } : {}),
  };
}

/** The error page for this request: with the user's frame when signed in. */
export function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  flashes: Flashes,
  status: ErrorPage['status'],
  message?: string,
): FastifyReply {
  const ctx = req.user && req.session ? pageContext(req, reply, flashes, '', []) : null;
  return sendPage(reply, status, errorPage(ctx, { status, ...(message ? { message } : {}) }));
}

/** 400, 403, 404 as themselves; any other status the page shows as 500 (the log has the cause). */
export function pageStatus(status: number): ErrorPage['status'] {
  return status === 400 || status === 403 || status === 404 ? status : 500;
}

export function isCsrfError(err: FastifyError): boolean {
  return err.code?.startsWith('FST_CSRF') ?? false;
}

export const CSRF_MESSAGE =
  'CSRF 令牌缺失或无效 the form’s token is missing or wrong: 请重新打开页面 reload the page';

/**
 * The page scope's errors: CSRF (a sign-out without its token) 403; an error of the sign-in route itself (the coarse
 * rate limit's 429, whose Retry-After the plugin has set; a body too large) re-renders the login page with its
 * status; anything else is the error page with its status.
 */
export function pageErrors(scope: FastifyInstance, flashes: Flashes): void {
  scope.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) req.log.error(err);
    if (isCsrfError(err)) return sendError(req, reply, flashes, 403, CSRF_MESSAGE);
    if (req.routeOptions.url === '/login' && req.method === 'POST') {
      const body = (req.body ?? {}) as { next?: unknown };
      return sendPage(
        reply,
        Math.min(status, 500),
        loginPage({
          next: typeof body.next === 'string' ? safeNext(body.next) : '/',
          error: status === 429 ? `请求过多 too many requests: ${err.message}` : err.message,
        }),
      );
    }
    if (status === 401) return reply.redirect('/login', 303);
    return sendError(req, reply, flashes, pageStatus(status), status < 500 ? err.message : undefined);
  });
}
