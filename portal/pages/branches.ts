/**
 * 全部党支部 All branches (the energy manager's view, and a viewer's without a branch): each branch's rank, points,
 * targets met and tasks by status, linking to its page; the energy manager gets the award-points form.
 */
import { formatPoints, UNRANKED_LABEL } from '../../kpi/scorecard/present.ts';
import { type Html, html } from './html.ts';
import { layout } from './layout.ts';
import { csrfField, href, kindLabel, section, seg, table } from './parts.ts';
import type { BranchesPage, PageContext } from './types.ts';

/** Only the energy manager awards points by hand. */
export const mayAward = (ctx: PageContext) => ctx.user.role === 'energy_manager';

function summaryTable(ctx: PageContext, data: BranchesPage): Html {
  const period = { period: ctx.period };
  return table(
    '党支部评比 Branches',
    [
      { label: '党支部 Branch' },
      { label: '名次 Rank' },
      { label: '积分 Points', num: true },
      { label: '目标达标 Targets met', num: true },
      { label: '进行中 Open', num: true },
      { label: '已逾期 Overdue', num: true },
      { label: '已销号 Closed', num: true },
    ],
    data.branches.map((b) => [
      html`<a href="${href(ctx.basePath, `/branches/${seg(b.branch.id)}`, period)}">${b.branch.name}</a>`,
      b.ranks.length === 0
        ? '-'
        : b.ranks.map((r) => `${r.groupName}: ${r.rank === null ? UNRANKED_LABEL : r.rank}`).join('; '),
      formatPoints(b.points),
      `${b.targets.met} / ${b.targets.total}`,
      String(b.tasks.open),
      html`${b.tasks.overdue > 0 ? html`<span class="badge badge-overdue">${b.tasks.overdue}</span>` : '0'}`,
      String(b.tasks.closed),
    ]),
  );
}

/** 奖励积分 Award points: scope, points (may be negative), reason; POST to /actions/points. */
function awardForm(ctx: PageContext, data: BranchesPage): Html {
  const back = href(ctx.basePath, '/branches', { period: ctx.period });
  return html`<form class="stack award" method="post" action="${href(ctx.basePath, '/actions/points')}">
${csrfField(ctx.csrfToken)}<input type="hidden" name="period" value="${ctx.period}">
<input type="hidden" name="back" value="${back}">
<label for="award-scope">范围 Scope</label>
<select id="award-scope" name="scope" required>${data.awardScopes.map(
    (s) => html`<option value="${`${s.type}:${s.id}`}">${kindLabel(s.type)} ${s.name}</option>`,
  )}</select>
<label for="award-points">积分 Points <span class="muted">(扣分填负数 negative to deduct)</span></label>
<input id="award-points" name="points" type="number" step="any" required>
<label for="award-reason">原因 Reason</label>
<textarea id="award-reason" name="reason" required rows="2"></textarea>
<button type="submit">记入积分 Award points</button>
</form>`;
}

export function branchesPage(ctx: PageContext, data: BranchesPage): string {
  const body = html`<h1>全部党支部 All branches <small class="muted">${ctx.period}</small></h1>
${section('branches', '评比与积分 Ranking and points', summaryTable(ctx, data))}
${mayAward(ctx) ? section('award', '奖励积分 Award points', awardForm(ctx, data)) : ''}`;
  return layout(ctx, { title: `全部党支部 All branches ${ctx.period}` }, body).text;
}
