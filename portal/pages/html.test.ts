import { describe, expect, it } from 'vitest';
import { escapeHtml, Html, html, jsonScript, raw } from './html.ts';

const HOSTILE = `<script>alert(1)</script> "onmouseover=alert(2) x='y' \`z\` & 锅炉`;

describe('html`` escapes what it interpolates', () => {
  it('turns a hostile task title into text, in content and in a quoted attribute', () => {
    const out = html`<td title="${HOSTILE}">${HOSTILE}</td>`.text;
    expect(out).not.toContain('<script>');
    expect(out).not.toMatch(/"onmouseover/);
    const escaped =
      '&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=alert(2) x=&#39;y&#39; &#96;z&#96; &amp; 锅炉';
    expect(out).toBe(`<td title="${escaped}">${escaped}</td>`);
  });

  it('keeps nested templates and raw() fragments as they are, joins arrays, drops null, undefined and booleans', () => {
    const inner = html`<b>${'<i>'}</b>`;
    const out = html`<p>${inner}${raw('<br>')}${['a', html`<em>b</em>`, 3]}${null}${undefined}${false}${true}</p>`;
    expect(out).toBeInstanceOf(Html);
    expect(out.text).toBe('<p><b>&lt;i&gt;</b><br>a<em>b</em>3</p>');
  });

  it('escapeHtml leaves plain zh-CN text alone', () => {
    expect(escapeHtml('电解党支部 Electrolysis branch')).toBe('电解党支部 Electrolysis branch');
  });

  it('jsonScript cannot be closed or commented out by its data and reads back unchanged', () => {
    const data = { title: '</script><script>alert(1)</script><!-- & \u2028\u2029', n: [1.5, null] };
    const out = jsonScript('trend-data', data).text;
    expect(out.startsWith('<script type="application/json" id="trend-data">')).toBe(true);
    const body = out.slice(out.indexOf('>') + 1, out.lastIndexOf('</script>'));
    expect(body).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(body)).toEqual(data);
  });
});
