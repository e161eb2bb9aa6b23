/**
 * The frame of every page: header with the site's name, who is signed in and as what, the period picker (a GET form,
 * no script), sign-out (a POST form with `_csrf`), the flash message, and the page's own content. No inline script or
 * style anywhere: the CSP is `script-src 'self'; style-src 'self'`. The favicon is `data:,`, so a browser asks the server
 * for none (and logs no 404).
 */

import { type Html, html, type Interpolation } from './html.ts';
import { csrfField, href } from './parts.ts';
import { type PageContext, ROLE_LABELS } from './types.ts';

export const SITE_NAME = '党建能效门户 Branch energy portal';

export interface LayoutOptions {
  /** the page's title, zh-CN with English */
  title: string;
  /** extra stylesheets and scripts under /assets (paths after /assets/) */
  styles?: readonly string[];
  scripts?: readonly string[];
  /** shown without the period picker (a page about no period: login, errors) */
  noPeriod?: boolean;
}

export function asset(basePath: string | undefined, path: string): string {
  return `${basePath ?? ''}/assets/${path}`;
}

function periodPicker(ctx: PageContext): Html {
  // a GET form without an action submits to the page itself with ?period=… (nothing else in the query)
  return html`<form class="period" method="get">
<label for="period-select">期间 Period</label>
<select id="period-select" name="period">${ctx.periods.map(
    (p) => html`<option value="${p}"${p === ctx.period ? html` selected` : ''}>${p}</option>`,
  )}</select>
<button type="submit">查看 Show</button>
</form>`;
}

function userBox(ctx: PageContext): Html {
  const u = ctx.user;
  return html`<div class="user">
<span class="who">${u.displayName} <span class="muted">(${u.username})</span> · ${ROLE_LABELS[u.role]}</span>
<form method="post" action="${href(ctx.basePath, '/logout')}">${csrfField(ctx.csrfToken)}<button type="submit" class="link">退出 Sign out</button></form>
</div>`;
}

/** The whole document; `ctx` is null on pages shown before signing in. */
export function layout(ctx: PageContext | null, opts: LayoutOptions, body: Interpolation): Html {
  const base = ctx?.basePath;
  const styles = ['portal.css', ...(opts.styles ?? [])];
  const flash = ctx?.flash;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${opts.title} · ${SITE_NAME}</title>
${styles.map((s) => html`<link rel="stylesheet" href="${asset(base, s)}">\n`)}${(opts.scripts ?? []).map(
  (s) => html`<script src="${asset(base, s)}" defer></script>\n`,
)}</head>
<body>
<header class="top">
<a class="site" href="${href(base, '/', ctx && !opts.noPeriod ? { period: ctx.period } : {})}">${SITE_NAME}</a>
${ctx && !opts.noPeriod ? periodPicker(ctx) : ''}
${ctx ? userBox(ctx) : ''}
</header>
<main>
${flash ? html`<p class="flash flash-${flash.kind}" role="status">${flash.text}</p>` : ''}
${body}
</main>
</body>
</html>
`;
}
