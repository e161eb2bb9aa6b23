/**
 * The records a scorecard reads (closures and manual awards), for the commands that compute one without settling
 * it (`scorecard`, `export`): none when the embedded records store was never created, which is then not created.
 */
import { existsSync } from 'node:fs';
import type { ScorecardRecords } from '../kpi/scorecard/compute.ts';
import { scorecardRecords } from '../kpi/scorecard/settle.ts';
import { recordsTarget } from '../records/open.ts';
import { openSharedRecords } from '../records/shared.ts';

export async function readScorecardRecords(
  config: Parameters<typeof recordsTarget>[0],
  data: string,
): Promise<ScorecardRecords> {
  const target = recordsTarget(config, data);
  if ('dir' in target && !existsSync(target.dir)) return { closures: [], awards: [] };
  const records = await openSharedRecords(target);
  try {
    return await scorecardRecords(records);
  } finally {
    await records.close();
  }
}
