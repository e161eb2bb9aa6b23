/**
 * `buildPortal(options)`: the branch portal's Fastify app (issue 14): security headers, cookies, CSRF, sign-in
 * (auth.ts), the JSON API (api/*.ts) with zod on every request and response, its OpenAPI document at
 * `GET /api/openapi.json`, the pages and their form routes (web/*.ts, rendered by pages/), and /assets for the pages
 * (portal/assets, and uPlot from node_modules/uplot/dist at /assets/uplot/).
 * Not started here: `app.listen` (cli/serve.ts) or `app.inject` (tests).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { z } from 'zod';
import type { Plant } from '../kpi/plant.ts';
import type { RecordsStore } from '../records/port.ts';
import type { PortalUser } from '../records/port-users.ts';
import type { SeriesStore } from '../store/port.ts';
import { registerActions, registerUploads } from './api/actions.ts';
import { registerBranches } from './api/branches.ts';
import { registerExports } from './api/export.ts';
import { registerScopes } from './api/scopes.ts';
import { csrfTokenOf, registerAuth } from './auth.ts';
import { ApiError, type PortalContext } from './context.ts';
import { PortalData } from './data.ts';
import { apiRoute, openApiDocument, routesOf } from './openapi.ts';
import { errorPage } from './pages/index.ts';
import { Flashes } from './web/flash.ts';
import { registerForms } from './web/forms.ts';
import { registerPages } from './web/pages.ts';
import { sendPage } from './web/render.ts';

export interface PortalOptions {
  /** the compiled plant (kpi/plant.ts compilePlant) */
  plant: Plant;
  /** the data directory (evidence files go to DATA/evidence) */
  dataDir: string;
  /** the series store, opened by the caller (store/open.ts openStore) */
  store: SeriesStore;
  /** the records store, with its users and sessions (records/shared.ts openSharedRecords) */
  records: RecordsStore;
  /** the clock, epoch ms; the wall clock by default */
  now?: () => number;
  /** mark the session cookie Secure and send HSTS (the portal is served over HTTPS) */
  secureCookies?: boolean;
  /** Fastify's logger (false by default; the serve command passes its own) */
  logger?: boolean | { level: string };
  /** trust X-Forwarded-For from a reverse proxy for the client's IP (rate limits) */
  trustProxy?: boolean;
  /** how long a month's engine runs are reused, ms (60 s; data.ts) */
  runsKeptMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: the signed-in user on the request, else 401 (/api) or a redirect to /login?next= (pages) */
    requireUser: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
    /** preValidation hook: the CSRF token of the session, else 403 */
    csrf: (req: FastifyRequest, reply: FastifyReply, done: () => void) => void;
    /** every route registered on the app (method, url), HEAD routes included */
    registeredRoutes: readonly { method: string; url: string }[];
  }
}

const VERSION = '1';

function uplotDir(): string {
  return path.join(path.dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
}

function zodIssues(e: z.ZodError, part: string): string {
  return e.issues
    .map((i) => `${part}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`)
    .join('; ');
}

export async function buildPortal(o: PortalOptions): Promise<FastifyInstance> {
  const now = o.now ?? Date.now;
  const secure = o.secureCookies ?? false;
  const app = Fastify({
    logger: o.logger ?? false,
    trustProxy: o.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
  });
  app.decorate('apiRoutes', []);
  // every route registered, however (a test checks each /api one is in the OpenAPI document)
  const registered: { method: string; url: string }[] = [];
  app.decorate('registeredRoutes', registered);
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) registered.push({ method: m, url: r.url });
  });
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);

  // zod for every request part and every JSON response (a response that does not fit its schema is a 500)
  app.setValidatorCompiler(({ schema, httpPart }) => (data: unknown) => {
    const r = (schema as z.ZodType).safeParse(data);
    return r.success ? { value: r.data } : { error: new Error(zodIssues(r.error, httpPart ?? 'request')) };
  });
  app.setSerializerCompiler(
    ({ schema }) =>
      (data: unknown) =>
        JSON.stringify((schema as z.ZodType).parse(data)),
  );

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // a plant's LAN is often plain HTTP: upgrading would break every asset there
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    hsts: secure ? { maxAge: 180 * 86400 } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(csrfProtection, {
    // our sessions live in the records store: the plugin reads request.session.csrfSecret
    sessionPlugin: '@fastify/session',
    sessionKey: 'csrfSecret',
    getToken: csrfTokenOf,
  });
  await app.register(rateLimit, { global: false });

  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    let status = err.statusCode ?? 500;
    let message = err.message;
    if (err instanceof ApiError) reply.headers(err.headers);
    else if ((err as FastifyError).validation || (err as FastifyError).code === 'FST_ERR_VALIDATION') {
      status = 400;
      message = `请求无效 invalid request: ${err.message}`;
    } else if ((err as FastifyError).code?.startsWith('FST_CSRF')) {
      message =
        'CSRF 令牌缺失或无效 the CSRF token is missing or wrong: send x-csrf-token (GET /api/me gives it)';
    } else if (status === 413) {
      message = `文件过大 file too large: 至多 at most 10 MB (${err.message})`;
    } else if (status === 429) {
      message = `请求过多 too many requests: ${err.message}`;
    } else if (status >= 500) {
      req.log.error(err);
      message = '服务器内部错误 internal error: 详见服务器日志 see the server log';
    }
    return reply.code(status).send({ statusCode: status, error: statusWord(status), message });
  });
  app.setNotFoundHandler((req, reply) =>
    req.url.startsWith('/api/') || req.url === '/api'
      ? reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `未找到 not found: ${req.method} ${req.url}`,
        })
      : sendPage(reply, 404, errorPage(null, { status: 404 })),
  );

  const records = o.records;
  const data = new PortalData({
    store: o.store,
    plant: o.plant,
    records,
    now,
    ...(o.runsKeptMs !== undefined ? { runsKeptMs: o.runsKeptMs } : {}),
  });
  const ctx: PortalContext = {
    plant: o.plant,
    data,
    records,
    now,
    dataDir: o.dataDir,
    secureCookies: secure,
  };
  const auth = registerAuth(app, ctx);
  app.decorate('requireUser', auth.requireUser);
  app.decorate('csrf', auth.csrf);

  registerBranches(app, ctx, auth);
  registerScopes(app, ctx, auth);
  registerExports(app, ctx, auth);
  const flashes = new Flashes(now);
  // the API's actions and the pages' form routes share the multipart parsing of evidence files
  await app.register(async (scope) => {
    const uploads = await registerUploads(scope, ctx);
    registerActions(scope, ctx, auth, uploads);
    await scope.register(async (forms) => registerForms(forms, ctx, auth, uploads, flashes));
  });
  await app.register(async (scope) => registerPages(scope, ctx, auth, flashes));

  apiRoute(
    app,
    {
      method: 'GET',
      url: '/api/openapi.json',
      summary: 'OpenAPI 3.1 文档 the API described',
      response: { download: 'application/json' },
      errors: [],
      signedIn: false,
    },
    {},
    async (_req, reply) =>
      reply.type('application/json').send(JSON.stringify(openApiDocument(routesOf(app), VERSION))),
  );

  await app.register(fastifyStatic, {
    root: uplotDir(),
    prefix: '/assets/uplot/',
    allowedPath: (p) => /^\/?uPlot\.(iife\.min\.js|iife\.js|esm\.js|min\.css)$/.test(p),
    index: false,
    list: false,
    maxAge: 86_400_000,
  });
  // the pages' own stylesheet and scripts (portal/assets: files of its top folder only)
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('./assets/', import.meta.url)),
    prefix: '/assets/',
    decorateReply: false,
    allowedPath: (p) => /^\/?[\w-]+\.(css|js)$/.test(p),
    index: false,
    list: false,
    maxAge: 3_600_000,
  });
  return app;
}

function statusWord(status: number): string {
  const words: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
  };
  return words[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}

export type { PortalUser };
