/**
 * Issue 14's acceptance, end to end in a real headless Chromium against the real portal (`buildPortal` listening on
 * a private port over the reference plant's October 2026, users in its records store): a branch secretary signs in
 * through the login page and sees the numbers of `plantkpi scorecard`; confirms a pledge and closes a task with a
 * file through the page's forms (closed on the page, audited with its name); downloads the branch's workbook through
 * the page's link; is refused another branch's page, API and export. A viewer sees no form and its posts are
 * refused; a form without its CSRF token is refused; signing out ends the session. Screenshots of the main pages go
 * to test-results/screenshots/; the page load times and the server's memory are printed (not asserted).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlantConfig } from '../config/load.ts';
import { compilePlant } from '../kpi/plant.ts';
import { formatValue, scopeName } from '../kpi/present.ts';
import type { ScopeKind } from '../kpi/rows.ts';
import { formatPoints, TASK_STATUS_LABELS, UNRANKED_LABEL } from '../kpi/scorecard/present.ts';
import { pageNames } from '../portal/pages/index.ts';
import { cli } from './helpers.ts';
import { type Fixture, PERIOD, password, portalFixture, T0 } from './portal-fixture.ts';
import { launchChromium, newTestPage, screenshot, type TestPage } from './services/chromium.ts';

interface Row {
  scope_type: string;
  scope_id: string;
}
interface CliScorecard {
  targets: (Row & { actual: number | null; unit: string | null })[];
  ranking: (Row & { group: string; rank: number | null })[];
  points: (Row & { points: number })[];
  tasks: { id: string; status: keyof typeof TASK_STATUS_LABELS }[];
}

let f: Fixture;
let base: string;
let browser: Browser;
let expected: CliScorecard;
const q = `?period=${PERIOD}`;

beforeAll(async () => {
  f = await portalFixture('plantkpi-portal-e2e-');
  // the browser keeps the cookie only until its Expires: the server's clock must not lie in the browser's past
  f.clock.ms = Math.max(Date.now(), T0);
  const c = await cli(
    'scorecard',
    '--config',
    f.config,
    '--data',
    f.data,
    '--period',
    PERIOD,
    '--branch',
    'B-PWR',
    '--format',
    'json',
  );
  expect(c.code, c.err).toBe(0);
  expected = JSON.parse(c.out);
  await f.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(f.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await f?.cleanup();
});

/** Signs in through the login page, starting from `start` (a page that sends a stranger to /login). */
async function signIn(t: TestPage, username: string, start = '/'): Promise<void> {
  await t.page.goto(`${base}${start}`);
  expect(new URL(t.page.url()).pathname).toBe('/login');
  await t.page.fill('#username', username);
  await t.page.fill('#password', password(username));
  await Promise.all([
    t.page.waitForURL((u) => u.pathname !== '/login'),
    t.page.click('form.login button[type=submit]'),
  ]);
}

/** The cells' texts of each row of a section's table. */
async function rows(t: TestPage, section: string): Promise<string[][]> {
  const out: string[][] = [];
  for (const tr of await t.page.locator(`#${section} tbody tr`).all())
    out.push((await tr.locator('td').allInnerTexts()).map((s) => s.trim()));
  return out;
}

const audit = async () => (await f.records.list()).length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const LOAD_MS = 'performance.getEntriesByType("navigation")[0].loadEventEnd';

describe('the portal in Chromium', () => {
  it('(a) a secretary signs in through the login page, lands on its branch, and sees the numbers of plantkpi scorecard', async () => {
    const t = await newTestPage(browser);
    try {
      await t.page.goto(`${base}/login`);
      await screenshot(t.page, 'portal-e2e-login');
      await signIn(t, 'sec-pwr');
      expect(t.page.url()).toBe(`${base}/branches/B-PWR`);
      expect(await t.page.locator('#period-select').inputValue()).toBe(PERIOD);

      const plant = compilePlant(loadPlantConfig(f.config).config);
      const names = pageNames(plant);
      const name = (r: Row) => scopeName(names.scopes, r.scope_type as ScopeKind, r.scope_id);
      const own = expected.points.find((p) => p.scope_type === 'branch' && p.scope_id === 'B-PWR')!;
      expect(await t.page.locator('.summary strong').nth(1).textContent()).toBe(formatPoints(own.points));

      // each scope's rank and points: cells 1 (name), 5 (rank), 6 (points)
      const scopes = await rows(t, 'scopes');
      for (const p of expected.points) {
        const row = scopes.find((r) => r[1] === name(p));
        expect(row, name(p)).toBeDefined();
        expect(row![6]).toBe(formatPoints(p.points));
        const ranks = expected.ranking
          .filter((r) => r.scope_type === p.scope_type && r.scope_id === p.scope_id)
          .map((r) => `${names.groups.get(r.group) ?? r.group}: ${r.rank ?? UNRANKED_LABEL}`);
        expect(row![5]).toBe(ranks.length ? ranks.join('; ') : '-');
      }
      expect(expected.ranking.some((r) => r.rank !== null)).toBe(true);

      // each task's status: cells 0 (id), 5 (status)
      const tasks = await rows(t, 'tasks');
      expect(tasks.map((r) => r[0])).toEqual(expected.tasks.map((x) => x.id));
      for (const x of expected.tasks)
        expect(tasks.find((r) => r[0] === x.id)![5]).toBe(TASK_STATUS_LABELS[x.status]);

      // each target's actual as formatValue writes it: cells 0 (name), 3 (actual)
      const targets = await rows(t, 'targets');
      expect(targets).toHaveLength(expected.targets.length);
      expected.targets.forEach((x, i) => {
        const unit = x.unit ?? '';
        const v = formatValue(x.actual, unit);
        expect(targets[i]![0]).toBe(name(x));
        expect(targets[i]![3]).toBe(v === '-' || unit === '' || unit === '1' ? v : `${v} ${unit}`);
      });
      expect(t.problems).toEqual([]);
      await screenshot(t.page, 'portal-e2e-branch');

      await t.page.click('#scopes a[href^="/areas/A-BLR"]');
      await t.page.waitForSelector('.uplot canvas');
      expect(await t.page.locator('.uplot canvas').count()).toBe(3);
      expect(t.problems).toEqual([]);
      await screenshot(t.page, 'portal-e2e-area');

      // page load (navigation start to the load event), warm: the month's runs are shared for a minute
      const times: Record<string, number[]> = { branch: [], area: [] };
      for (let i = 0; i < 5; i++)
        for (const [k, url] of [
          ['branch', `/branches/B-PWR${q}`],
          ['area', `/areas/A-BLR${q}`],
        ] as const) {
          await t.page.goto(`${base}${url}`, { waitUntil: 'load' });
          times[k]!.push(await t.page.evaluate<number>(LOAD_MS));
        }
      console.log(
        `portal pages, navigation to load (median of 5, this machine): branch ${median(times.branch!).toFixed(0)} ms ` +
          `[${times.branch!.map((x) => x.toFixed(0)).join(', ')}], area ${median(times.area!).toFixed(0)} ms ` +
          `[${times.area!.map((x) => x.toFixed(0)).join(', ')}]`,
      );
    } finally {
      await t.close();
    }
  }, 60_000);

  it('(b, c, d) confirms a pledge and closes a task with a file: closed on the page, audited; downloads the export with the closure; is refused another branch', async () => {
    const t = await newTestPage(browser);
    try {
      await signIn(t, 'sec-pwr', `/branches/B-PWR${q}`);
      expect(t.page.url()).toBe(`${base}/branches/B-PWR${q}`);
      const row = (id: string) =>
        t.page.locator('#tasks tbody tr').filter({ has: t.page.getByText(id, { exact: true }) });

      // (b) the pledge, with evidence text
      await row('P-PWR').locator('textarea[name=evidence]').fill('十月无事故 no accident in October');
      await Promise.all([
        t.page.waitForURL(`${base}/branches/B-PWR${q}`),
        row('P-PWR').locator('button[type=submit]').click(),
      ]);
      expect(await t.page.locator('.flash-ok').textContent()).toContain('P-PWR');
      expect((await row('P-PWR').locator('td').allInnerTexts())[5]).toBe(TASK_STATUS_LABELS.closed);
      const entry = (await f.records.list()).at(-1)!;
      expect(entry).toMatchObject({ action: 'task-close', by: '动力书记 (sec-pwr)', period: PERIOD });
      expect(entry.detail).toMatchObject({ task: 'P-PWR', source: 'manual' });
      expect(entry.reason).toContain('十月无事故');

      // the manual task, with a small file
      const file = Buffer.from('保温层修复照片 insulation repaired\n');
      const sha = createHash('sha256').update(file).digest('hex');
      await row('M-PWR').locator('textarea[name=evidence]').fill('保温已修复 insulation repaired');
      await row('M-PWR')
        .locator('input[type=file]')
        .setInputFiles({ name: '修复 photo.txt', mimeType: 'text/plain', buffer: file });
      await Promise.all([
        t.page.waitForURL(`${base}/branches/B-PWR${q}`),
        row('M-PWR').locator('button[type=submit]').click(),
      ]);
      expect(await t.page.locator('.flash-ok').textContent()).toContain('修复 photo.txt');
      const cells = await row('M-PWR').locator('td').allInnerTexts();
      expect(cells[5]).toBe(TASK_STATUS_LABELS.closed);
      expect(cells[7]).toContain(`sha256 ${sha}`);
      expect(existsSync(path.join(f.data, 'evidence', `${sha}.txt`))).toBe(true);
      expect((await f.records.list()).at(-1)).toMatchObject({
        action: 'task-close',
        by: '动力书记 (sec-pwr)',
      });
      expect(await t.page.locator('form.act').count()).toBe(0);
      // the flash is shown once
      await t.page.reload();
      expect(await t.page.locator('.flash').count()).toBe(0);
      expect(t.problems).toEqual([]);

      // (c) the export through the page's link: the workbook's tasks sheet holds the closures
      const [download] = await Promise.all([
        t.page.waitForEvent('download'),
        t.page.click('a.button[href*="/export"]'),
      ]);
      expect(download.suggestedFilename()).toBe(`plantkpi-B-PWR-${PERIOD}.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile((await download.path())!);
      const sheet = wb.getWorksheet('任务 Tasks')!;
      expect(sheet).toBeDefined();
      const lines: string[] = [];
      sheet.eachRow((r) => {
        lines.push((r.values as unknown[]).map((v) => String(v ?? '')).join('|'));
      });
      const pledge = lines.find((l) => l.includes('P-PWR'));
      expect(pledge).toContain(TASK_STATUS_LABELS.closed);
      expect(pledge).toContain('十月无事故 no accident in October');
      expect(lines.find((l) => l.includes('M-PWR'))).toContain(sha);

      // (d) another branch: its page, its area, its API and its export are refused
      const other = await t.page.goto(`${base}/branches/B-ELY${q}`);
      expect(other!.status()).toBe(403);
      expect(await t.page.locator('h1').textContent()).toContain('403');
      expect(await t.page.content()).not.toContain('{"statusCode"');
      await screenshot(t.page, 'portal-e2e-403');
      expect((await t.page.goto(`${base}/areas/A-ELY-1${q}`))!.status()).toBe(403);
      for (const url of [
        `/api/branches/B-ELY/scorecard${q}`,
        `/api/branches/B-ELY/export${q}`,
        `/api/areas/A-ELY-1${q}`,
      ])
        expect((await t.page.request.get(`${base}${url}`)).status(), url).toBe(403);
      // its own API answers, with the same session
      expect((await t.page.request.get(`${base}/api/branches/B-PWR/scorecard${q}`)).status()).toBe(200);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('(e) a viewer sees no form, and its posts with a valid session and token are refused with nothing written', async () => {
    const t = await newTestPage(browser);
    try {
      await signIn(t, 'viewer');
      expect(t.page.url()).toBe(`${base}/branches`);
      expect(await t.page.locator('#branches tbody tr').count()).toBe(2);
      await screenshot(t.page, 'portal-e2e-branches');
      expect(await t.page.locator('form.award, form.act').count()).toBe(0);
      await t.page.goto(`${base}/branches/B-ELY${q}`);
      expect(await t.page.locator('form.act').count()).toBe(0);
      const token = (await t.page.locator('input[name=_csrf]').first().getAttribute('value'))!;
      expect(token.length).toBeGreaterThan(10);
      const before = await audit();
      const confirm = await t.page.request.post(`${base}/actions/pledges/P-ELY/confirm`, {
        multipart: { _csrf: token, period: PERIOD, back: `/branches/B-ELY${q}`, evidence: 'x' },
        maxRedirects: 0,
      });
      expect(confirm.status()).toBe(403);
      expect(await confirm.text()).toContain('403');
      const award = await t.page.request.post(`${base}/actions/points`, {
        form: {
          _csrf: token,
          period: PERIOD,
          back: '/branches',
          scope: 'area:A-BLR',
          points: '5',
          reason: 'x',
        },
        maxRedirects: 0,
      });
      expect(award.status()).toBe(403);
      expect(await audit()).toBe(before);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('(f) a form posted without its CSRF token is refused, nothing written; (g) signing out ends the session', async () => {
    const t = await newTestPage(browser);
    try {
      await signIn(t, 'sec-ely');
      expect(t.page.url()).toBe(`${base}/branches/B-ELY`);
      const before = await audit();
      // the page's own form, its hidden _csrf taken out
      const form = t.page.locator('form.act').filter({ has: t.page.locator('#evidence-pledge-P-ELY') });
      await t.page.evaluate(
        `document.querySelector('#evidence-pledge-P-ELY').form.querySelector('input[name=_csrf]').remove()`,
      );
      expect(await form.locator('input[name=_csrf]').count()).toBe(0);
      await form.locator('textarea[name=evidence]').fill('已完成 done');
      const [res] = await Promise.all([
        t.page.waitForResponse((r) => r.url().includes('/actions/pledges/P-ELY/confirm')),
        form.locator('button[type=submit]').click(),
      ]);
      expect(res.status()).toBe(403);
      await t.page.waitForLoadState();
      expect(await t.page.locator('h1').textContent()).toContain('403');
      // and a wrong token, from outside the page
      const wrong = await t.page.request.post(`${base}/actions/tasks/M-ELY/close`, {
        multipart: { _csrf: 'wrong', period: PERIOD, back: '/', evidence: 'x' },
        maxRedirects: 0,
      });
      expect(wrong.status()).toBe(403);
      expect(await audit()).toBe(before);
      await t.page.goto(`${base}/branches/B-ELY${q}`);
      expect((await rows(t, 'tasks')).find((r) => r[0] === 'P-ELY')![5]).toBe(TASK_STATUS_LABELS.open);

      // (g)
      expect((await t.page.request.get(`${base}/api/me`)).status()).toBe(200);
      await Promise.all([t.page.waitForURL(`${base}/login`), t.page.click('.user form button')]);
      expect((await t.page.request.get(`${base}/api/me`)).status()).toBe(401);
      await t.page.goto(`${base}/branches/B-ELY${q}`);
      expect(new URL(t.page.url()).pathname).toBe('/login');
    } finally {
      await t.close();
      console.log(
        `portal server RSS after the browser run: ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB ` +
          '(the vitest worker: the server, PGlite, the embedded store and the test together)',
      );
    }
  }, 60_000);
});
