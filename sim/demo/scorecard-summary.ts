/**
 * The demo's closing lines: each branch's scorecard in a few lines (its year's targets to date, its areas' and
 * teams' ranks, its points, its key tasks and pledges), from the same scorecard and slice as
 * `plantkpi scorecard --branch ID`, which prints the full tables. Pure.
 */
import type { Plant } from '../../kpi/plant.ts';
import { formatValue, PROVISIONAL_LABEL, scopeName, scopeNames } from '../../kpi/present.ts';
import { kpiLabel } from '../../kpi/rows.ts';
import type { Scorecard } from '../../kpi/scorecard/build.ts';
import { TASK_KIND_LABELS, TASK_STATUS_LABELS, TRACK_STATUS_LABELS } from '../../kpi/scorecard/present.ts';
import { branchScorecard } from '../../kpi/scorecard/slice.ts';

const pct = (x: number | null) =>
  x === null ? '-' : `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} %`;
const pts = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function demoScorecardSummary(scorecard: Scorecard, plant: Plant): string {
  const names = scopeNames(plant);
  const name = (type: string, id: string) => scopeName(names, type as never, id);
  const lines = [
    `党支部评比 Branch scorecards ${scorecard.period} (明细 details: plantkpi scorecard --branch ID)`,
  ];
  for (const b of plant.branches) {
    const s = branchScorecard(scorecard, plant, b.id);
    const own = s.points.find((p) => p.scope_type === 'branch' && p.scope_id === b.id)?.points ?? 0;
    const teams = s.points.filter((p) => p.scope_type === 'team');
    const teamText = teams.map((p) => `${p.scope_id} ${pts(p.points)}`).join(', ');
    lines.push(
      `  ${b.id} ${name('branch', b.id)}: 积分 points ${pts(own)}${teamText ? ` (突击队另计 teams apart: ${teamText})` : ''}`,
    );
    for (const t of s.targets.filter((x) => x.scope_type === 'branch')) {
      const unit = t.unit ?? '';
      const bound =
        t.target_max !== undefined
          ? `≤ ${formatValue(t.target_max, unit)}`
          : `≥ ${formatValue(t.target_min, unit)}`;
      lines.push(
        `    目标 target ${t.target_period} ${kpiLabel(t.kpi, plant.names)} ${bound} ${unit}: ` +
          `累计 to date ${formatValue(t.to_date_actual, unit)} ${unit}, 进度 progress ${pct(t.progress_pct)}, ` +
          `${TRACK_STATUS_LABELS[t.status]}${t.provisional ? ` (${PROVISIONAL_LABEL})` : ''}`,
      );
    }
    const ranked = (group: string) =>
      scorecard.ranking.filter((r) => r.group === group && r.rank !== null).length;
    const ranks = s.ranking.map(
      (r) =>
        `${r.scope_id} ${r.rank === null ? '不参评 unranked' : `第${r.rank}名/共${ranked(r.group)} rank ${r.rank} of ${ranked(r.group)}`}` +
        (r.margin_pct === null ? '' : ` (余量 margin ${pct(r.margin_pct)})`),
    );
    if (ranks.length > 0) lines.push(`    评比 ranking: ${ranks.join('; ')}`);
    for (const t of s.tasks) {
      const kind = TASK_KIND_LABELS[t.kind];
      const closed = t.status === 'closed' ? ` ${t.closed_period}` : '';
      lines.push(
        `    ${kind} ${t.id} ${t.title}, 截止 due ${t.due}: ${TASK_STATUS_LABELS[t.status]}${closed}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
