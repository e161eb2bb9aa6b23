/**
 * The plant config schema: the single source of truth for parsing, defaults, types (z.infer)
 * and the JSON Schema shipped for editors (config/plant.schema.json, `plantkpi schema`).
 * Semantic checks that need the whole document (references, shares, overlaps) live in validate.ts.
 */
import { z } from 'zod';
import { CollectorSchema } from '../ingest/collector-schema.ts';
import { SourcesSchema } from '../ingest/schemas.ts';
import { SpoolSchema } from '../ingest/spool/schema.ts';
import { JobsSchema } from '../kpi/jobs/schema.ts';
import { InfluxSchema } from '../store/influx/schema.ts';
import { isIsoDateOrDateTime } from './time.ts';

/** An identifier: letters, digits and `_ . : -`, as used in tags and file names. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits and _ . : - only')
  .describe('identifier');

/** ISO 8601 date-time with offset (2026-10-16T00:00:00+08:00), or without (site local time), or a date (local midnight). */
export const DateTimeText = z
  .string()
  .refine(isIsoDateOrDateTime, {
    message: 'expected an ISO 8601 date-time such as 2026-10-16T00:00:00+08:00, or a date such as 2026-10-16',
  })
  .describe('ISO 8601 date-time; without an offset it is site local time; a date means local midnight');

/** A zh-CN / English label, e.g. "电解党支部 Electrolysis branch". */
const Label = z.string().min(1).describe('label shown in boards and exports, zh-CN with English beside');

const Validity = {
  /** inclusive start; absent = since ever */
  from: DateTimeText.optional().describe('inclusive start; absent means always'),
  /** exclusive end; absent = for ever */
  to: DateTimeText.optional().describe('exclusive end; absent means open-ended'),
};

export const EmissionScope = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal('none')]);

export const SiteSchema = z.object({
  id: Id,
  name: Label.optional(),
  /** IANA time zone for periods and labels */
  timeZone: z.string().default('Asia/Shanghai').describe('IANA time zone for periods'),
  /** grid region used to pick regional grid emission factors (e.g. northwest, north, east, CN) */
  gridRegion: z.string().default('CN').describe('grid region for regional grid factors'),
});

export const CarrierSchema = z.object({
  id: Id.describe('carrier id; KPI rows are energy.<id>'),
  name: Label.optional(),
  /** unit KPI rows of this carrier are reported in */
  unit: z.string().min(1),
  /** GHG scope of this carrier's use on site: purchased electricity and heat 2, fuel burnt on site 1 */
  emissionScope: EmissionScope,
  /** factor series for conversion to standard coal */
  tceSeries: z.string().default('equivalent'),
  /** factor series for CO2; absent = the library's default series for the carrier */
  co2Series: z.string().optional(),
  /** region for factor lookup; absent = site.gridRegion, falling back to CN */
  region: z.string().optional(),
});

export const ProductSchema = z.object({
  id: Id.describe('product id; KPI rows are output.<id>'),
  name: Label.optional(),
  unit: z.string().min(1),
});

const ReplacementSchema = z.object({
  at: DateTimeText.describe('when the meter was swapped'),
  /** old meter's reading at removal (absent: unknown, the last old reading is used) */
  oldFinal: z.number().optional(),
  /** new meter's reading when installed */
  newStart: z.number().default(0),
  note: z.string().optional(),
});

const SignalCommon = {
  id: Id,
  name: Label.optional(),
  /** the energy carrier this meter measures */
  carrier: Id.optional(),
  /** the product this meter counts */
  product: Id.optional(),
  /** equipment the signal belongs to */
  equipment: Id.optional(),
  /** expected interval between readings, for completeness */
  sampleIntervalS: z.number().positive().default(60),
  /** counts into the site's physical totals (false for sub-meters under a counted main meter) */
  inSiteTotal: z.boolean().default(true),
  /** overrides the carrier's emission scope for this meter's use */
  emissionScope: EmissionScope.optional(),
};

export const CounterSignal = z.object({
  ...SignalCommon,
  kind: z.literal('counter'),
  unit: z.string().min(1),
  /** counter wraps to 0 after this value */
  rolloverAt: z.number().positive().optional(),
  replacements: z.array(ReplacementSchema).default([]),
});

export const ManualSignal = z.object({
  ...SignalCommon,
  kind: z.literal('manual').describe('meter readings taken by hand, interpolated between readings'),
  unit: z.string().min(1),
  sampleIntervalS: z.number().positive().default(86_400),
  rolloverAt: z.number().positive().optional(),
  replacements: z.array(ReplacementSchema).default([]),
});

export const RateSignal = z.object({
  ...SignalCommon,
  kind: z.literal('rate'),
  /** a rate unit such as kW, MW, Nm3/h, t/h */
  unit: z.string().min(1),
  /** intervals longer than this are gaps and not integrated; default 5 x sampleIntervalS */
  maxGapS: z.number().positive().optional(),
});

export const GaugeSignal = z.object({
  ...SignalCommon,
  kind: z.literal('gauge'),
  unit: z.string().min(1),
});

export const StateSignal = z.object({
  ...SignalCommon,
  kind: z.literal('state'),
  unit: z.string().default('code'),
  /** a reading holds until the next, but at most this long (absent: until the next reading) */
  maxHoldS: z.number().positive().optional(),
});

export const VirtualSignal = z.object({
  ...SignalCommon,
  kind: z.literal('virtual'),
  unit: z.string().min(1),
  /** linear expression over counter/rate/virtual signals, e.g. "E-MAIN - E-SUB1 - 0.5 * E-SHARED" */
  expression: z.string().min(1),
  inSiteTotal: z.boolean().default(false),
});

export const SignalSchema = z.discriminatedUnion('kind', [
  CounterSignal,
  ManualSignal,
  RateSignal,
  GaugeSignal,
  StateSignal,
  VirtualSignal,
]);

export const FactorSchema = z.object({
  carrier: Id,
  kind: z.enum(['tce', 'co2']).describe('tce: conversion to standard coal; co2: emission factor'),
  value: z.number().nonnegative(),
  /** a ratio unit such as kgce/kWh, kgCO2/kWh, tCO2/MWh, kgce/Nm3 */
  unit: z.string().min(1),
  source: z.string().min(1).describe('where the number comes from: standard, notice, year'),
  region: z.string().default('CN'),
  series: z.string().default('default'),
  ...Validity,
});

const Share = z.number().gt(0).lte(1).default(1).describe('fraction of the meter, 0 < share <= 1');
const MeterAssignment = z.object({ signal: Id, share: Share, ...Validity });
const EquipmentAssignment = z.object({ id: Id, ...Validity });

export const AreaSchema = z.object({
  id: Id,
  name: Label.optional(),
  branch: Id,
  meters: z.array(MeterAssignment).default([]),
  products: z.array(MeterAssignment).default([]),
  equipment: z.array(EquipmentAssignment).default([]),
});

export const TeamSchema = z.object({
  id: Id,
  name: Label.optional(),
  branch: Id,
  goal: z.string().optional(),
  from: DateTimeText,
  to: DateTimeText.optional(),
  meters: z.array(MeterAssignment).default([]),
  products: z.array(MeterAssignment).default([]),
  equipment: z.array(EquipmentAssignment).default([]),
});

export const StateCategory = z.enum(['running', 'planned_stop', 'unplanned_stop']);

export const EquipmentSchema = z.object({
  id: Id,
  name: Label.optional(),
  /** ideal production rate, product units per hour */
  idealRatePerH: z.number().positive().optional(),
  stateSignal: Id.optional(),
  producedSignal: Id.optional(),
  goodSignal: Id.optional(),
  /** state code -> category, e.g. {"1": running, "0": unplanned_stop, "2": planned_stop} */
  stateCodes: z.record(z.string().regex(/^-?\d+$/), StateCategory).default({}),
});

export const OrganisationSchema = z.object({
  committee: z.object({ id: Id, name: Label.optional() }),
  generalBranches: z.array(z.object({ id: Id, name: Label.optional() })).default([]),
  branches: z.array(z.object({ id: Id, name: Label.optional(), generalBranch: Id.optional() })).min(1),
  areas: z.array(AreaSchema).default([]),
  teams: z.array(TeamSchema).default([]),
});

export const ScopeType = z.enum([
  'site',
  'committee',
  'general_branch',
  'branch',
  'area',
  'team',
  'equipment',
]);

export const TargetSchema = z.object({
  kpi: z.string().min(1),
  scope: z.object({ type: ScopeType, id: Id }),
  /** a period label (2026-10, 2026-10-05) the target applies to */
  period: z.string().optional(),
  /** or: every period of this kind */
  every: z.enum(['hour', 'day', 'month']).optional(),
  /** at most */
  max: z.number().optional(),
  /** at least */
  min: z.number().optional(),
});

export const PlantConfigSchema = z.object({
  site: SiteSchema,
  completeness: z
    .object({
      /** KPIs resting on a meter with completeness below this are provisional */
      provisionalBelow: z.number().min(0).max(1).default(0.95),
    })
    .prefault({}),
  carriers: z.array(CarrierSchema).default([]),
  products: z.array(ProductSchema).default([]),
  signals: z.array(SignalSchema).default([]),
  equipment: z.array(EquipmentSchema).default([]),
  /** include the built-in factor library (GB/T 2589-2020, MEE grid factors) */
  useBuiltInFactors: z.boolean().default(true),
  /** site factors: override built-ins with the same carrier, kind, series and region, or add */
  factors: z.array(FactorSchema).default([]),
  organisation: OrganisationSchema,
  targets: z.array(TargetSchema).default([]),
  /** where readings come from (collectors): one list per source kind */
  sources: SourcesSchema,
  /** the InfluxDB the collector writes to and the InfluxDB store reads from */
  influx: InfluxSchema.optional(),
  /** the collector's durable spool in front of InfluxDB */
  spool: SpoolSchema.prefault({}),
  collector: CollectorSchema.prefault({}),
  /** scheduled KPI jobs on BullMQ and the monthly export */
  jobs: JobsSchema,
});

export type PlantConfig = z.infer<typeof PlantConfigSchema>;
export type PlantConfigInput = z.input<typeof PlantConfigSchema>;
export type SignalConfig = z.infer<typeof SignalSchema>;
export type FactorConfig = z.infer<typeof FactorSchema>;
export type AreaConfig = z.infer<typeof AreaSchema>;
export type TeamConfig = z.infer<typeof TeamSchema>;
export type EquipmentConfig = z.infer<typeof EquipmentSchema>;
export type TargetConfig = z.infer<typeof TargetSchema>;
export type ScopeTypeName = z.infer<typeof ScopeType>;
export type StateCategoryName = z.infer<typeof StateCategory>;

/** JSON Schema for editors, generated from the zod schema (input side, so defaults are optional). */
export function plantJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PlantConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
