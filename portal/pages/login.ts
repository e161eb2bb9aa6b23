/** 登录 Sign in: a form that POSTs username, password and `next` to /login. No script. */
import { html } from './html.ts';
import { layout } from './layout.ts';
import { csrfField, href } from './parts.ts';
import type { LoginPage } from './types.ts';

export function loginPage(data: LoginPage): string {
  const body = html`<h1>登录 Sign in</h1>
${data.error ? html`<p class="flash flash-error" role="alert">${data.error}</p>` : ''}
<form class="stack login" method="post" action="${href(data.basePath, '/login')}">
${data.csrfToken ? csrfField(data.csrfToken) : ''}<input type="hidden" name="next" value="${data.next}">
<label for="username">用户名 Username</label>
<input id="username" name="username" autocomplete="username" required value="${data.username ?? ''}">
<label for="password">密码 Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录 Sign in</button>
</form>`;
  return layout(null, { title: '登录 Sign in', noPeriod: true }, body).text;
}
