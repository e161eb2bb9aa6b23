/**
 * Every page against what a strict CSP (`default-src 'self'; script-src 'self'; style-src 'self'`) would block, and
 * the forms that change state against CSRF; then the all-branches, login and error pages on their own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatPoints } from '../../kpi/scorecard/present.ts';
import { areaPage } from './area.ts';
import { branchPage } from './branch.ts';
import { branchesPage } from './branches.ts';
import { areaPageData, branchesPageData, branchPageData } from './data.ts';
import { errorPage } from './error.ts';
import { loginPage } from './login.ts';
import { attributes, forms, startTags, tableRows } from './testdata/inspect.ts';
import { contextFor, HOSTILE, type ReferenceData, referenceData } from './testdata/reference.ts';
import type { PageContext, Role } from './types.ts';

let ref: ReferenceData;
beforeAll(async () => {
  ref = await referenceData();
});

const ROLES: [Role, string | null][] = [
  ['energy_manager', null],
  ['branch_secretary', 'B-PWR'],
  ['branch_secretary', 'B-ELY'],
  ['viewer', null],
];

/** Every page as each role sees it, with a flash message, a hostile one among them. */
function everyPage(): { name: string; ctx: PageContext | null; page: string }[] {
  const out: { name: string; ctx: PageContext | null; page: string }[] = [
    {
      name: 'login',
      ctx: null,
      page: loginPage({ next: '/branches/B-PWR', error: HOSTILE, username: HOSTILE }),
    },
    { name: 'login with a pre-session token', ctx: null, page: loginPage({ next: '/', csrfToken: 't0' }) },
    { name: '404 before sign-in', ctx: null, page: errorPage(null, { status: 404 }) },
  ];
  for (const [role, branch] of ROLES) {
    const ctx = contextFor(role, branch, { flash: { kind: 'ok', text: `已销号 closed ${HOSTILE}` } });
    const who = `${role} ${branch ?? ''}`;
    for (const b of ['B-ELY', 'B-PWR'])
      out.push({
        name: `${who} branch ${b}`,
        ctx,
        page: branchPage(ctx, branchPageData(ref.plant, ref.scorecard, ref.result, b)!),
      });
    for (const a of ['A-ELY-1', 'A-BLR'])
      out.push({
        name: `${who} area ${a}`,
        ctx,
        page: areaPage(ctx, areaPageData(ref.plant, ref.scorecard, ref.result, ref.days, a)!),
      });
    out.push({
      name: `${who} branches`,
      ctx,
      page: branchesPage(ctx, branchesPageData(ref.plant, ref.scorecard)),
    });
    out.push({ name: `${who} 403`, ctx, page: errorPage(ctx, { status: 403, message: HOSTILE }) });
  }
  return out;
}

describe('every page under a strict CSP', () => {
  it('has no inline script (only src scripts and the JSON data block), no event handler, style or javascript: URL', () => {
    for (const { name, page } of everyPage()) {
      expect(page.startsWith('<!doctype html>\n<html lang="zh-CN">'), name).toBe(true);
      for (const m of page.matchAll(/(<script\b[^>]*>)([\s\S]*?)<\/script>/g)) {
        const a = attributes(m[1]!);
        if (a.get('type') === 'application/json') continue;
        expect(a.get('src'), `${name}: ${m[1]}`).toMatch(/^\/assets\//);
        expect(m[2], `${name}: inline script`).toBe('');
      }
      expect(page, name).not.toMatch(/<style\b/i);
      for (const tag of startTags(page)) {
        for (const [attr, value] of attributes(tag)) {
          expect(attr.startsWith('on'), `${name}: ${tag}`).toBe(false);
          expect(attr, `${name}: ${tag}`).not.toBe('style');
          expect(value.trim().toLowerCase().startsWith('javascript:'), `${name}: ${tag}`).toBe(false);
        }
      }
      expect(page, name).not.toContain('<script>alert');
    }
  });

  it('carries the session token in every form that changes state; the GET period picker and the login need none', () => {
    for (const { name, ctx, page } of everyPage()) {
      for (const f of forms(page)) {
        if (f.method === 'get') {
          expect(f.fields, name).toEqual(['period']);
          continue;
        }
        if (f.action === '/login') continue;
        expect(f.hidden.get('_csrf'), `${name}: ${f.action}`).toBe(ctx!.csrfToken);
        expect(f.fields[0], `${name}: _csrf first`).toBe('_csrf');
      }
    }
  });

  it('offers the periods newest first in a GET picker, the current one selected, and a sign-out POST', () => {
    const page = branchesPage(
      contextFor('viewer', null, { period: '2026-09' }),
      branchesPageData(ref.plant, ref.scorecard),
    );
    expect(page).toContain(
      '<option value="2026-10">2026-10</option><option value="2026-09" selected>2026-09</option><option value="2026-08">',
    );
    const out = forms(page).find((f) => f.action === '/logout')!;
    expect(out.method).toBe('post');
    expect(page).toContain('刘 Liu <span class="muted">(liu)</span> · 只读 Viewer');
  });
});

describe('all branches', () => {
  it("shows each branch's rank, points, targets met and tasks by status, linking to its page", () => {
    const page = branchesPage(contextFor('viewer', null), branchesPageData(ref.plant, ref.scorecard));
    const rows = tableRows(page, '党支部评比 Branches');
    const cells = rows.map((r) => [
      r.cells.get('党支部 Branch'),
      r.cells.get('积分 Points'),
      r.cells.get('目标达标 Targets met'),
      r.cells.get('进行中 Open'),
      r.cells.get('已逾期 Overdue'),
      r.cells.get('已销号 Closed'),
    ]);
    const points = (id: string) => formatPoints(ref.scorecard.points.find((p) => p.scope_id === id)!.points);
    expect(cells).toEqual([
      ['电解党支部 Electrolysis branch', points('B-ELY'), '1 / 1', '1', '0', '1'],
      ['动力党支部 Power branch', points('B-PWR'), '0 / 1', '1', '1', '1'],
    ]);
    expect(page).toContain('href="/branches/B-PWR?period=2026-10"');
    // the reference plant ranks areas, not branches
    expect(rows[0]!.cells.get('名次 Rank')).toBe('-');
  });

  it("shows a branch's rank where a group ranks branches, and 不参评 where it is unranked", () => {
    const row = { period: '2026-10', kpi: 'intensity.energy', scope_type: 'branch' as const };
    const scorecard = {
      ...ref.scorecard,
      ranking: [
        ...ref.scorecard.ranking,
        { ...row, group: 'branches', scope_id: 'B-PWR', margin_pct: 3, rank: 1 },
        { ...row, group: 'branches', scope_id: 'B-ELY', margin_pct: null, rank: null },
      ],
    };
    const rows = tableRows(
      branchesPage(contextFor('viewer', null), branchesPageData(ref.plant, scorecard)),
      '党支部评比 Branches',
    );
    expect(rows.map((r) => r.cells.get('名次 Rank'))).toEqual(['branches: 不参评 unranked', 'branches: 1']);
  });

  it('gives the award form to the energy manager only: scope, points, reason, POST /actions/points', () => {
    const data = branchesPageData(ref.plant, ref.scorecard);
    const mgr = contextFor('energy_manager', null);
    const award = forms(branchesPage(mgr, data)).filter((f) => f.action === '/actions/points');
    expect(award).toHaveLength(1);
    expect(award[0]!.method).toBe('post');
    expect(award[0]!.enctype).toBeUndefined();
    expect(award[0]!.fields).toEqual(['_csrf', 'period', 'back', 'scope', 'points', 'reason']);
    expect(award[0]!.hidden.get('back')).toBe('/branches?period=2026-10');
    expect(award[0]!.html).toContain('<option value="area:A-BLR">');
    expect(award[0]!.html).toContain('<option value="team:T-BLR">');
    for (const ctx of [contextFor('viewer', null), contextFor('branch_secretary', 'B-ELY')])
      expect(forms(branchesPage(ctx, data)).map((f) => f.action)).not.toContain('/actions/points');
  });
});

describe('login and error pages', () => {
  it('login posts username, password and next to /login, keeps the username and shows the error, escaped', () => {
    const page = loginPage({ next: '/branches/B-PWR?period=2026-10', error: HOSTILE, username: 'zhang"' });
    const [f] = forms(page);
    expect(f!.method).toBe('post');
    expect(f!.action).toBe('/login');
    expect(f!.fields).toEqual(['next', 'username', 'password']);
    expect(f!.hidden.get('next')).toBe('/branches/B-PWR?period=2026-10');
    expect(page).toContain('value="zhang&quot;"');
    expect(page).toContain('role="alert">&lt;script&gt;alert(1)');
    expect(page).toContain('type="password" autocomplete="current-password" required');
    expect(page).not.toContain('name="_csrf"');
    expect(forms(loginPage({ next: '/', csrfToken: 't0' }))[0]!.hidden.get('_csrf')).toBe('t0');
  });

  it('403 and 404 say so in zh-CN and English and link home', () => {
    const forbidden = errorPage(contextFor('branch_secretary', 'B-ELY'), { status: 403 });
    expect(forbidden).toContain('<h1>403 无权访问 Forbidden</h1>');
    expect(forbidden).toContain('<a href="/">返回首页 Back to the start page</a>');
    expect(errorPage(null, { status: 404 })).toContain('<h1>404 未找到 Not found</h1>');
    expect(errorPage(null, { status: 404 })).not.toContain('name="period"');
  });
});
