/**
 * The branch overview on the reference plant's October: the numbers are formatValue of the scorecard's, the forms
 * appear only for those who may act and only on the tasks a person closes, and each carries `_csrf`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../kpi/present.ts';
import { kpiLabel } from '../../kpi/rows.ts';
import { formatPoints, TASK_STATUS_LABELS, TRACK_STATUS_LABELS } from '../../kpi/scorecard/present.ts';
import { branchPage, KEY_KPIS } from './branch.ts';
import { branchPageData } from './data.ts';
import { forms, tableRows } from './testdata/inspect.ts';
import { contextFor, HOSTILE, type ReferenceData, referenceData } from './testdata/reference.ts';
import type { BranchPage } from './types.ts';

let ref: ReferenceData;
let pwr: BranchPage;
let ely: BranchPage;

beforeAll(async () => {
  ref = await referenceData();
  pwr = branchPageData(ref.plant, ref.scorecard, ref.result, 'B-PWR')!;
  ely = branchPageData(ref.plant, ref.scorecard, ref.result, 'B-ELY')!;
});

const actionForms = (page: string) => forms(page).filter((f) => f.action?.startsWith('/actions/'));

describe('branch overview', () => {
  it('shows each scope of the branch with its KPIs, rank and points as the scorecard has them', () => {
    const page = branchPage(contextFor('branch_secretary', 'B-PWR'), pwr);
    const rows = tableRows(page, '党支部、责任区与突击队 Branch, areas and teams');
    expect(rows.map((r) => r.cells.get('名称 Name'))).toEqual([
      '动力党支部 Power branch',
      '锅炉党员责任区 Boiler area',
      '锅炉节能党员突击队 Boiler energy-saving assault team',
    ]);
    const scopes = [pwr.branch, ...pwr.areas, ...pwr.teams];
    for (const [i, s] of scopes.entries()) {
      for (const kpi of KEY_KPIS) {
        const k = ref.result.kpis.find(
          (r) => r.kpi === kpi && r.scope_type === s.type && r.scope_id === s.id,
        )!;
        expect(rows[i]!.cells.get(kpiLabel(kpi, ref.plant.names))).toMatch(
          new RegExp(`^${formatValue(k.value, k.unit).replace(/[.]/g, '\\.')} ${k.unit}`),
        );
      }
      const p = ref.scorecard.points.find((x) => x.scope_type === s.type && x.scope_id === s.id)!;
      expect(rows[i]!.cells.get('积分 Points')).toBe(formatPoints(p.points));
    }
    // A-BLR ranks 2nd of the areas (expected-scorecard.json); the branch's points are its area's −2 and the +1.5 award
    expect(rows[1]!.cells.get('名次 Rank')).toBe('责任区评比 Area ranking: 2');
    expect(rows[0]!.cells.get('积分 Points')).toBe('-0.5');
    expect(page).toContain('<a href="/areas/A-BLR?period=2026-10">');
  });

  it("tracks the branch's targets: target, actual, margin and year to date through formatValue", () => {
    const page = branchPage(contextFor('viewer', null), ely);
    const rows = tableRows(page, '目标跟踪 Targets tracked');
    expect(rows).toHaveLength(ely.scorecard.targets.length);
    const t = ely.scorecard.targets[0]!;
    const row = rows[0]!.cells;
    expect(row.get('名称 Name')).toBe('电解一区党员责任区 Electrolysis area 1');
    expect(row.get('目标 Target')).toBe(`2026-10 ≤ ${formatValue(260, 'kgce/t')} kgce/t`);
    expect(row.get('本期 Actual')).toBe(`${formatValue(t.actual, t.unit!)} kgce/t`);
    expect(row.get('累计 Year to date')).toBe(`${formatValue(t.ytd_actual, t.unit!)} kgce/t`);
    expect(row.get('余量 Margin')).toBe(`${t.margin_pct!.toFixed(2)} %`);
    expect(row.get('状态 Status')).toContain(TRACK_STATUS_LABELS[t.status]);
    // no October 2025 in the reference data: 同比 is absent, shown as a dash
    expect(row.get('同比 Against last year')).toBe('-');
  });

  it('lists tasks and pledges with kind, status in words and due date; a hostile title stays text', () => {
    const page = branchPage(contextFor('branch_secretary', 'B-PWR'), pwr);
    const rows = tableRows(page, '任务与承诺 Key tasks and pledges');
    expect(
      rows.map((r) => [r.cells.get('编号 ID'), r.cells.get('状态 Status'), r.cells.get('截止 Due')]),
    ).toEqual([
      ['K-1', TASK_STATUS_LABELS.closed, '2026-12-31'],
      ['K-2', TASK_STATUS_LABELS.overdue, '2026-10-10'],
      ['K-3', TASK_STATUS_LABELS.open, '2026-12-31'],
    ]);
    expect(rows[1]!.cells.get('标题 Title')).toBe(HOSTILE);
    expect(rows[1]!.html.get('标题 Title')).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover',
    );
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('class="badge badge-overdue">已逾期 overdue<');
    expect(rows[0]!.cells.get('依据 Evidence')).toBe('intensity.energy ≤ 16: 2026-10 15.71 kgce/t');
  });

  it("gives the branch's secretary a close form on each open or overdue manual task, none on K-1 (its KPI closes it)", () => {
    const ctx = contextFor('branch_secretary', 'B-PWR');
    const acts = actionForms(branchPage(ctx, pwr));
    expect(acts.map((f) => f.action)).toEqual(['/actions/tasks/K-2/close', '/actions/tasks/K-3/close']);
    for (const f of acts) {
      expect(f.method).toBe('post');
      expect(f.enctype).toBe('multipart/form-data');
      expect(Object.fromEntries(f.hidden)).toEqual({
        _csrf: ctx.csrfToken,
        period: '2026-10',
        back: '/branches/B-PWR?period=2026-10',
      });
      expect(f.fields).toEqual(['_csrf', 'period', 'back', 'evidence', 'file']);
      expect(f.html).toMatch(/<textarea [^>]*name="evidence" required/);
    }
  });

  it('gives a confirm form on an open pledge, none on a pledge already confirmed', () => {
    const acts = actionForms(branchPage(contextFor('branch_secretary', 'B-ELY'), ely));
    expect(acts.map((f) => f.action)).toEqual(['/actions/pledges/P-1/confirm']);
    expect(acts[0]!.html).toContain('确认践诺 Confirm fulfilled');
  });

  it('the energy manager acts on every branch; a viewer and another branch’s secretary see no form', () => {
    expect(actionForms(branchPage(contextFor('energy_manager', null), pwr))).toHaveLength(2);
    expect(actionForms(branchPage(contextFor('energy_manager', null), ely))).toHaveLength(1);
    for (const ctx of [
      contextFor('viewer', null),
      contextFor('viewer', 'B-PWR'),
      contextFor('branch_secretary', 'B-ELY'),
    ]) {
      const page = branchPage(ctx, pwr);
      expect(actionForms(page)).toEqual([]);
      expect(page).not.toContain('操作 Action');
    }
  });

  it("links the branch's monthly export for the period, under the base path", () => {
    const page = branchPage(contextFor('viewer', 'B-ELY', { basePath: '/portal', period: '2026-09' }), ely);
    expect(page).toContain('href="/portal/api/branches/B-ELY/export?period=2026-09"');
    expect(page).toContain('href="/portal/assets/portal.css"');
  });

  it('shows the ledger with who awarded a manual entry, its reason escaped', () => {
    const page = branchPage(contextFor('viewer', null), pwr);
    const rows = tableRows(page, '积分明细 Points ledger');
    const manual = rows.find((r) => r.cells.get('来源 Source') === '人工 manual')!;
    expect(manual.cells.get('积分 Points')).toBe('1.5');
    expect(manual.cells.get('原因 Reason')).toBe(
      `抢修表彰 ${HOSTILE} (李四 lisi, 2026-10-28T09:00:00+08:00)`,
    );
  });
});
