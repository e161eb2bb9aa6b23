/** 400 请求无效 Bad request, 403 无权访问 Forbidden, 404 未找到 Not found, 500: the status in words and a link home. */
import { html } from './html.ts';
import { layout } from './layout.ts';
import { href } from './parts.ts';
import type { ErrorPage, PageContext } from './types.ts';

export const ERROR_TITLES: Readonly<Record<ErrorPage['status'], string>> = {
  400: '请求无效 Bad request',
  403: '无权访问 Forbidden',
  404: '未找到 Not found',
  500: '服务器错误 Server error',
};

const EXPLAIN: Readonly<Record<ErrorPage['status'], string>> = {
  400: '请求的地址或参数无效。 The address or one of its values is not valid.',
  403: '您的账号不能查看或操作此页面。 Your account may not see or act on this page.',
  404: '没有这个页面。 There is no such page.',
  500: '出错了,请稍后再试。 Something went wrong; please try again later.',
};

/** `ctx` is null when nobody is signed in (a 404 before login). */
export function errorPage(ctx: PageContext | null, data: ErrorPage): string {
  const title = `${data.status} ${ERROR_TITLES[data.status]}`;
  const body = html`<h1>${title}</h1>
<p>${EXPLAIN[data.status]}</p>
${data.message ? html`<p class="muted">${data.message}</p>` : ''}
<p><a href="${href(ctx?.basePath, '/')}">返回首页 Back to the start page</a></p>`;
  return layout(ctx, { title, noPeriod: true }, body).text;
}
