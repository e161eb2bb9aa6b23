/**
 * The monthly job's part of the responsibility loop: the period's scorecard settled against the records. A task its
 * KPI rule closes is recorded as closed (销号, audited); a closure already recorded is never undone by a recompute:
 * when the recomputed KPIs no longer prove it (or prove it in another period), the audit says so
 * (`task-closure-disputed`) and the closure stands until a person reopens it (plantkpi task reopen). The period's
 * computed ledger entries replace the earlier ones; manual awards stay.
 */

import type { RecordsStore, TaskClosure } from '../../records/port.ts';
import type { SeriesStore } from '../../store/port.ts';
import { parsePeriod } from '../../transforms/periods.ts';
import { savingsRuns } from '../baseline/period.ts';
import type { Plant } from '../plant.ts';
import type { PeriodResult } from '../rows.ts';
import type { Scorecard } from './build.ts';
import { computeScorecard, type ScorecardRecords } from './compute.ts';
import type { LedgerEntry } from './points.ts';

type Records = Pick<RecordsStore, 'closures' | 'closeTask' | 'append' | 'ledger' | 'replaceLedger'>;

/** What the records hold, as the scorecard reads it: closures at the time they count, manual awards. */
export async function scorecardRecords(
  records: Pick<RecordsStore, 'closures' | 'ledger'>,
): Promise<ScorecardRecords> {
  const closures = (await records.closures()).map(closureInput);
  const awards: LedgerEntry[] = (await records.ledger())
    .filter((e) => e.source === 'manual')
    .map((e) => ({
      scope_type: e.scope_type as LedgerEntry['scope_type'],
      scope_id: e.scope_id,
      period: e.period,
      points: e.points,
      source: 'manual',
      ref: e.id,
      reason: e.reason,
      by: e.by,
      at: new Date(e.atMs).toISOString(),
    }));
  return { closures, awards };
}

function closureInput(c: TaskClosure) {
  return { task: c.task, period: c.period, atMs: c.effectiveMs, by: c.by, evidence: c.evidence };
}

export interface Settled {
  scorecard: Scorecard;
  /** tasks closed by their KPI in this settlement */
  closed: string[];
  /** recorded closures the recomputed KPIs no longer prove as recorded */
  disputed: string[];
}

export async function settleScorecard(
  store: SeriesStore,
  plant: Plant,
  result: PeriodResult,
  records: Records,
  who: string,
): Promise<Settled> {
  const model = plant.scorecard;
  const runs = savingsRuns(store, plant, result);
  const standing = await records.closures();
  const held = await scorecardRecords(records);
  // what the KPIs say on their own: people's closures count, closures the KPIs made before do not
  const manualOnly = {
    ...held,
    closures: standing.filter((c) => c.source === 'manual').map(closureInput),
  };
  const fresh = (await computeScorecard(store, plant, model, result.period, manualOnly, result, runs))
    .scorecard;
  const closed: string[] = [];
  const disputed: string[] = [];
  for (const [i, t] of fresh.tasks.entries()) {
    const task = model.tasks[i]!;
    const recorded = standing.find((c) => c.task === t.id);
    if (recorded?.source === 'manual') continue;
    const byRule = t.status === 'closed' && t.closed_period !== null;
    if (recorded === undefined) {
      if (!byRule || !task.rule) continue;
      const period = t.closed_period!;
      const r = await records.closeTask({
        task: t.id,
        period,
        source: 'kpi',
        // it counts from the end of the period that proved it
        effectiveMs: parsePeriod(period, plant.timeZone).endMs,
        by: who,
        evidence: t.evidence ?? '',
      });
      if (r.made) closed.push(t.id);
      continue;
    }
    if (byRule && t.closed_period === recorded.period) continue;
    disputed.push(t.id);
    await records.append({
      action: 'task-closure-disputed',
      period: result.period,
      by: who,
      reason: byRule
        ? `重算后于 ${t.closed_period} 销号 the recomputed KPIs close ${t.id} in ${t.closed_period}, not ${recorded.period}: the recorded closure stands until a person reopens it`
        : `重算后未达销号条件 the recomputed KPIs no longer close ${t.id}: the recorded closure (${recorded.period}) stands until a person reopens it`,
      detail: {
        task: t.id,
        recordedPeriod: recorded.period,
        recomputedStatus: t.status,
        recomputedPeriod: t.closed_period,
      },
    });
  }
  const scorecard = (
    await computeScorecard(store, plant, model, result.period, await scorecardRecords(records), result, runs)
  ).scorecard;
  await records.replaceLedger(
    result.period,
    scorecard.ledger
      .filter((e) => e.source !== 'manual')
      .map((e) => ({
        period: e.period,
        scope_type: e.scope_type,
        scope_id: e.scope_id,
        points: e.points,
        source: e.source,
        ref: e.ref,
        reason: e.reason,
        by: who,
      })),
  );
  return { scorecard, closed, disputed };
}
