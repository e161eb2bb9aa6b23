/**
 * Debian's Chromium (`/usr/bin/chromium`, installed by test/run-all.sh) driven by playwright-core, for the portal's
 * browser tests. One browser per test file, a fresh context per test (no cookies or storage carried over), and
 * everything a page complains about collected: console errors, uncaught exceptions, CSP violations, failed requests
 * and HTTP errors. Screenshots go to test-results/screenshots/ (git-ignored; kept as test artefacts).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless without a sandbox (containers) or GPU; the background-networking flags keep Chromium from calling out on
 * its own, which this machine's closed network answers with refusals that would read as page errors.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOT_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'test-results',
  'screenshots',
);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** what went wrong while the page lived: console errors, exceptions, CSP violations, failed or 4xx/5xx requests */
  problems: string[];
  close(): Promise<void>;
}

/** A new context (its own cookies and storage) with one page, `widthPx` wide, watched for problems. */
export async function newTestPage(
  browser: Browser,
  opts: { widthPx?: number; heightPx?: number; baseURL?: string } = {},
): Promise<TestPage> {
  const context = await browser.newContext({
    viewport: { width: opts.widthPx ?? 1280, height: opts.heightPx ?? 900 },
    locale: 'zh-CN',
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
  });
  // a CSP violation is also a console error in Chromium; the event says which directive, for the message
  // (a string: the project's TypeScript has no DOM library)
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
    console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
      ' (' + e.sourceFile + ':' + e.lineNumber + ')'));`);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) =>
    problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`),
  );
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { context, page, problems, close: () => context.close() };
}

/** The full page as a PNG in test-results/screenshots/<name>.png; returns the file. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
