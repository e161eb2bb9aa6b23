/**
 * The portal's actions on real data: every POST for every role; CSRF missing or wrong is 403 with nothing written;
 * a pledge confirmed with an evidence file shows closed in the next scorecard and in the audit log with the user's
 * name; a manual task closed by a form post; points awarded by the energy manager; sign-in failures rate-limited;
 * memory and the scorecard route's time over real HTTP.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClosedBody } from '../portal/schemas.ts';
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
const s: Record<string, Session> = {};

beforeAll(async () => {
  f = await portalFixture('plantkpi-portal-act-');
  app = f.app;
  for (const u of ['em', 'sec-ely', 'sec-pwr', 'viewer']) s[u] = await login(app, u);
}, 180_000);
afterAll(async () => f?.cleanup());

const post = (url: string, role: string | null, payload: object, csrf: 'own' | 'none' | string = 'own') => {
  const headers: Record<string, string> = {};
  if (role) headers.cookie = s[role]!.cookie;
  if (role && csrf === 'own') headers['x-csrf-token'] = s[role]!.csrf;
  else if (csrf !== 'none' && csrf !== 'own') headers['x-csrf-token'] = csrf;
  return app.inject({ method: 'POST', url, payload, headers });
};
const scorecard = async (branch: string) =>
  (
    await app.inject({
      method: 'GET',
      url: `/api/branches/${branch}/scorecard?period=${PERIOD}`,
      headers: { cookie: s.em!.cookie },
    })
  ).json();
const state = async () => ({ audit: (await f.records.list()).length, closures: await f.records.closures() });
const body = { period: PERIOD, evidence: '已完成 done' };

describe('POST routes × roles (refusals: nothing is written)', { timeout: 120_000 }, () => {
  const CASES: [string, object, Record<string, number>][] = [
    // a KPI-rule task (K-1, the power branch's team): 409 for whoever may act on the branch, the manager too
    ['/api/tasks/K-1/close', body, { em: 409, 'sec-ely': 403, 'sec-pwr': 409, viewer: 403, anon: 401 }],
    ['/api/tasks/M-PWR/close', body, { 'sec-ely': 403, viewer: 403, anon: 401 }],
    ['/api/tasks/P-PWR/close', body, { em: 409, 'sec-ely': 403, 'sec-pwr': 409, viewer: 403, anon: 401 }],
    ['/api/pledges/P-ELY/confirm', body, { 'sec-pwr': 403, viewer: 403, anon: 401 }],
    ['/api/pledges/NOPE/confirm', body, { em: 404, 'sec-ely': 403, 'sec-pwr': 403, viewer: 403, anon: 401 }],
    ['/api/pledges/P-ELY/confirm', { period: PERIOD }, { em: 400, 'sec-ely': 400 }],
    ['/api/pledges/P-ELY/confirm', { period: '2026-12', evidence: 'x' }, { em: 400 }],
    [
      '/api/points',
      { period: PERIOD, scope_type: 'area', scope_id: 'A-BLR', points: 1, reason: 'r' },
      { 'sec-ely': 403, 'sec-pwr': 403, viewer: 403, anon: 401 },
    ],
    [
      '/api/points',
      { period: PERIOD, scope_type: 'area', scope_id: 'NOPE', points: 1, reason: 'r' },
      { em: 404 },
    ],
  ];
  it.each(CASES)('%s %j', async (url, payload, expected) => {
    const before = await state();
    for (const [role, status] of Object.entries(expected)) {
      const r = await post(url, role === 'anon' ? null : role, payload);
      expect(r.statusCode, `${role} ${url}: ${r.body}`).toBe(status);
      expect(r.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await state()).toEqual(before);
  });

  it('logout and every action without the CSRF token, with a wrong one or another session’s: 403, nothing written', async () => {
    const before = await state();
    for (const csrf of ['none', 'wrong-token', s['sec-ely']!.csrf]) {
      for (const url of ['/api/pledges/P-PWR/confirm', '/api/tasks/M-PWR/close', '/api/logout']) {
        const r = await post(url, 'sec-pwr', body, csrf);
        expect(r.statusCode, `${url} ${csrf}`).toBe(403);
        expect(r.json().message).toContain('CSRF');
      }
      const p = await post(
        '/api/points',
        'em',
        { period: PERIOD, scope_type: 'area', scope_id: 'A-BLR', points: 1, reason: 'r' },
        csrf,
      );
      expect(p.statusCode).toBe(403);
    }
    // the session still works: the refused logout did not end it
    expect((await app.inject({ url: '/api/me', headers: { cookie: s['sec-pwr']!.cookie } })).statusCode).toBe(
      200,
    );
    expect(await state()).toEqual(before);
  });
});

describe('actions that land in the records', { timeout: 120_000 }, () => {
  it('a secretary confirms its pledge with an evidence file: closed in the next scorecard, audited with the name', async () => {
    const file = Buffer.from('验收报告 acceptance report\n'.repeat(50));
    const sha = createHash('sha256').update(file).digest('hex');
    const m = multipart(
      { _csrf: s['sec-pwr']!.csrf, period: PERIOD, evidence: '十月无事故 no accident in October' },
      {
        name: '验收 report.pdf',
        type: 'application/pdf',
        data: file,
      },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/pledges/P-PWR/confirm',
      payload: m.payload,
      headers: { cookie: s['sec-pwr']!.cookie, 'content-type': m.contentType },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(ClosedBody.parse(r.json())).toEqual(r.json());
    expect(r.json().attachment).toEqual({ name: '验收 report.pdf', sha256: sha, bytes: file.length });
    expect(readFileSync(path.join(f.data, 'evidence', `${sha}.pdf`))).toEqual(file);
    expect(readdirSync(path.join(f.data, 'evidence', '.incoming'))).toEqual([]);

    const task = (await scorecard('B-PWR')).tasks.find((t: { id: string }) => t.id === 'P-PWR');
    expect(task).toMatchObject({ status: 'closed', closed_period: PERIOD, on_time: true });
    expect(task.evidence).toBe(
      `动力书记 (sec-pwr): 十月无事故 no accident in October [附件 attachment: 验收 report.pdf, sha256 ${sha}]`,
    );
    const pwr = (await scorecard('B-PWR')).ledger.find((e: { ref: string }) => e.ref === 'P-PWR');
    expect(pwr).toMatchObject({ scope_type: 'branch', scope_id: 'B-PWR', points: 3, source: 'task' });
    const audit = (await f.records.list()).at(-1)!;
    expect(audit).toMatchObject({
      action: 'task-close',
      period: PERIOD,
      by: '动力书记 (sec-pwr)',
      atMs: f.clock.ms,
    });
    expect(audit.detail).toMatchObject({ task: 'P-PWR', source: 'manual' });
    expect(audit.reason).toContain(sha);
    // once closed, closed
    const again = await post('/api/pledges/P-PWR/confirm', 'sec-pwr', body);
    expect(again.statusCode).toBe(409);
    expect((await f.records.verify()).ok).toBe(true);
  });

  it('a secretary closes its area’s manual task from a form post with the _csrf field', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/tasks/M-ELY/close',
      payload: new URLSearchParams({
        _csrf: s['sec-ely']!.csrf,
        period: PERIOD,
        evidence: '灯具已更换 lamps replaced',
      }).toString(),
      headers: { cookie: s['sec-ely']!.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ task: { id: 'M-ELY', status: 'closed' }, attachment: null });
    expect((await f.records.list()).at(-1)).toMatchObject({ action: 'task-close', by: '电解书记 (sec-ely)' });
  });

  it('an upload of a refused request is not kept; one over 10 MB is 413', async () => {
    const m = multipart(
      { period: PERIOD, evidence: 'x' },
      { name: 'a.txt', type: 'text/plain', data: Buffer.from('x') },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/pledges/P-ELY/confirm',
      payload: m.payload,
      headers: { cookie: s['sec-ely']!.cookie, 'content-type': m.contentType }, // no CSRF token
    });
    expect(r.statusCode).toBe(403);
    const big = multipart(
      { _csrf: s['sec-ely']!.csrf, period: PERIOD, evidence: 'x' },
      {
        name: 'big.bin',
        type: 'application/octet-stream',
        data: Buffer.alloc(10 * 1024 * 1024 + 1),
      },
    );
    const b = await app.inject({
      method: 'POST',
      url: '/api/pledges/P-ELY/confirm',
      payload: big.payload,
      headers: { cookie: s['sec-ely']!.cookie, 'content-type': big.contentType },
    });
    expect(b.statusCode, b.body).toBe(413);
    expect(readdirSync(path.join(f.data, 'evidence', '.incoming'))).toEqual([]);
    expect(
      existsSync(path.join(f.data, 'evidence', `${createHash('sha256').update('x').digest('hex')}.txt`)),
    ).toBe(false);
    expect((await scorecard('B-ELY')).tasks.find((t: { id: string }) => t.id === 'P-ELY').status).toBe(
      'open',
    );
  });

  it('the energy manager awards points: in the ledger, the branch’s points and the audit log', async () => {
    const before = (await scorecard('B-PWR')).points.find(
      (p: { scope_id: string }) => p.scope_id === 'B-PWR',
    ).points;
    const r = await post('/api/points', 'em', {
      period: PERIOD,
      scope_type: 'area',
      scope_id: 'A-BLR',
      points: 4,
      reason: '节能创新 energy-saving idea',
    });
    expect(r.statusCode, r.body).toBe(200);
    const sc = await scorecard('B-PWR');
    expect(sc.ledger.find((e: { source: string }) => e.source === 'manual')).toMatchObject({
      scope_id: 'A-BLR',
      points: 4,
      by: '能源经理 (em)',
    });
    expect(sc.points.find((p: { scope_id: string }) => p.scope_id === 'B-PWR').points).toBe(before + 4);
    expect((await f.records.list()).at(-1)).toMatchObject({ action: 'points-award', by: '能源经理 (em)' });
  });
});

describe('sign-in', { timeout: 60_000 }, () => {
  const tryLogin = (username: string, pw: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/login', payload: { username, password: pw }, headers });

  it('a wrong password and an unknown user get the same answer; after 5 failures 429 with Retry-After', async () => {
    const unknown = await tryLogin('nobody', 'x');
    expect(unknown.statusCode).toBe(401);
    for (let i = 0; i < 5; i++) {
      const r = await tryLogin('viewer', 'wrong');
      expect(r.statusCode).toBe(401);
      expect(r.json().message).toBe(unknown.json().message);
    }
    const locked = await tryLogin('viewer', password('viewer'));
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBe(15 * 60);
    // another user from the same address is not held back
    expect((await tryLogin('em', password('em'))).statusCode).toBe(200);
    f.clock.ms += 15 * 60_000;
    expect((await tryLogin('viewer', password('viewer'))).statusCode).toBe(200);
  });

  it('a disabled user gets the same answer as a wrong password, and its open session stops working', async () => {
    const wrong = await tryLogin('sec-ely', 'wrong');
    const open = await login(app, 'sec-ely');
    await f.records.disableUser('sec-ely', 'test', '调岗 moved to another post');
    const r = await tryLogin('sec-ely', password('sec-ely'));
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toBe(wrong.json().message);
    expect((await app.inject({ url: '/api/me', headers: { cookie: open.cookie } })).statusCode).toBe(401);
  });

  it('a cross-site Origin is refused; the same origin is not', async () => {
    const r = await tryLogin('em', password('em'), { origin: 'http://evil.example' });
    expect(r.statusCode).toBe(403);
    expect((await tryLogin('em', password('em'), { origin: 'http://localhost:80' })).statusCode).toBe(200);
  });

  it('logout ends the session', async () => {
    const me = await login(app, 'viewer');
    expect((await post('/api/logout', null, {}, 'none')).statusCode).toBe(401);
    const r = await app.inject({
      method: 'POST',
      url: '/api/logout',
      headers: { cookie: me.cookie, 'x-csrf-token': me.csrf },
    });
    expect(r.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/me', headers: { cookie: me.cookie } })).statusCode).toBe(401);
  });
});
