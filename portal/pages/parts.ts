/**
 * Pieces every page uses: links under the base path, tables that turn into cards on a phone (each cell carries its
 * column's label), status badges with words beside the colour, and the number conventions of kpi/present.ts.
 */
import { formatValue, PROVISIONAL_LABEL, scopeName } from '../../kpi/present.ts';
import { kpiLabel, SCOPE_LABELS, type ScopeKind } from '../../kpi/rows.ts';
import { TASK_STATUS_LABELS, TRACK_STATUS_LABELS } from '../../kpi/scorecard/present.ts';
import type { TrackedTarget } from '../../kpi/scorecard/track.ts';
import { type Html, html, type Interpolation } from './html.ts';
import type { PageNames } from './types.ts';

/** A path of the site under the base path, with its query (empty values left out). */
export function href(basePath: string | undefined, path: string, query: Record<string, string> = {}): string {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ''));
  const s = q.toString();
  return `${basePath ?? ''}${path}${s ? `?${s}` : ''}`;
}

/** Path segments are ids from the config: encoded all the same. */
export const seg = (id: string) => encodeURIComponent(id);

export interface Column {
  /** zh-CN with English */
  label: string;
  /** right-aligned (numbers) */
  num?: boolean;
}

/**
 * A table; below 40rem each row is a card and each cell shows its column's label (CSS `attr(data-label)`) beside its
 * content (one <div>, so a cell of text and badges stays one grid item), so no page scrolls sideways on a phone.
 */
export function table(caption: string, columns: readonly Column[], rows: readonly Interpolation[][]): Html {
  if (rows.length === 0) return html`<p class="empty">${caption}: 无 none</p>`;
  return html`<div class="table"><table>
<caption>${caption}</caption>
<thead><tr>${columns.map((c) => html`<th scope="col"${c.num ? html` class="num"` : ''}>${c.label}</th>`)}</tr></thead>
<tbody>${rows.map(
    (r) =>
      html`<tr>${r.map((cell, i) => {
        const c = columns[i]!;
        return html`<td data-label="${c.label}"${c.num ? html` class="num"` : ''}><div>${cell}</div></td>`;
      })}</tr>\n`,
  )}</tbody>
</table></div>`;
}

/** A status as a coloured badge that says its status in words too (never colour alone). */
export function badge(kind: string, text: string): Html {
  return html`<span class="badge badge-${kind}">${text}</span>`;
}

export const taskBadge = (s: keyof typeof TASK_STATUS_LABELS) => badge(s, TASK_STATUS_LABELS[s]);
export const trackBadge = (s: keyof typeof TRACK_STATUS_LABELS) => badge(s, TRACK_STATUS_LABELS[s]);

/** A margin, progress or change in % as the scorecard's table shows it: two decimals, "-" when absent. */
export function pct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x)
    ? '-'
    : `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} %`;
}

/** A value with its unit, as people read it ("86.2 %" for a ratio, "1,234.567 tce"). */
export function valueText(value: number | null | undefined, unit: string | null): string {
  const u = unit ?? '';
  const v = formatValue(value, u);
  return v === '-' || u === '' || u === '1' ? v : `${v} ${u}`;
}

/** A target's bound(s): "≤ 260.00 kgce/t". */
export function boundText(max: number | undefined, min: number | undefined, unit: string | null): string {
  const u = unit ?? '';
  return [
    max === undefined ? '' : `≤ ${valueText(max, u)}`,
    min === undefined ? '' : `≥ ${valueText(min, u)}`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** A scope's kind in zh-CN with English ("党支部 Party branch"). */
export const kindLabel = (type: ScopeKind) => SCOPE_LABELS[type] ?? type;

export function nameOf(names: PageNames, type: ScopeKind, id: string): string {
  return scopeName(names.scopes, type, id);
}

export function kpiName(names: PageNames, kpi: string): string {
  return kpiLabel(kpi, names.labels);
}

/** The hidden CSRF field; first in each form so that a streaming multipart parser meets it before any file. */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A section with its heading; the id makes it linkable. */
export function section(id: string, title: string, body: Interpolation): Html {
  return html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>${body}</section>`;
}

/** Targets tracked over the year: target, actual, margin, year to date, progress, 同比, 环比 and status. */
export function trackedTable(names: PageNames, targets: readonly TrackedTarget[]): Html {
  return table(
    '目标跟踪 Targets tracked',
    [
      { label: '名称 Name' },
      { label: '指标 KPI' },
      { label: '目标 Target' },
      { label: '本期 Actual', num: true },
      { label: '余量 Margin', num: true },
      { label: '累计 Year to date', num: true },
      { label: '进度 Progress', num: true },
      { label: '同比 Against last year', num: true },
      { label: '环比 Against last period', num: true },
      { label: '状态 Status' },
    ],
    targets.map((t) => [
      nameOf(names, t.scope_type, t.scope_id),
      kpiName(names, t.kpi),
      `${t.target_period} ${boundText(t.target_max, t.target_min, t.unit)}`,
      valueText(t.actual, t.unit),
      pct(t.margin_pct),
      valueText(t.ytd_actual, t.unit),
      pct(t.progress_pct),
      pct(t.yoy_pct),
      pct(t.mom_pct),
      html`${trackBadge(t.status)}${t.provisional ? html` ${badge('provisional', PROVISIONAL_LABEL)}` : ''}`,
    ]),
  );
}
