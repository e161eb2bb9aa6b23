/**
 * Energy baselines and savings (ISO 50006, issue 13): per scope, a baseline period and a model of its energy — a
 * ratio EnPI or a linear regression on drivers — fitted per day or month; compiled by kpi/baseline/compile.ts and
 * checked against the plant by validate-baseline.ts.
 */
import { z } from 'zod';
import { DateTimeText, Id, Label, ScopeType } from './primitives.ts';

const KpiDriver = z.strictObject({
  type: z.literal('kpi').describe("an amount of the scope's own KPI rows in each period"),
  kpi: z
    .string()
    .regex(/^(output|energy)\.[A-Za-z0-9_.:-]+$/, 'a driver KPI is output.<product> or energy.<carrier>')
    .describe('the KPI, e.g. output.mg (its unit is the product’s)'),
});

const GaugeMeanDriver = z.strictObject({
  type: z.literal('gauge_mean').describe("the mean of a gauge's readings in each period"),
  signal: Id.describe('the gauge (a signals[].id of kind gauge), e.g. an outdoor temperature'),
});

const DegreeDaysDriver = z.strictObject({
  type: z
    .literal('degree_days')
    .describe(
      "degree-days from a temperature gauge: each day's mean against the base, summed over the period",
    ),
  signal: Id.describe('the temperature gauge (a signals[].id of kind gauge), in °C'),
  baseC: z.number().default(18).describe('base temperature, °C'),
  kind: z
    .enum(['heating', 'cooling'])
    .default('heating')
    .describe('heating: Σ max(0, base − day mean); cooling: Σ max(0, day mean − base)'),
});

export const BaselineDriverSchema = z
  .discriminatedUnion('type', [KpiDriver, GaugeMeanDriver, DegreeDaysDriver])
  .describe('a variable the energy depends on');

export const BaselineModelSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('ratio').describe('a ratio EnPI: Σ energy / Σ driver over the baseline period'),
      driver: BaselineDriverSchema.describe('the denominator, usually output.<product>'),
    }),
    z.strictObject({
      type: z
        .literal('regression')
        .describe('energy = b0 + Σ bi·driver_i, least squares over the baseline periods'),
      drivers: z.array(BaselineDriverSchema).min(1).describe('the independent variables, one or more'),
    }),
  ])
  .describe('the model of the energy: ratio or regression');

export const BaselineSchema = z.strictObject({
  id: Id.describe('baseline id'),
  name: Label.optional(),
  scope: z
    .strictObject({
      type: ScopeType.describe('the kind of scope (team, area, site, ...)'),
      id: Id.describe('the scope id'),
    })
    .describe('whose energy; at most one baseline per scope'),
  energy: z
    .string()
    .regex(/^energy\.[A-Za-z0-9_.:-]+$/, 'energy.<carrier> or energy.total')
    .describe('the energy KPI modelled: energy.<carrier> (in its unit) or energy.total (tce)'),
  period: z
    .string()
    .optional()
    .describe(
      "the baseline period: a year 2025, a quarter, a month, months '2025-01..2025-12' (both whole) or 'FROM..TO' dates; or give from/to",
    ),
  from: DateTimeText.optional().describe('or: the baseline period starts here (inclusive)'),
  to: DateTimeText.optional().describe('or: the baseline period ends here (exclusive)'),
  granularity: z
    .enum(['day', 'month'])
    .default('month')
    .describe('the model is fitted on, and applied to, whole days or whole months'),
  model: BaselineModelSchema,
  savingsFrom: DateTimeText.optional().describe(
    "cumulative savings count from the first whole period at or after this; absent: a team's start, else the baseline's end",
  ),
});

export type BaselineConfig = z.infer<typeof BaselineSchema>;
export type BaselineDriverConfig = z.infer<typeof BaselineDriverSchema>;
