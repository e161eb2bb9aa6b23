/**
 * 党支部 Branch overview: the branch, its areas and teams (the period's KPIs, rank, points), its targets tracked over
 * the year, its key tasks and pledges with their status, and the points ledger. The branch's secretary and the energy
 * manager get a form on each open task or pledge that a person closes; a viewer sees none.
 */

import { PROVISIONAL_LABEL } from '../../kpi/present.ts';
import type { KpiRow } from '../../kpi/rows.ts';
import type { Scorecard } from '../../kpi/scorecard/build.ts';
import {
  formatPoints,
  LEDGER_SOURCE_LABELS,
  TASK_KIND_LABELS,
  UNRANKED_LABEL,
} from '../../kpi/scorecard/present.ts';
import type { TaskStatus } from '../../kpi/scorecard/tasks.ts';
import { type Html, html } from './html.ts';
import { layout } from './layout.ts';
import {
  csrfField,
  href,
  kindLabel,
  kpiName,
  nameOf,
  section,
  seg,
  table,
  taskBadge,
  trackedTable,
  valueText,
} from './parts.ts';
import type { BranchPage, PageContext, ScopeRef } from './types.ts';

/** The KPIs shown for each area and team, in this order. */
export const KEY_KPIS = ['energy.total', 'emissions.co2', 'intensity.energy'] as const;

/** Whether the signed-in user may close this branch's tasks and confirm its pledges. */
export function mayActOn(ctx: PageContext, branchId: string): boolean {
  const u = ctx.user;
  return u.role === 'energy_manager' || (u.role === 'branch_secretary' && u.branch === branchId);
}

function rankText(data: BranchPage, scope: ScopeRef): string {
  const rows = data.scorecard.ranking.filter((r) => r.scope_type === scope.type && r.scope_id === scope.id);
  if (rows.length === 0) return '-';
  const group = (id: string) => data.names.groups.get(id) ?? id;
  return rows.map((r) => `${group(r.group)}: ${r.rank === null ? UNRANKED_LABEL : r.rank}`).join('; ');
}

function pointsOf(s: Scorecard, scope: ScopeRef): string {
  const p = s.points.find((r) => r.scope_type === scope.type && r.scope_id === scope.id);
  return p === undefined ? '-' : formatPoints(p.points);
}

function kpiCell(kpis: readonly KpiRow[], scope: ScopeRef, kpi: string): Html {
  const row = kpis.find((r) => r.kpi === kpi && r.scope_type === scope.type && r.scope_id === scope.id);
  if (!row) return html`-`;
  return html`${valueText(row.value, row.unit)}${row.provisional ? html` <small class="prov">${PROVISIONAL_LABEL}</small>` : ''}`;
}

function scopesTable(ctx: PageContext, data: BranchPage): Html {
  const scopes = [data.branch, ...data.areas, ...data.teams];
  const period = { period: ctx.period };
  return table(
    '党支部、责任区与突击队 Branch, areas and teams',
    [
      { label: '范围 Scope' },
      { label: '名称 Name' },
      ...KEY_KPIS.map((k) => ({ label: kpiName(data.names, k), num: true })),
      { label: '名次 Rank' },
      { label: '积分 Points', num: true },
    ],
    scopes.map((s) => [
      kindLabel(s.type),
      s.type === 'area'
        ? html`<a href="${href(ctx.basePath, `/areas/${seg(s.id)}`, period)}">${s.name}</a>`
        : s.name,
      ...KEY_KPIS.map((k) => kpiCell(data.kpis, s, k)),
      rankText(data, s),
      pointsOf(data.scorecard, s),
    ]),
  );
}

/** The close or confirm form of one task or pledge: evidence required, a file optional, multipart. */
function actionForm(ctx: PageContext, data: BranchPage, t: TaskStatus): Html {
  const pledge = t.kind === 'pledge';
  const action = pledge ? `/actions/pledges/${seg(t.id)}/confirm` : `/actions/tasks/${seg(t.id)}/close`;
  const back = href(ctx.basePath, `/branches/${seg(data.branch.id)}`, { period: ctx.period });
  const key = `${t.kind}-${t.id}`;
  return html`<form class="stack act" method="post" action="${href(ctx.basePath, action)}" enctype="multipart/form-data">
${csrfField(ctx.csrfToken)}<input type="hidden" name="period" value="${ctx.period}">
<input type="hidden" name="back" value="${back}">
<label for="evidence-${key}">${pledge ? '践诺依据 Evidence it was kept' : '销号依据 Evidence'}</label>
<textarea id="evidence-${key}" name="evidence" required rows="2"></textarea>
<label for="file-${key}">附件 File <span class="muted">(可选 optional)</span></label>
<input id="file-${key}" name="file" type="file">
<button type="submit">${pledge ? '确认践诺 Confirm fulfilled' : '销号 Close with evidence'}</button>
</form>`;
}

function tasksTable(ctx: PageContext, data: BranchPage): Html {
  const act = mayActOn(ctx, data.branch.id);
  const manual = new Set(data.manualTasks);
  return table(
    '任务与承诺 Key tasks and pledges',
    [
      { label: '编号 ID' },
      { label: '类型 Kind' },
      { label: '标题 Title' },
      { label: '责任方 Owner' },
      { label: '截止 Due' },
      { label: '状态 Status' },
      { label: '销号期间 Closed in' },
      { label: '依据 Evidence' },
      ...(act ? [{ label: '操作 Action' }] : []),
    ],
    data.scorecard.tasks.map((t) => [
      t.id,
      TASK_KIND_LABELS[t.kind],
      t.title,
      nameOf(data.names, t.owner_type, t.owner_id),
      t.due,
      taskBadge(t.status),
      t.closed_period ?? '-',
      t.evidence ?? '',
      ...(act
        ? [
            t.status !== 'closed' && manual.has(t.id)
              ? actionForm(ctx, data, t)
              : html`<span class="muted">-</span>`,
          ]
        : []),
    ]),
  );
}

function ledgerTable(data: BranchPage): Html {
  return table(
    '积分明细 Points ledger',
    [
      { label: '名称 Name' },
      { label: '积分 Points', num: true },
      { label: '来源 Source' },
      { label: '原因 Reason' },
    ],
    data.scorecard.ledger.map((e) => [
      nameOf(data.names, e.scope_type, e.scope_id),
      formatPoints(e.points),
      LEDGER_SOURCE_LABELS[e.source],
      e.by ? `${e.reason} (${e.by}${e.at ? `, ${e.at}` : ''})` : e.reason,
    ]),
  );
}

export function branchPage(ctx: PageContext, data: BranchPage): string {
  const b = data.branch;
  const exportUrl = href(ctx.basePath, `/api/branches/${seg(b.id)}/export`, { period: ctx.period });
  const body = html`<h1>${b.name} <small class="muted">${kindLabel(b.type)} ${b.id}</small></h1>
<p class="summary">
<span>期间 Period <strong>${ctx.period}</strong></span>
<span>积分 Points <strong>${pointsOf(data.scorecard, b)}</strong></span>
<a class="button" href="${exportUrl}">下载月度报表 Download the monthly export</a>
</p>
${section('scopes', '责任区与突击队 Areas and teams', scopesTable(ctx, data))}
${section('targets', '目标跟踪 Targets', trackedTable(data.names, data.scorecard.targets))}
${section('tasks', '任务与承诺 Tasks and pledges', tasksTable(ctx, data))}
${section('ledger', '积分明细 Points ledger', ledgerTable(data))}`;
  return layout(ctx, { title: `${b.name} ${ctx.period}` }, body).text;
}
