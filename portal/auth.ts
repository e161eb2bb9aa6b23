/**
 * Sign-in, sessions and CSRF.
 *
 * - `POST /api/login`: the password checked with scrypt (portal/password.ts); an unknown or disabled user is checked
 *   against a dummy hash, so both fail alike in words (用户名或密码错误 wrong username or password) and in time. A
 *   cross-site Origin is refused; 5 failures per username and IP within 15 minutes, then 429 with Retry-After
 *   (login-limiter.ts), besides a coarse 30 a minute per IP (@fastify/rate-limit). A success makes a session: a random
 *   32-byte id in an HttpOnly, SameSite=Lax cookie (Secure when configured), 12 h; the store keeps its sha256.
 * - `requireUser`: the onRequest hook of every signed-in route, pages too: 401 for /api, a redirect to
 *   /login?next=PATH for a page.
 * - `csrf`: the preValidation hook of every state change (login excepted): @fastify/csrf-protection's check of the
 *   `x-csrf-token` header or the `_csrf` form field against the session's csrfSecret; missing or wrong: 403.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PortalSession, PortalUser } from '../records/port-users.ts';
import { ApiError, type PortalContext, publicUser } from './context.ts';
import { LoginLimiter } from './login-limiter.ts';
import { apiRoute } from './openapi.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { LoginBody, OkBody, SessionBody } from './schemas.ts';

export const SESSION_COOKIE = 'plantkpi_session';
/** a session lasts 12 h from sign-in */
export const SESSION_MS = 12 * 3600_000;
const WRONG = '用户名或密码错误 wrong username or password';
/**
 * The coarse limit of sign-in requests per IP (@fastify/rate-limit's route config), besides the per-user failures
 * (which POST /api/login and the page's POST /login share): each of the two routes counts its own 30 a minute, as
 * the plugin's local store keeps one count per route.
 */
export const LOGIN_RATE_LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The token sent with a state change: header first, then a form field (pages post forms). */
export function csrfTokenOf(req: FastifyRequest): string | undefined {
  const h = req.headers['x-csrf-token'];
  if (typeof h === 'string' && h !== '') return h;
  const b = req.body as { _csrf?: unknown } | undefined;
  return typeof b?._csrf === 'string' ? b._csrf : undefined;
}

/**
 * A path of this site to return to (after sign-in, after a form); anything else is the home page: another host,
 * `//evil`, `/\\evil`, and any backslash or control character (a browser drops tabs and newlines from a URL, so
 * `/<TAB>/evil` would become `//evil`).
 */
export function safeNext(url: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  return /^\/(?![/\\])[^\\\u0000-\u001f\u007f]*$/.test(url) ? url : '/';
}

/**
 * A browser's sign-in from a page of this site: no Origin (a non-browser client, or an old browser on a same-origin
 * form) or one whose host and port are this request's Host. `null` (a sandboxed frame, a redirect chain) is refused.
 */
export function sameOrigin(req: Pick<FastifyRequest, 'headers'>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const o = new URL(origin);
    return o.host === new URL(`${o.protocol}//${req.headers.host ?? ''}`).host;
  } catch {
    return false;
  }
}

export interface Auth {
  requireUser: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  csrf: (req: FastifyRequest, reply: FastifyReply, done: () => void) => void;
  /** the session of the request's cookie, if any, put on the request (no redirect, no 401): the login page asks */
  currentUser: (req: FastifyRequest) => Promise<PortalUser | null>;
  signIn: (
    req: FastifyRequest,
    reply: FastifyReply,
    username: string,
    password: string,
  ) => Promise<PortalUser>;
  signOut: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

export function registerAuth(app: FastifyInstance, ctx: PortalContext): Auth {
  const limiter = new LoginLimiter(ctx.now);
  let dummy: Promise<string> | null = null;
  const dummyHash = () => {
    dummy ??= hashPassword(randomBytes(16).toString('hex'));
    return dummy;
  };

  async function currentUser(req: FastifyRequest): Promise<PortalUser | null> {
    const id = req.cookies[SESSION_COOKIE];
    const found = id ? await ctx.records.session(sha256Hex(id), ctx.now()) : undefined;
    if (!found) return null;
    req.user = found.user;
    req.session = found.session;
    return found.user;
  }

  async function requireUser(req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    if (await currentUser(req)) return;
    if (req.url.startsWith('/api/') || req.url === '/api')
      throw new ApiError(401, '未登录 not signed in: POST /api/login');
    // returned: the hook chain stops here, the handler does not run
    return reply.redirect(`/login?next=${encodeURIComponent(safeNext(req.url))}`, 302);
  }

  const csrf = (req: FastifyRequest, reply: FastifyReply, done: () => void) =>
    app.csrfProtection(req, reply, done);

  /**
   * Checks a sign-in (same Origin, the failure limit, the password or the dummy hash) and makes the session and its
   * cookie; throws ApiError 403, 429 or 401. The API's POST /api/login and the page's POST /login both sign in here.
   */
  async function signIn(
    req: FastifyRequest,
    reply: FastifyReply,
    username: string,
    password: string,
  ): Promise<PortalUser> {
    if (!sameOrigin(req)) throw new ApiError(403, '跨站登录被拒 cross-site sign-in refused (Origin)');
    const key = `${username.toLowerCase()}|${req.ip}`;
    const wait = limiter.retryAfterS(key);
    if (wait !== null)
      throw new ApiError(
        429,
        `尝试过多 too many failed sign-ins: 请 ${wait} 秒后再试 try again in ${wait} s`,
        {
          'retry-after': String(wait),
        },
      );
    const user = await ctx.records.user(username);
    const usable = user !== undefined && !user.disabled;
    const matches = await verifyPassword(password, usable ? user.passwordHash : await dummyHash());
    if (!usable || !matches) {
      limiter.fail(key);
      throw new ApiError(401, WRONG);
    }
    limiter.clear(key);
    const old = req.cookies[SESSION_COOKIE];
    if (old) await ctx.records.deleteSession(sha256Hex(old));
    const now = ctx.now();
    await ctx.records.purgeSessions(now);
    const id = randomBytes(32).toString('base64url');
    const session: PortalSession = {
      idHash: sha256Hex(id),
      username: user.username,
      createdAtMs: now,
      expiresAtMs: now + SESSION_MS,
      csrfSecret: randomBytes(18).toString('base64url'),
    };
    await ctx.records.createSession(session);
    reply.setCookie(SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: ctx.secureCookies,
      expires: new Date(session.expiresAtMs),
    });
    req.user = user;
    req.session = session;
    return user;
  }

  /** Ends the request's session (requireUser has found it) and clears the cookie. */
  async function signOut(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    await ctx.records.deleteSession(req.session!.idHash);
    reply.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secureCookies,
    });
  }

  apiRoute(
    app,
    {
      method: 'POST',
      url: '/api/login',
      summary: '登录 sign in',
      description: 'Sets the session cookie; returns the user and the CSRF token for later state changes.',
      body: LoginBody,
      response: SessionBody,
      errors: [400, 401, 403, 429],
      signedIn: false,
    },
    // coarse, per IP, besides the per-user failures below
    { config: LOGIN_RATE_LIMIT },
    async (req, reply) => {
      const { username, password } = req.body as { username: string; password: string };
      const user = await signIn(req, reply, username, password);
      return { user: publicUser(user), csrfToken: reply.generateCsrf() };
    },
  );

  apiRoute(
    app,
    {
      method: 'POST',
      url: '/api/logout',
      summary: '退出 sign out',
      response: OkBody,
      errors: [401, 403],
      signedIn: true,
    },
    { onRequest: [requireUser], preValidation: [csrf] },
    async (req, reply) => {
      await signOut(req, reply);
      return { ok: true as const };
    },
  );

  apiRoute(
    app,
    {
      method: 'GET',
      url: '/api/me',
      summary: '当前用户 the signed-in user and a CSRF token',
      response: SessionBody,
      errors: [401],
      signedIn: true,
    },
    { onRequest: [requireUser] },
    async (req, reply) => ({ user: publicUser(req.user!), csrfToken: reply.generateCsrf() }),
  );

  return { requireUser, csrf, currentUser, signIn, signOut };
}
