/**
 * `plantkpi scorecard --config F --period P [--data DIR] [--branch ID] [--format table|json|csv]`: the period's
 * targets tracked over the year (目标跟踪: year to date, progress, 同比, 环比), ranking (评比), points (积分) and key tasks and pledges (挂图作战, 承诺践诺), from the store's readings and the
 * records (closures and manual awards; none when the embedded records store was never created).
 */
import { EXIT, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import { compilePlant } from '../kpi/plant.ts';
import type { Scorecard } from '../kpi/scorecard/build.ts';
import { computeScorecard } from '../kpi/scorecard/compute.ts';
import { scorecardCsv, scorecardTable } from '../kpi/scorecard/present.ts';
import { branchScorecard } from '../kpi/scorecard/slice.ts';
import { openStore } from '../store/open.ts';
import { dataDirToRead, type Io, type Parsed } from './args.ts';
import { readScorecardRecords } from './scorecard-records.ts';

const DEFAULT_DATA = './data';

export async function cmdScorecard(o: Parsed, io: Io): Promise<number> {
  const configFile = o.values.config;
  const period = o.values.period;
  if (configFile === undefined) throw new UsageError('scorecard needs --config FILE');
  if (period === undefined) throw new UsageError('scorecard needs --period P (2026-10)');
  const format = o.values.format ?? 'table';
  if (format !== 'table' && format !== 'json' && format !== 'csv')
    throw new UsageError(`--format ${format}: use table, json or csv`);
  const { config } = loadPlantConfig(configFile);
  const plant = compilePlant(config);
  const data = o.values.data ?? DEFAULT_DATA;
  const records = await readScorecardRecords(config, data);
  const store = await openStore(config, dataDirToRead(data, config));
  let scorecard: Scorecard;
  try {
    scorecard = (await computeScorecard(store, plant, plant.scorecard, period, records)).scorecard;
  } finally {
    await store.close();
  }
  if (o.values.branch !== undefined) scorecard = branchScorecard(scorecard, plant, o.values.branch);
  if (format === 'json') {
    const { period: p, targets, ranking, points, tasks, ledger } = scorecard;
    io.out(`${JSON.stringify({ period: p, targets, ranking, points, tasks, ledger }, null, 2)}\n`);
  } else if (format === 'csv') io.out(scorecardCsv(scorecard, plant));
  else io.out(scorecardTable(scorecard, plant));
  return EXIT.ok;
}
