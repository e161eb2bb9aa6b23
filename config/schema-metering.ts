/**
 * Metering balances (计量平衡) and CEMS stacks (烟气在线监测) in the plant config (issue 13, points 2 and 4).
 * Compiled by kpi/balance.ts and kpi/cems.ts; checked against the signals by validate-metering.ts.
 */
import { z } from 'zod';
import { Id, Label } from './primitives.ts';

const SubmeterSignal = z.strictObject({
  signal: Id.describe('a submeter (a signals[].id) measuring the same carrier as the main meter'),
});
const SubmeterBalance = z.strictObject({
  balance: Id.describe(
    'a nested balance (a balances[].id): its main meter counts as a submeter here, and it is balanced itself',
  ),
});

export const BalanceSchema = z.strictObject({
  id: Id.describe('balance id; KPI rows are balance.<id>.main, .submetered, .unmetered, .loss_pct, .alarm'),
  name: Label.optional(),
  carrier: Id.describe('the carrier balanced (a carriers[].id); every meter of the tree measures it'),
  main: Id.describe('the main meter (a signals[].id): what came in'),
  submeters: z
    .array(z.union([SubmeterSignal, SubmeterBalance]))
    .min(1)
    .describe(
      'what the main meter feeds: submeters ({signal}) or nested balances ({balance}), forming a tree',
    ),
  lossAlarmPct: z
    .number()
    .optional()
    .describe(
      'the loss rate above which the row is marked, %: balance.<id>.alarm is 1 when loss_pct is above it; absent: no alarm row',
    ),
});

export const Pollutant = z.enum(['so2', 'nox', 'particulate']);

export const PollutantSchema = z.strictObject({
  signal: Id.describe(
    'the concentration, a gauge in mg/m3 (standard dry, 标干) or mg/Nm3 (a signals[].id); hourly means of it are used',
  ),
  limitMgM3: z
    .number()
    .positive()
    .optional()
    .describe(
      'emission limit, mg/m3 at the reference O2: an hour whose corrected mean is above it is an exceedance hour; absent: no exceedance row',
    ),
  referenceO2Pct: z
    .number()
    .min(0)
    .lt(21)
    .optional()
    .describe(
      'reference O2 (基准氧含量), %: the limit check uses C × (21 − ref) / (21 − O2); absent: the measured concentration is checked',
    ),
});

export const StackSchema = z.strictObject({
  id: Id.describe('stack id (排放口编号)'),
  name: Label.optional(),
  flowSignal: Id.describe('the flue-gas flow, a gauge in m3/h or Nm3/h, standard dry (a signals[].id)'),
  o2Signal: Id.optional().describe(
    'the flue-gas O2, a gauge in % (a signals[].id); needed when a pollutant has a referenceO2Pct',
  ),
  pollutants: z
    .strictObject({
      so2: PollutantSchema.optional().describe('二氧化硫 SO2'),
      nox: PollutantSchema.optional().describe('氮氧化物 NOx (as NO2)'),
      particulate: PollutantSchema.optional().describe('颗粒物 particulate matter'),
    })
    .describe('the pollutants measured at this stack'),
});

export const CemsSchema = z.strictObject({
  stacks: z
    .array(StackSchema)
    .min(1)
    .describe('the stacks; emissions.<pollutant>.* rows of the site add up every stack'),
  product: Id.optional().describe(
    "the product the mass is per (a products[].id): emissions.<pollutant>.intensity is the site's summed mass / the site's output of it; absent: no intensity",
  ),
  minHourCoverage: z
    .number()
    .gt(0)
    .max(1)
    .default(0.75)
    .describe(
      "share of an hour's expected samples needed for a valid hourly mean (HJ 75-2017: 45 min of 60 is 0.75); an hour short of it adds no mass, is no exceedance and makes the rows provisional",
    ),
});

export type BalanceConfig = z.infer<typeof BalanceSchema>;
export type CemsConfig = z.infer<typeof CemsSchema>;
export type PollutantName = z.infer<typeof Pollutant>;
