/**
 * The portal's pages in a real Chromium under the strict CSP the server will send: the reference plant's October
 * rendered by portal/pages and served, with the assets and uPlot, from a minimal node:http server of this test (the
 * real server and its routes are portal/app.ts's). Each page loads without a CSP violation, console error or failed
 * request; the area page draws its uPlot charts; every page fits 360 px without scrolling sideways; screenshots of each
 * at 1280 and 360 px go to test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  areaPage,
  areaPageData,
  branchesPage,
  branchesPageData,
  branchPage,
  branchPageData,
  errorPage,
  loginPage,
} from '../portal/pages/index.ts';
import { contextFor, type ReferenceData, referenceData } from '../portal/pages/testdata/reference.ts';
import { ROOT } from './helpers.ts';
import { launchChromium, newTestPage, screenshot } from './services/chromium.ts';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

const ASSETS: Record<string, string> = {
  '/assets/portal.css': path.join(ROOT, 'portal', 'assets', 'portal.css'),
  '/assets/area-chart.js': path.join(ROOT, 'portal', 'assets', 'area-chart.js'),
  '/assets/uplot/uPlot.iife.min.js': path.join(ROOT, 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js'),
  '/assets/uplot/uPlot.min.css': path.join(ROOT, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'),
};
const TYPES: Record<string, string> = { '.css': 'text/css', '.js': 'text/javascript' };

/** The pages served, each as a role sees it (the forms show for the secretary and the energy manager). */
function pages(ref: ReferenceData): Record<string, { status: number; render: (period: string) => string }> {
  const { plant, scorecard, result, days } = ref;
  const ctx = (role: Parameters<typeof contextFor>[0], branch: string | null, period: string) =>
    contextFor(role, branch, { period, flash: { kind: 'ok', text: '已销号 closed' } });
  return {
    '/login': {
      status: 200,
      render: () =>
        loginPage({ next: '/branches/B-PWR', error: '用户名或密码错误 Wrong username or password' }),
    },
    '/branches/B-PWR': {
      status: 200,
      render: (p) =>
        branchPage(ctx('branch_secretary', 'B-PWR', p), branchPageData(plant, scorecard, result, 'B-PWR')!),
    },
    '/branches/B-ELY': {
      status: 200,
      render: (p) =>
        branchPage(ctx('energy_manager', null, p), branchPageData(plant, scorecard, result, 'B-ELY')!),
    },
    '/branches': {
      status: 200,
      render: (p) => branchesPage(ctx('energy_manager', null, p), branchesPageData(plant, scorecard)),
    },
    '/areas/A-ELY-1': {
      status: 200,
      render: (p) =>
        areaPage(ctx('viewer', null, p), areaPageData(plant, scorecard, result, days, 'A-ELY-1')!),
    },
    '/areas/A-BLR': {
      status: 200,
      render: (p) => areaPage(ctx('viewer', null, p), areaPageData(plant, scorecard, result, days, 'A-BLR')!),
    },
    '/forbidden': {
      status: 403,
      render: (p) => errorPage(ctx('branch_secretary', 'B-ELY', p), { status: 403 }),
    },
    '/missing': { status: 404, render: () => errorPage(null, { status: 404 }) },
    // what the CSP must refuse, to show that this test sees a violation when there is one
    '/selftest-inline': {
      status: 200,
      render: () =>
        '<!doctype html><html lang="zh-CN"><head><link rel="icon" href="data:,"></head><body><p style="color:red">x</p><script>document.title="ran"</script></body></html>',
    },
  };
}

/**
 * The page's width against the screen's, and any element sticking out of the screen even where an overflow hides it
 * from scrollWidth (a string: the project's TypeScript has no DOM library).
 */
const WIDTHS = `({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  outside: [...document.body.querySelectorAll('*')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map((e) => e.tagName.toLowerCase() + '.' + e.className),
})`;

let server: http.Server;
let base: string;
let browser: Browser;
let ref: ReferenceData;

beforeAll(async () => {
  ref = await referenceData();
  const routes = pages(ref);
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const file = ASSETS[url.pathname];
    if (file) {
      res.writeHead(200, { 'Content-Type': `${TYPES[path.extname(file)]}; charset=utf-8` });
      res.end(await readFile(file));
      return;
    }
    const route = routes[url.pathname];
    res.writeHead(route?.status ?? 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(route ? route.render(url.searchParams.get('period') ?? '2026-10') : 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

const SHOWN = [
  '/login',
  '/branches',
  '/branches/B-PWR',
  '/branches/B-ELY',
  '/areas/A-ELY-1',
  '/areas/A-BLR',
  '/forbidden',
  '/missing',
];
const shotName = (p: string, w: number) => `portal-${p.slice(1).replace(/\//g, '-')}-${w}`;

describe('portal pages in Chromium under a strict CSP', () => {
  it('sees a CSP violation when a page has inline script or style (the check below can fail)', async () => {
    const t = await newTestPage(browser);
    try {
      await t.page.goto(`${base}/selftest-inline`);
      await t.page.waitForTimeout(200);
      expect(await t.page.title()).not.toBe('ran');
      expect(t.problems.some((p) => p.includes('CSP violation: script-src'))).toBe(true);
      expect(t.problems.some((p) => p.includes('CSP violation: style-src'))).toBe(true);
    } finally {
      await t.close();
    }
  });

  for (const widthPx of [1280, 360]) {
    it(`loads every page at ${widthPx} px without a CSP violation, console error or failed request; none scrolls sideways`, async () => {
      for (const p of SHOWN) {
        const t = await newTestPage(browser, { widthPx, heightPx: widthPx === 360 ? 740 : 900 });
        try {
          const res = await t.page.goto(`${base}${p}?period=2026-10`, { waitUntil: 'load' });
          expect(res!.status()).toBe(pages(ref)[p]!.status);
          if (p.startsWith('/areas/')) await t.page.waitForSelector('.uplot canvas');
          // the document's own 403/404 is what it should be (Chromium logs it as a console error without its URL);
          // anything else is a problem
          const own = res!.status();
          const problems = t.problems.filter(
            (x) =>
              own < 400 ||
              (x !== `HTTP ${own}: ${res!.url()}` &&
                !x.startsWith(
                  `console: Failed to load resource: the server responded with a status of ${own} `,
                )),
          );
          if (own >= 400) expect(t.problems).toContain(`HTTP ${own}: ${res!.url()}`);
          expect(problems, `${p} at ${widthPx} px`).toEqual([]);
          const { scrollWidth, innerWidth, outside } = await t.page.evaluate<{
            scrollWidth: number;
            innerWidth: number;
            outside: string[];
          }>(WIDTHS);
          expect(scrollWidth, `${p} at ${widthPx} px`).toBeLessThanOrEqual(innerWidth);
          expect(outside, `${p} at ${widthPx} px`).toEqual([]);
          expect(await t.page.getAttribute('html', 'lang')).toBe('zh-CN');
          await screenshot(t.page, shotName(p, widthPx));
        } finally {
          await t.close();
        }
      }
    }, 180_000);
  }

  it('draws one uPlot chart per trend KPI on the area page, each within the screen at 360 px', async () => {
    for (const widthPx of [1280, 360]) {
      const t = await newTestPage(browser, { widthPx });
      try {
        await t.page.goto(`${base}/areas/A-ELY-1?period=2026-10`);
        await t.page.waitForSelector('.uplot canvas');
        expect(await t.page.locator('.uplot canvas').count()).toBe(3);
        const legends = await t.page.locator('.uplot .u-legend').allInnerTexts();
        expect(legends.join('\n')).toContain('综合能耗 Comprehensive energy (tce)');
        for (const box of await t.page.locator('.uplot canvas').all()) {
          const b = (await box.boundingBox())!;
          expect(b.height).toBeGreaterThan(100);
          expect(b.x + b.width).toBeLessThanOrEqual(widthPx);
        }
        expect(t.problems).toEqual([]);
      } finally {
        await t.close();
      }
    }
  }, 120_000);

  it('the period picker works without script, and a close form will not submit without evidence', async () => {
    const t = await newTestPage(browser, { widthPx: 360 });
    try {
      await t.page.goto(`${base}/branches/B-PWR?period=2026-10`);
      await t.page.selectOption('#period-select', '2026-09');
      await Promise.all([t.page.waitForURL(/period=2026-09/), t.page.click('form.period button')]);
      expect(await t.page.locator('#period-select').inputValue()).toBe('2026-09');
      const valid = await t.page.evaluate<boolean>("document.querySelector('form.act').checkValidity()");
      expect(valid).toBe(false);
      expect(await t.page.locator('form.act').count()).toBe(2);
      expect(t.problems).toEqual([]);
    } finally {
      await t.close();
    }
  }, 60_000);
});
