/**
 * The page routes and the form routes without a browser (`inject`, the reference plant's October): every page for
 * every role (the API's access: 403 and 404 as the error page, never JSON), the start page's redirects, the login
 * form (the API's checks: wrong password, cross-site Origin, the failure limit; a safe `next` only), the forms'
 * answers (a 303 to a safe `back` with a flash shown once; 400, 409 and 413 as error flashes; CSRF 403), and the
 * assets. The browser's walk through the same routes is portal-e2e.test.ts.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Fixture,
  login,
  multipart,
  PERIOD,
  password,
  portalFixture,
  type Session,
} from './portal-fixture.ts';

let f: Fixture;
let app: FastifyInstance;
const who: Record<string, Session> = {};
const q = `?period=${PERIOD}`;

beforeAll(async () => {
  f = await portalFixture('plantkpi-portal-web-');
  app = f.app;
  for (const u of ['em', 'sec-ely', 'sec-pwr', 'viewer']) who[u] = await login(app, u);
}, 180_000);
afterAll(async () => f?.cleanup());

const get = (url: string, role: string | null) =>
  app.inject({ method: 'GET', url, headers: role ? { cookie: who[role]!.cookie } : {} });

const ROLES = ['em', 'sec-ely', 'sec-pwr', 'viewer', 'anon'] as const;
const M = (em: number, ely: number, pwr: number, viewer: number) => ({
  em,
  'sec-ely': ely,
  'sec-pwr': pwr,
  viewer,
  anon: 302,
});
const PAGES: [string, ReturnType<typeof M>][] = [
  [`/branches${q}`, M(200, 200, 200, 200)],
  ['/branches', M(200, 200, 200, 200)],
  [`/branches/B-ELY${q}`, M(200, 200, 403, 200)],
  [`/branches/B-PWR${q}`, M(200, 403, 200, 200)],
  [`/branches/NOPE${q}`, M(404, 403, 403, 404)],
  [`/branches/B-PWR?period=2026-13`, M(400, 403, 400, 400)],
  [`/branches/${encodeURIComponent('<x>')}`, M(400, 400, 400, 400)],
  [`/areas/A-ELY-1${q}`, M(200, 200, 403, 200)],
  [`/areas/A-BLR${q}`, M(200, 403, 200, 200)],
  [`/areas/NOPE${q}`, M(404, 403, 403, 404)],
];

describe('pages × roles', { timeout: 180_000 }, () => {
  it.each(PAGES)('%s', async (url, expected) => {
    for (const role of ROLES) {
      const r = await get(url, role === 'anon' ? null : role);
      expect(r.statusCode, `${role} ${url}`).toBe(expected[role]);
      if (r.statusCode === 302) {
        expect(r.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
        continue;
      }
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.body).toMatch(/^<!doctype html>/);
      if (r.statusCode !== 200) expect(r.body).toContain(`<h1>${r.statusCode} `);
    }
  });

  it('an unknown page is the 404 page; an unknown /api route stays JSON', async () => {
    const page = await get('/nothing-here', null);
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('<h1>404 ');
    expect((await get('/api/nothing-here', 'em')).json().statusCode).toBe(404);
  });

  it('the start page: the whole site for the energy manager and a viewer of every branch, else the own branch', async () => {
    expect((await get('/', 'em')).headers.location).toBe('/branches');
    expect((await get('/', 'viewer')).headers.location).toBe('/branches');
    expect((await get(`/${q}`, 'sec-pwr')).headers.location).toBe(`/branches/B-PWR${q}`);
    expect((await get('/', null)).headers.location).toBe('/login?next=%2F');
  });

  it('the period: the newest with data by default; all branches shows a secretary its own row only', async () => {
    const r = await get('/branches', 'sec-ely');
    expect(r.body).toContain(`<option value="${PERIOD}" selected>`);
    expect(r.body).toContain('href="/branches/B-ELY?period=2026-10"');
    expect(r.body).not.toContain('href="/branches/B-PWR');
    expect((await get('/branches', 'em')).body).toContain('href="/branches/B-PWR?period=2026-10"');
  });
});

describe('the login form', { timeout: 60_000 }, () => {
  const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/login',
      payload: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  it('signs in and goes on to a safe next only', async () => {
    const ok = await post({ next: `/areas/A-BLR${q}`, username: 'sec-pwr', password: password('sec-pwr') });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/areas/A-BLR${q}`);
    expect(String(ok.headers['set-cookie'])).toMatch(/^plantkpi_session=.*HttpOnly.*SameSite=Lax/);
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/actions/points'])
      expect(
        (await post({ next, username: 'sec-pwr', password: password('sec-pwr') })).headers.location,
        next,
      ).toBe('/');
    // signed in already: the login page goes on
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    const again = await app.inject({ url: '/login?next=/branches', headers: { cookie } });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/branches');
  });

  it('a wrong password re-renders the page with 401 (the name kept), a cross-site Origin 403, the sixth failure 429', async () => {
    const wrong = await post({ next: '/', username: 'em', password: 'wrong' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('用户名或密码错误');
    expect(wrong.body).toContain('value="em"');
    const unknown = await post({ next: '/', username: 'nobody', password: 'x' });
    expect(unknown.statusCode).toBe(401);
    const evil = await post(
      { next: '/', username: 'em', password: password('em') },
      { origin: 'http://evil.example' },
    );
    expect(evil.statusCode).toBe(403);
    expect(evil.headers['set-cookie']).toBeUndefined();
    for (let i = 0; i < 4; i++)
      expect((await post({ username: 'em', password: 'wrong' })).statusCode).toBe(401);
    const locked = await post({ username: 'em', password: password('em') });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBe(15 * 60);
    expect(locked.body).toContain('<form');
    f.clock.ms += 15 * 60_000;
    expect((await post({ username: 'em', password: password('em') })).statusCode).toBe(303);
  });

  it('past 30 sign-in requests a minute from one address: the login page with 429, not JSON', async () => {
    let r = await post({ username: 'u0', password: 'x' });
    for (let i = 1; i <= 31 && r.statusCode !== 429; i++)
      r = await post({ username: `u${i}`, password: 'x' });
    expect(r.statusCode).toBe(429);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['retry-after']).toBeDefined();
    expect(r.body).toContain('请求过多 too many requests');
    expect(r.body).toContain('<form');
  });
});

describe('the form routes', { timeout: 60_000 }, () => {
  const form = (url: string, role: string, fields: Record<string, string>, file?: Buffer) => {
    const m = multipart(
      { _csrf: who[role]!.csrf, ...fields },
      file ? { name: 'f.bin', type: 'application/octet-stream', data: file } : undefined,
    );
    return app.inject({
      method: 'POST',
      url,
      payload: m.payload,
      headers: { cookie: who[role]!.cookie, 'content-type': m.contentType },
    });
  };
  const back = `/branches/B-ELY${q}`;
  const audit = async () => (await f.records.list()).length;

  it('done: 303 to back with a flash shown once; refused: an error flash, 403 or 404 pages, nothing written', async () => {
    const before = await audit();
    // a KPI-rule task: 409, back to the page with the reason
    const kpi = await form('/actions/tasks/K-1/close', 'em', { period: PERIOD, back, evidence: 'x' });
    expect(kpi.statusCode).toBe(303);
    expect(kpi.headers.location).toBe(back);
    const shown = await get(back, 'em');
    expect(shown.body).toMatch(/class="flash flash-error"[^>]*>K-1 由指标规则销号/);
    expect((await get(back, 'em')).body).not.toContain('flash-error');
    // evidence missing: 400 as a flash
    const empty = await form('/actions/pledges/P-ELY/confirm', 'sec-ely', {
      period: PERIOD,
      back,
      evidence: ' ',
    });
    expect(empty.statusCode).toBe(303);
    expect((await get(back, 'sec-ely')).body).toContain('缺少依据 evidence is required');
    // another branch's task: the 403 page; an unknown one for the manager: 404
    const other = await form('/actions/tasks/M-PWR/close', 'sec-ely', {
      period: PERIOD,
      back,
      evidence: 'x',
    });
    expect(other.statusCode).toBe(403);
    expect(other.body).toContain('<h1>403 ');
    expect(
      (await form('/actions/tasks/NOPE/close', 'em', { period: PERIOD, back, evidence: 'x' })).statusCode,
    ).toBe(404);
    // a file over 10 MB: 413 as a flash
    const big = await form(
      '/actions/pledges/P-ELY/confirm',
      'sec-ely',
      { period: PERIOD, back, evidence: 'x' },
      Buffer.alloc(10 * 1024 * 1024 + 1),
    );
    expect(big.statusCode).toBe(303);
    expect((await get(back, 'sec-ely')).body).toContain('文件过大 file too large');
    // no token: 403, also on sign-out
    const noToken = await app.inject({
      method: 'POST',
      url: '/logout',
      payload: '',
      headers: { cookie: who.viewer!.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain('CSRF');
    expect(await audit()).toBe(before);
  });

  it('closes a task and awards points from forms; a back off the site goes home', async () => {
    const done = await form('/actions/tasks/M-ELY/close', 'sec-ely', {
      period: PERIOD,
      back: 'https://evil.example/',
      evidence: '灯具已更换',
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/');
    expect((await f.records.list()).at(-1)).toMatchObject({ action: 'task-close', by: '电解书记 (sec-ely)' });
    const page = await get(back, 'sec-ely');
    expect(page.body).toContain('已销号 closed: M-ELY');
    const award = await app.inject({
      method: 'POST',
      url: '/actions/points',
      payload: new URLSearchParams({
        _csrf: who.em!.csrf,
        period: PERIOD,
        back: `/branches${q}`,
        scope: 'area:A-BLR',
        points: '-1.5',
        reason: '扣分 deduction',
      }).toString(),
      headers: { cookie: who.em!.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(award.statusCode).toBe(303);
    expect(award.headers.location).toBe(`/branches${q}`);
    expect((await f.records.list()).at(-1)).toMatchObject({ action: 'points-award', by: '能源经理 (em)' });
    expect((await get(`/branches${q}`, 'em')).body).toContain('已记入积分 points awarded: area A-BLR -1.5');
  });
});

describe('assets', () => {
  it('the pages’ stylesheet and script, uPlot, and nothing else', async () => {
    const css = await get('/assets/portal.css', null);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect((await get('/assets/area-chart.js', null)).headers['content-type']).toMatch(/javascript/);
    expect((await get('/assets/uplot/uPlot.min.css', null)).statusCode).toBe(200);
    for (const p of [
      '/assets/../app.ts',
      '/assets/%2e%2e/app.ts',
      '/assets/README.md',
      '/assets/uplot/package.json',
    ])
      expect((await get(p, null)).statusCode, p).toBe(404);
  });
});
