/**
 * The API's routes as data (method, url, zod schemas, summary, error statuses) and the OpenAPI 3.1 document made
 * from them with zod's own `z.toJSONSchema`. Routes are registered through `apiRoute`, which hands the same schemas
 * to Fastify (validated by app.ts's zod compilers) and keeps the route for the document, so the two cannot drift;
 * a test checks every registered /api route against the document.
 */
import type {
  FastifyInstance,
  onRequestHookHandler,
  preValidationHookHandler,
  RouteHandlerMethod,
} from 'fastify';
import { z } from 'zod';
import { ErrorBody } from './schemas.ts';

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** Fastify's form: /api/branches/:id/scorecard */
  url: string;
  summary: string;
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** the body may also come as multipart/form-data with one optional `file` (at most 10 MB) */
  multipart?: boolean;
  /** the 200 body: a JSON schema, or a download of this content type */
  response: z.ZodType | { download: string };
  /** the error statuses the route answers with (each an ErrorBody) */
  errors: readonly number[];
  /** false: no session needed (login, the document itself) */
  signedIn: boolean;
}

export interface RouteHooks {
  onRequest?: onRequestHookHandler[];
  preValidation?: preValidationHookHandler[];
  /** the route's config (e.g. @fastify/rate-limit's `rateLimit`) */
  config?: Record<string, unknown>;
}

/** The routes registered so far, per app (no module state: two apps in one process keep their own). */
export function routesOf(app: FastifyInstance): ApiRoute[] {
  return (app as unknown as { apiRoutes: ApiRoute[] }).apiRoutes;
}

export function apiRoute(app: FastifyInstance, r: ApiRoute, hooks: RouteHooks, handler: RouteHandlerMethod) {
  routesOf(app).push(r);
  const response: Record<number, z.ZodType> = {};
  if (!('download' in r.response)) response[200] = r.response as z.ZodType;
  for (const s of r.errors) response[s] = ErrorBody;
  app.route({
    method: r.method,
    url: r.url,
    schema: {
      ...(r.params ? { params: r.params } : {}),
      ...(r.query ? { querystring: r.query } : {}),
      ...(r.body ? { body: r.body } : {}),
      response,
    },
    ...(hooks.onRequest ? { onRequest: hooks.onRequest } : {}),
    ...(hooks.preValidation ? { preValidation: hooks.preValidation } : {}),
    ...(hooks.config ? { config: hooks.config } : {}),
    handler,
  });
}

/** A schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect, so no `$schema` in each). */
function json(s: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parameters(s: z.ZodType | undefined, where: 'path' | 'query') {
  if (!s) return [];
  const schema = json(s, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || (schema.required ?? []).includes(name),
    schema: p,
  }));
}

const STATUS_TEXT: Record<number, string> = {
  400: '请求无效 invalid request',
  401: '未登录 not signed in',
  403: '无权访问 forbidden (or the CSRF token is missing or wrong)',
  404: '未找到 not found',
  409: '冲突 conflict',
  413: '文件过大 file too large',
  429: '尝试过多 too many attempts (Retry-After says when to try again)',
};

export function openApiDocument(routes: readonly ApiRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const ok =
      'download' in r.response
        ? {
            description: '下载 a download (Content-Disposition names the file)',
            content: { [r.response.download]: { schema: { type: 'string', contentEncoding: 'binary' } } },
          }
        : {
            description: 'OK',
            content: { 'application/json': { schema: json(r.response as z.ZodType, 'output') } },
          };
    const responses: Record<string, unknown> = { 200: ok };
    for (const s of r.errors)
      responses[s] = {
        description: STATUS_TEXT[s] ?? String(s),
        content: { 'application/json': { schema: json(ErrorBody, 'output') } },
      };
    let requestBody: unknown;
    if (r.body) {
      const content: Record<string, unknown> = { 'application/json': { schema: json(r.body, 'input') } };
      const form = json(r.body, 'input');
      content['application/x-www-form-urlencoded'] = { schema: form };
      if (r.multipart) {
        const props = { ...(form.properties as object), file: { type: 'string', contentEncoding: 'binary' } };
        content['multipart/form-data'] = { schema: { ...form, properties: props } };
      }
      requestBody = { required: true, content };
    }
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(requestBody ? { requestBody } : {}),
      responses,
      ...(r.signedIn ? { security: [{ session: [] }] } : { security: [] }),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'plantkpi 党支部门户 branch portal API',
      version,
      description:
        "State-changing requests (POST, login excepted) carry the session's CSRF token in `x-csrf-token` (or a `_csrf` form field).",
    },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'plantkpi_session' } },
    },
    paths,
  };
}
