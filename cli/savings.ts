/**
 * `plantkpi savings --config F --period P [--data DIR] [--format table|json]`: per configured baseline (ISO 50006),
 * the model fitted over its baseline period with R², CV(RMSE), NMBE and the ASHRAE Guideline 14 flag, and the
 * period's savings (adjusted baseline − actual) in the carrier's unit, tce and tCO2, with the cumulative savings.
 */
import { EXIT, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import { savingsTable } from '../kpi/baseline/present.ts';
import { computeSavings, type SavingsResult, savingsSources } from '../kpi/baseline/stage.ts';
import { compilePlant } from '../kpi/plant.ts';
import { openStore } from '../store/open.ts';
import { dataDirToRead, type Io, type Parsed } from './args.ts';

const DEFAULT_DATA = './data';

export async function cmdSavings(o: Parsed, io: Io): Promise<number> {
  const configFile = o.values.config;
  const period = o.values.period;
  if (configFile === undefined) throw new UsageError('savings needs --config FILE');
  if (period === undefined) throw new UsageError('savings needs --period P (2026-10)');
  const format = o.values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format ${format}: use table or json`);
  const { config } = loadPlantConfig(configFile);
  const plant = compilePlant(config);
  const store = await openStore(config, dataDirToRead(o.values.data ?? DEFAULT_DATA, config));
  let result: SavingsResult;
  try {
    result = await computeSavings(savingsSources(store, plant), plant, period);
  } finally {
    await store.close();
  }
  if (format === 'json') io.out(`${JSON.stringify(result, null, 2)}\n`);
  else io.out(savingsTable(result, plant));
  return EXIT.ok;
}
