/**
 * The pages (portal/pages renders them; this decides who may see which and builds their input):
 *   GET  /login             the sign-in form; already signed in: on to `next`
 *   POST /login             the API's sign-in (auth.ts signIn: the same Origin check, failure limit and dummy hash);
 *                           a success sets the cookie and goes on (303) to a safe `next`; a failure re-renders
 *   POST /logout            CSRF-checked; the session ends, on to /login
 *   GET  /                  the energy manager and a viewer of every branch: /branches; anyone else: their branch
 *   GET  /branches          every branch (a user limited to one branch sees its own row only)
 *   GET  /branches/:id      a branch's overview
 *   GET  /areas/:id         an area's month, its daily trends and meters
 * each page with `?period=` (by default the newest month with data), behind requireUser (a redirect to
 * /login?next=…), asking access.ts exactly as the API does (403 / 404 as the error page). The numbers come from
 * PortalData, the API's read side, with its shared engine runs.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canSeeBranch, readScope, seesAll } from '../access.ts';
import { type Auth, LOGIN_RATE_LIMIT, safeNext } from '../auth.ts';
import type { PortalContext } from '../context.ts';
import {
  areaPage,
  areaPageData,
  branchesPage,
  branchesPageData,
  branchPage,
  branchPageData,
  loginPage,
} from '../pages/index.ts';
import type { PageContext } from '../pages/types.ts';
import { Id, LoginBody } from '../schemas.ts';
import type { Flashes } from './flash.ts';
import { pageContext, pageErrors, periodOf, sendError, sendPage } from './render.ts';

/** Where sign-in may send a browser: a page of this site, never a form route (a GET there is a 404). */
export function nextPage(next: unknown): string {
  const n = typeof next === 'string' ? safeNext(next) : '/';
  return n.startsWith('/actions/') || n.startsWith('/logout') ? '/' : n;
}

export function registerPages(
  scope: FastifyInstance,
  ctx: PortalContext,
  auth: Auth,
  flashes: Flashes,
): void {
  const { plant, data } = ctx;
  pageErrors(scope, flashes);
  const signedIn = { onRequest: [auth.requireUser] };

  /** The page's context, or an error page already sent (null) for a malformed period. */
  async function context(req: FastifyRequest, reply: FastifyReply): Promise<PageContext | null> {
    const p = await periodOf(req, data, ctx.now);
    if (!p) {
      sendError(req, reply, flashes, 400, '期间应为月份 the period must be a month, e.g. 2026-10');
      return null;
    }
    return pageContext(req, reply, flashes, p.period, p.periods);
  }

  /** Access as the API decides it, for a page: a malformed id 400, then access.ts's 403 / 404. */
  function refused(req: FastifyRequest, reply: FastifyReply, type: 'branch' | 'area', id: string): boolean {
    if (!Id.safeParse(id).success) {
      sendError(req, reply, flashes, 400, '编号无效 not a valid id');
      return true;
    }
    const d = readScope(req.user!, plant, type, id);
    if (d.ok) return false;
    sendError(req, reply, flashes, d.status === 404 ? 404 : 403, d.message);
    return true;
  }

  scope.get('/login', async (req, reply) => {
    const next = nextPage((req.query as { next?: unknown }).next);
    if (await auth.currentUser(req)) return reply.redirect(next, 303);
    return sendPage(reply, 200, loginPage({ next }));
  });

  scope.post('/login', { config: LOGIN_RATE_LIMIT }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = nextPage(body.next);
    const parsed = LoginBody.safeParse(body);
    if (!parsed.success) {
      const error = '请填写用户名和密码 enter your username and password';
      return sendPage(reply, 400, loginPage({ next, error }));
    }
    try {
      await auth.signIn(req, reply, parsed.data.username, parsed.data.password);
    } catch (err) {
      const e = err as { statusCode?: number; message: string; headers?: Record<string, string> };
      if (!e.statusCode || e.statusCode >= 500) throw err;
      if (e.headers) reply.headers(e.headers);
      return sendPage(
        reply,
        e.statusCode,
        loginPage({ next, error: e.message, username: parsed.data.username }),
      );
    }
    return reply.redirect(next, 303);
  });

  scope.post('/logout', { onRequest: [auth.requireUser], preValidation: [auth.csrf] }, async (req, reply) => {
    await auth.signOut(req, reply);
    return reply.redirect('/login', 303);
  });

  scope.get('/', signedIn, async (req, reply) => {
    const u = req.user!;
    const period = (req.query as { period?: unknown }).period;
    const q = typeof period === 'string' && period !== '' ? `?period=${encodeURIComponent(period)}` : '';
    const to = seesAll(u) || u.branch === null ? '/branches' : `/branches/${encodeURIComponent(u.branch)}`;
    return reply.redirect(`${to}${q}`, 303);
  });

  scope.get('/branches', signedIn, async (req, reply) => {
    const c = await context(req, reply);
    if (!c) return reply;
    const all = branchesPageData(plant, await data.scorecard(c.period));
    // a user limited to one branch sees its own standing (the API gives it no counts of the others either)
    const page = { ...all, branches: all.branches.filter((b) => canSeeBranch(req.user!, b.branch.id)) };
    return sendPage(reply, 200, branchesPage(c, page));
  });

  scope.get('/branches/:id', signedIn, async (req, reply) => {
    const { id } = req.params as { id: string };
    if (refused(req, reply, 'branch', id)) return reply;
    const c = await context(req, reply);
    if (!c) return reply;
    const [sc, result] = await Promise.all([data.scorecard(c.period), data.result(c.period)]);
    const page = branchPageData(plant, sc, result, id);
    if (!page) return sendError(req, reply, flashes, 404);
    return sendPage(reply, 200, branchPage(c, page));
  });

  scope.get('/areas/:id', signedIn, async (req, reply) => {
    const { id } = req.params as { id: string };
    if (refused(req, reply, 'area', id)) return reply;
    const c = await context(req, reply);
    if (!c) return reply;
    const [sc, result, days] = await Promise.all([
      data.scorecard(c.period),
      data.result(c.period),
      data.days(c.period),
    ]);
    const page = areaPageData(plant, sc, result, days, id);
    if (!page) return sendError(req, reply, flashes, 404);
    return sendPage(reply, 200, areaPage(c, page));
  });
}
