/**
 * The portal's JSON API on the reference plant's October: every route for every role (energy manager, the
 * secretaries of both branches, a viewer, no one), each response checked against its schema; the scorecard route
 * against `plantkpi scorecard --branch ID --format json`; the OpenAPI document against the routes registered; the
 * security headers and the cookie. Actions, CSRF and the sign-in limit: portal-actions.test.ts.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { routesOf } from '../portal/openapi.ts';
import { ErrorBody } from '../portal/schemas.ts';
import { cli } from './helpers.ts';
import { type Fixture, login, PERIOD, portalFixture, type Session } from './portal-fixture.ts';

let f: Fixture;
let app: FastifyInstance;
const who: Record<string, Session | null> = { anon: null };
const ROLES = ['em', 'sec-ely', 'sec-pwr', 'viewer', 'anon'] as const;
type Role = (typeof ROLES)[number];

beforeAll(async () => {
  f = await portalFixture('plantkpi-portal-api-');
  app = f.app;
  for (const u of ['em', 'sec-ely', 'sec-pwr', 'viewer']) who[u] = await login(app, u);
}, 180_000);
afterAll(async () => f?.cleanup());

const get = (url: string, role: Role) =>
  app.inject({ method: 'GET', url, headers: who[role] ? { cookie: who[role]!.cookie } : {} });

/** The route a URL answers to (Fastify's form), for its schema. */
function schemaOf(method: string, url: string): z.ZodType | 'download' | undefined {
  const p = url.split('?')[0]!;
  const r = routesOf(app).find(
    (x) => x.method === method && new RegExp(`^${x.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(p),
  );
  if (!r) return undefined;
  return 'download' in r.response ? 'download' : (r.response as z.ZodType);
}

/** status per role: em, sec-ely, sec-pwr, viewer, anon */
const M = (em: number, ely: number, pwr: number, viewer: number, anon = 401) => ({
  em,
  'sec-ely': ely,
  'sec-pwr': pwr,
  viewer,
  anon,
});
const q = `?period=${PERIOD}`;
const READS: [string, ReturnType<typeof M>][] = [
  ['/api/me', M(200, 200, 200, 200)],
  ['/api/periods', M(200, 200, 200, 200)],
  [`/api/branches${q}`, M(200, 200, 200, 200)],
  ['/api/branches?period=2026-13', M(400, 400, 400, 400)],
  [`/api/branches/B-ELY/scorecard${q}`, M(200, 200, 403, 200)],
  [`/api/branches/B-PWR/scorecard${q}`, M(200, 403, 200, 200)],
  [`/api/branches/NOPE/scorecard${q}`, M(404, 403, 403, 404)],
  [`/api/branches/b-pwr/scorecard${q}`, M(404, 403, 403, 404)],
  ['/api/branches/B-PWR/scorecard', M(400, 400, 400, 400)],
  [`/api/areas/A-ELY-1${q}`, M(200, 200, 403, 200)],
  [`/api/areas/A-BLR${q}`, M(200, 403, 200, 200)],
  [`/api/areas/NOPE${q}`, M(404, 403, 403, 404)],
  [`/api/teams/T-BLR${q}`, M(200, 403, 200, 200)],
  [`/api/teams/NOPE${q}`, M(404, 403, 403, 404)],
  [`/api/branches/B-ELY/export${q}`, M(200, 200, 403, 200)],
  [`/api/branches/B-PWR/export${q}`, M(200, 403, 200, 200)],
  [`/api/branches/NOPE/export${q}`, M(404, 403, 403, 404)],
  [`/api/export${q}`, M(200, 403, 403, 403)],
  ['/api/openapi.json', M(200, 200, 200, 200, 200)],
  ['/api/nothing-here', M(404, 404, 404, 404, 404)],
];

describe('GET routes × roles', { timeout: 180_000 }, () => {
  it.each(READS)('%s', async (url, expected) => {
    for (const role of ROLES) {
      const r = await get(url, role);
      expect(r.statusCode, `${role} ${url}: ${r.body.slice(0, 200)}`).toBe(expected[role]);
      expect(r.headers['cache-control'], url).toBe('no-store');
      const schema = schemaOf('GET', url);
      if (r.statusCode !== 200) {
        expect(ErrorBody.parse(r.json())).toEqual(r.json());
        expect(r.json().message).toMatch(/[\u4e00-\u9fff].* [a-z]/);
      } else if (schema === 'download') {
        if (url.includes('export')) {
          expect(r.headers['content-type']).toMatch(/spreadsheetml/);
          expect(r.headers['content-disposition']).toMatch(
            /^attachment; filename="plantkpi-[A-Z-]+-2026-10\.xlsx"/,
          );
          expect(r.rawPayload.subarray(0, 2).toString()).toBe('PK');
        }
      } else {
        expect(schema, url).toBeDefined();
        expect(schema!.parse(r.json()), url).toEqual(r.json());
      }
    }
  });

  it('the branches list: every branch with points and rank for all; counts only for the branches one may open', async () => {
    const body = (await get(`/api/branches${q}`, 'sec-ely')).json();
    expect(body.branches.map((b: { branch: { id: string } }) => b.branch.id)).toEqual(['B-ELY', 'B-PWR']);
    const [ely, pwr] = body.branches;
    expect(ely).toMatchObject({ canOpen: true, points: 10, points_rank: 1, targets: { met: 1, total: 1 } });
    expect(ely.tasks).toEqual({ open: 2, overdue: 0, closed: 0 });
    expect(pwr).toMatchObject({ canOpen: false, points: -2, points_rank: 2, targets: null, tasks: null });
    const all = (await get(`/api/branches${q}`, 'em')).json();
    expect(all.branches[1]).toMatchObject({ canOpen: true, tasks: { open: 2, overdue: 0, closed: 1 } });
  });

  it('the months with readings, newest first', async () => {
    expect((await get('/api/periods', 'viewer')).json()).toEqual({ periods: ['2026-10'] });
  });
});

describe('the scorecard route', { timeout: 180_000 }, () => {
  it.each(['B-ELY', 'B-PWR'])(
    '%s: the numbers of plantkpi scorecard --branch --format json',
    async (branch) => {
      const c = await cli(
        'scorecard',
        '--config',
        f.config,
        '--data',
        f.data,
        '--period',
        PERIOD,
        '--branch',
        branch,
        '--format',
        'json',
      );
      expect(c.code, c.err).toBe(0);
      const api = (await get(`/api/branches/${branch}/scorecard${q}`, 'em')).json();
      const { period, targets, ranking, points, tasks, ledger } = api;
      expect({ period, targets, ranking, points, tasks, ledger }).toEqual(JSON.parse(c.out));
      expect(targets.length).toBeGreaterThan(0);
      expect(targets[0]).toHaveProperty('ytd_actual');
      expect(targets[0]).toHaveProperty('yoy_pct');
    },
  );

  it('names the branch’s areas and teams and what the caller may close or confirm', async () => {
    const sec = (await get(`/api/branches/B-PWR/scorecard${q}`, 'sec-pwr')).json();
    expect(sec.areas.map((a: { id: string }) => a.id)).toEqual(['A-BLR']);
    expect(sec.teams.map((a: { id: string }) => a.id)).toEqual(['T-BLR']);
    // K-1 has a KPI rule and is closed by it: only the pledge and the manual task are the secretary's to close
    expect(sec.actions).toEqual([
      { task: 'P-PWR', may: 'confirm' },
      { task: 'M-PWR', may: 'close' },
    ]);
    const viewer = (await get(`/api/branches/B-PWR/scorecard${q}`, 'viewer')).json();
    expect(viewer.actions).toEqual([]);
  });
});

describe('an area', { timeout: 180_000 }, () => {
  it('its KPIs against target, a point a day for energy, CO2 and intensity, its meters’ completeness', async () => {
    const a = (await get(`/api/areas/A-BLR${q}`, 'sec-pwr')).json();
    expect(a.scope).toMatchObject({ type: 'area', id: 'A-BLR' });
    expect(a.branch).toMatchObject({ id: 'B-PWR' });
    expect(a.targets).toEqual([
      expect.objectContaining({ kpi: 'intensity.energy', target_max: 16, status: 'missed' }),
    ]);
    expect(a.tracked[0]).toMatchObject({
      kpi: 'intensity.energy',
      scope_id: 'A-BLR',
      ytd_actual: expect.any(Number),
    });
    expect(a.trends.map((t: { kpi: string }) => t.kpi)).toEqual([
      'energy.total',
      'emissions.co2',
      'intensity.energy',
    ]);
    for (const t of a.trends) {
      expect(t.points).toHaveLength(31);
      expect(t.points[0].day).toBe('2026-10-01');
    }
    // the month's tce is the sum of its days (an amount adds up over days)
    const tce = a.kpis.find((k: { kpi: string }) => k.kpi === 'energy.total').value;
    const days = a.trends[0].points.reduce((s: number, p: { value: number }) => s + p.value, 0);
    expect(days).toBeCloseTo(tce, 6);
    expect(a.meters.map((m: { signal: string }) => m.signal).sort()).toEqual(['E-AUX', 'G-BLR', 'P-STM']);
    for (const m of a.meters) expect(m.completeness).toBeGreaterThan(0.9);
  });
});

describe('the OpenAPI document', () => {
  it('has every registered /api route with its methods, and nothing else', async () => {
    const doc = (await get('/api/openapi.json', 'anon')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(JSON.stringify(doc)).not.toContain('$schema');
    const registered = app.registeredRoutes.filter((r) => r.url.startsWith('/api') && r.method !== 'HEAD');
    expect(registered.length).toBeGreaterThanOrEqual(14);
    for (const r of registered) {
      const p = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(doc.paths[p]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops as object).map((m) => `${m} ${p}`),
    );
    expect(documented.length).toBe(registered.length);
    const sc = doc.paths['/api/branches/{id}/scorecard'].get;
    expect(sc.parameters.map((x: { name: string; in: string }) => `${x.in}:${x.name}`)).toEqual([
      'path:id',
      'query:period',
    ]);
    expect(sc.responses[200].content['application/json'].schema.properties.targets.type).toBe('array');
    expect(
      doc.paths['/api/pledges/{id}/confirm'].post.requestBody.content['multipart/form-data'],
    ).toBeDefined();
  });
});

describe('headers and the session cookie', () => {
  it('CSP without inline scripts, no framing, no caching of the API, nosniff', async () => {
    const r = await get('/api/me', 'em');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['strict-transport-security']).toBeUndefined();
  });

  it('the cookie: HttpOnly, SameSite=Lax, Path=/, 12 h; Secure (and HSTS) only when configured', async () => {
    const login = async (a: FastifyInstance) =>
      a.inject({
        method: 'POST',
        url: '/api/login',
        payload: { username: 'viewer', password: 'pw-viewer-2026!' },
      });
    const plain = String((await login(app)).headers['set-cookie']);
    expect(plain).toMatch(/^plantkpi_session=[A-Za-z0-9_-]{43};/);
    expect(plain).toContain('HttpOnly');
    expect(plain).toContain('SameSite=Lax');
    expect(plain).toContain('Path=/');
    expect(plain).toContain(`Expires=${new Date(f.clock.ms + 12 * 3600_000).toUTCString()}`);
    expect(plain).not.toContain('Secure');
    const secureApp = await f.build({ secureCookies: true });
    const r = await login(secureApp);
    expect(String(r.headers['set-cookie'])).toContain('Secure');
    expect(r.headers['strict-transport-security']).toMatch(/max-age=/);
    await secureApp.close();
  });

  it('uPlot is served under /assets/uplot/ and nothing else from node_modules', async () => {
    const js = await get('/assets/uplot/uPlot.iife.min.js', 'anon');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect((await get('/assets/uplot/package.json', 'anon')).statusCode).toBe(404);
    expect((await get('/assets/uplot/../../package.json', 'anon')).statusCode).toBe(404);
  });

  it('a page behind requireUser redirects to /login?next=… without a session, and renders with one', async () => {
    const pages = await f.build();
    let handled = 0;
    pages.get('/branch/:id', { onRequest: [pages.requireUser] }, async (req) => {
      handled++;
      return `hello ${req.user!.username}`;
    });
    const anon = await pages.inject({ url: '/branch/B-ELY?period=2026-10' });
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toBe(`/login?next=${encodeURIComponent('/branch/B-ELY?period=2026-10')}`);
    expect(handled).toBe(0);
    const ok = await pages.inject({ url: '/branch/B-ELY', headers: { cookie: who.em!.cookie } });
    expect(ok.body).toBe('hello em');
    expect(ok.headers['cache-control']).toBeUndefined();
    await pages.close();
  });

  it('a session ends after 12 h', async () => {
    const s = await login(app, 'viewer');
    f.clock.ms += 12 * 3600_000;
    try {
      const r = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } });
      expect(r.statusCode).toBe(401);
    } finally {
      f.clock.ms -= 12 * 3600_000;
    }
  });
});
