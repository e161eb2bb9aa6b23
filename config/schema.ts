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
import { RecordsSchema } from '../records/schema.ts';
import { InfluxSchema } from '../store/influx/schema.ts';
import { DateTimeText, Id, Label, ScopeType } from './primitives.ts';
import { BaselineSchema } from './schema-baseline.ts';
import { FactorSchema, FactorYear, ProcessEmissionSchema } from './schema-factors.ts';
import { BalanceSchema, CemsSchema } from './schema-metering.ts';
import { RecoverySchema } from './schema-recovery.ts';
import { PointRuleSchema, RankingGroupSchema, TaskSchema } from './schema-responsibility.ts';

export { DateTimeText, Id, ScopeType } from './primitives.ts';
export {
  type FactorConfig,
  FactorSchema,
  type ProcessEmissionConfig,
  ProcessEmissionSchema,
} from './schema-factors.ts';

const Validity = {
  from: DateTimeText.optional().describe('valid from (inclusive); absent: since ever'),
  to: DateTimeText.optional().describe('valid until (exclusive); absent: open-ended'),
};

export const EmissionScope = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal('none')]);

export const SiteSchema = z.strictObject({
  id: Id.describe('site id, written as the `site` tag of every reading and KPI point'),
  name: Label.optional(),
  timeZone: z
    .string()
    .default('Asia/Shanghai')
    .describe('IANA time zone of periods, cron patterns and times written without an offset'),
  gridRegion: z
    .string()
    .default('CN')
    .describe(
      'grid region that picks regional and provincial grid emission factors: north, northeast, east, central, northwest, south, southwest, a province (hebei, ...) or CN',
    ),
  factorYear: FactorYear.optional().describe(
    "pin: every carrier's dated factors (grid CO2, equal value) use this data year in every period; absent: the one valid for the period, the newest published for a period after it",
  ),
});

export const CarrierSchema = z.strictObject({
  id: Id.describe('carrier id; KPI rows are energy.<id>'),
  name: Label.optional(),
  unit: z.string().min(1).describe("unit the carrier's KPI rows are reported in (kWh, GJ, t, Nm3)"),
  emissionScope: EmissionScope.describe(
    "GHG scope of this carrier's use on site: purchased electricity and heat 2, fuel burnt on site 1",
  ),
  tceSeries: z
    .string()
    .default('equivalent')
    .describe('factor series for the conversion to standard coal (equivalent or equal value)'),
  co2Series: z
    .string()
    .optional()
    .describe("factor series for CO2; absent: the library's default series for the carrier"),
  region: z
    .string()
    .optional()
    .describe('region for the factor lookup; absent: site.gridRegion, falling back to CN'),
  factorYear: FactorYear.optional().describe(
    "pin: this carrier's dated factors use this data year in every period; absent: site.factorYear, else the one valid for the period",
  ),
  equalValueSeries: z
    .string()
    .optional()
    .describe(
      "tce factor series of the equal value (等价值) of a secondary carrier (electricity: the year's coal consumption of thermal power supply); a carrier with one turns on the energy.total.equal_value rows; absent: its equal value is its equivalent value (true of primary energy)",
    ),
});

export const ProductSchema = z.strictObject({
  id: Id.describe('product id; KPI rows are output.<id>'),
  name: Label.optional(),
  unit: z
    .string()
    .min(1)
    .describe('unit output is counted in (t, m3, pieces); intensities are per this unit'),
});

const ReplacementSchema = z.strictObject({
  at: DateTimeText.describe('when the meter was swapped'),
  oldFinal: z
    .number()
    .optional()
    .describe("old meter's reading at removal, in the signal's unit; absent: the last old reading is used"),
  newStart: z.number().default(0).describe("new meter's reading when installed, in the signal's unit"),
  note: z.string().optional().describe('free text for the audit trail'),
});

const SampleIntervalS = z
  .number()
  .positive()
  .describe('expected interval between readings, s; completeness counts against it');
const SignalUnit = z.string().min(1).describe("unit of the signal's values (kWh, Nm3, t)");
const Replacements = z
  .array(ReplacementSchema)
  .default([])
  .describe('recorded meter swaps: the count carries on across them');
const RolloverAt = z
  .number()
  .positive()
  .optional()
  .describe("the counter wraps to 0 after this value, in the signal's unit");

const SignalCommon = {
  id: Id.describe('signal id, as readings, CSV files and topics name it (the `signal` tag)'),
  name: Label.optional(),
  carrier: Id.optional().describe('the energy carrier this meter measures (a carriers[].id)'),
  product: Id.optional().describe('the product this meter counts (a products[].id)'),
  equipment: Id.optional().describe('the equipment the signal belongs to (an equipment[].id)'),
  sampleIntervalS: SampleIntervalS.default(60),
  inSiteTotal: z
    .boolean()
    .default(true)
    .describe("counts into the site's physical totals (false for a sub-meter under a counted main meter)"),
  emissionScope: EmissionScope.optional().describe("overrides the carrier's emission scope for this meter"),
};

export const CounterSignal = z.strictObject({
  ...SignalCommon,
  kind: z
    .literal('counter')
    .describe('a cumulative meter reading (kWh, m3); resets and rollovers are corrected'),
  unit: SignalUnit,
  rolloverAt: RolloverAt,
  replacements: Replacements,
});

export const ManualSignal = z.strictObject({
  ...SignalCommon,
  kind: z.literal('manual').describe('meter readings taken by hand, interpolated between readings'),
  unit: SignalUnit,
  sampleIntervalS: SampleIntervalS.default(86_400),
  rolloverAt: RolloverAt,
  replacements: Replacements,
});

export const RateSignal = z.strictObject({
  ...SignalCommon,
  kind: z.literal('rate').describe('an instantaneous rate, integrated over time by trapezoid'),
  unit: z.string().min(1).describe('a rate unit such as kW, MW, Nm3/h, t/h'),
  maxGapS: z
    .number()
    .positive()
    .optional()
    .describe(
      'longer intervals between readings are gaps and not integrated, s; absent: 5 x sampleIntervalS',
    ),
});

export const GaugeSignal = z.strictObject({
  ...SignalCommon,
  kind: z.literal('gauge').describe('a level or temperature: read, never summed'),
  unit: SignalUnit,
});

export const StateSignal = z.strictObject({
  ...SignalCommon,
  kind: z.literal('state').describe('an equipment state code; each reading holds until the next'),
  unit: z.string().default('code').describe('unit of the state values'),
  maxHoldS: z
    .number()
    .positive()
    .optional()
    .describe('a reading holds at most this long, s; absent: until the next reading'),
});

export const VirtualSignal = z.strictObject({
  ...SignalCommon,
  kind: z.literal('virtual').describe('a linear combination of other signals, computed, never read'),
  unit: SignalUnit,
  expression: z
    .string()
    .min(1)
    .describe(
      'linear expression over counter, rate and virtual signals, operators between spaces: "E-MAIN - E-SUB1 - 0.5 * E-X"',
    ),
  inSiteTotal: z
    .boolean()
    .default(false)
    .describe("counts into the site's physical totals (off by default: its parts are usually counted)"),
});

export const SignalSchema = z.discriminatedUnion('kind', [
  CounterSignal,
  ManualSignal,
  RateSignal,
  GaugeSignal,
  StateSignal,
  VirtualSignal,
]);

const Share = z.number().gt(0).lte(1).default(1).describe('fraction of the meter, 0 < share <= 1');
const MeterAssignment = z.strictObject({
  signal: Id.describe('the meter (a signals[].id)'),
  share: Share,
  ...Validity,
});
const EquipmentAssignment = z.strictObject({
  id: Id.describe('the equipment (an equipment[].id)'),
  ...Validity,
});
const AssignmentLists = {
  meters: z
    .array(MeterAssignment)
    .default([])
    .describe('energy meters held, each with its share and validity'),
  products: z
    .array(MeterAssignment)
    .default([])
    .describe('product counters held, each with its share and validity'),
  equipment: z.array(EquipmentAssignment).default([]).describe('equipment held, with validity'),
};

export const AreaSchema = z.strictObject({
  id: Id.describe('responsibility area id'),
  name: Label.optional(),
  branch: Id.describe('the branch the area belongs to (a branches[].id)'),
  ...AssignmentLists,
});

export const TeamSchema = z.strictObject({
  id: Id.describe('assault team id'),
  name: Label.optional(),
  branch: Id.describe('the branch the team belongs to (a branches[].id)'),
  goal: z.string().optional().describe("the team's goal, shown beside its result"),
  from: DateTimeText.describe('when the team starts (inclusive)'),
  to: DateTimeText.optional().describe('when the team ends (exclusive); absent: open-ended'),
  ...AssignmentLists,
});

export const StateCategory = z.enum(['running', 'planned_stop', 'unplanned_stop']);

export const EquipmentSchema = z.strictObject({
  id: Id.describe('equipment id'),
  name: Label.optional(),
  idealRatePerH: z
    .number()
    .positive()
    .optional()
    .describe('ideal production rate, product units per hour (OEE performance)'),
  stateSignal: Id.optional().describe('the state signal giving run and stop times (a signals[].id)'),
  producedSignal: Id.optional().describe('the counter of units produced (a signals[].id)'),
  goodSignal: Id.optional().describe('the counter of good units (a signals[].id)'),
  stateCodes: z
    .record(z.string().regex(/^-?\d+$/), StateCategory)
    .default({})
    .describe('state code -> category, e.g. {"1": running, "0": unplanned_stop, "2": planned_stop}'),
});

export const OrganisationSchema = z.strictObject({
  committee: z
    .strictObject({ id: Id.describe('committee id'), name: Label.optional() })
    .describe('the Party committee (党委): the sum of all branches'),
  generalBranches: z
    .array(z.strictObject({ id: Id.describe('general branch id'), name: Label.optional() }))
    .default([])
    .describe('general branches (党总支), each the sum of its branches'),
  branches: z
    .array(
      z.strictObject({
        id: Id.describe('branch id'),
        name: Label.optional(),
        generalBranch: Id.optional().describe('the general branch it belongs to (a generalBranches[].id)'),
      }),
    )
    .min(1)
    .describe('Party branches (党支部), each the sum of its areas'),
  areas: z.array(AreaSchema).default([]).describe('Party responsibility areas (党员责任区)'),
  teams: z
    .array(TeamSchema)
    .default([])
    .describe('assault teams (党员突击队): overlay areas, never added into a branch'),
});

export const TargetSchema = z.strictObject({
  kpi: z.string().min(1).describe('the KPI row the target applies to, e.g. intensity.energy'),
  scope: z
    .strictObject({
      type: ScopeType.describe('the kind of scope'),
      id: Id.describe('the scope id (the site, a branch, an area, ...)'),
    })
    .describe('whose KPI'),
  period: z
    .string()
    .optional()
    .describe(
      'the period the target applies to: a year 2026, a quarter 2026-Q4, a month 2026-10, a day 2026-10-05',
    ),
  every: z
    .enum(['hour', 'day', 'month', 'quarter', 'year'])
    .optional()
    .describe('or: every period of this kind'),
  max: z.number().optional().describe("at most, in the KPI's unit"),
  min: z.number().optional().describe("at least, in the KPI's unit"),
  plannedOutput: z
    .number()
    .positive()
    .optional()
    .describe(
      "planned output in the period, in the product's unit: weighs an intensity target in its parent's cascade check",
    ),
});

export const PlantConfigSchema = z.strictObject({
  site: SiteSchema.describe('the site: id, name, time zone, grid region'),
  completeness: z
    .strictObject({
      provisionalBelow: z
        .number()
        .min(0)
        .max(1)
        .default(0.95)
        .describe('KPIs resting on a meter with completeness below this fraction are provisional'),
    })
    .prefault({})
    .describe('when a KPI is marked provisional'),
  carriers: z
    .array(CarrierSchema)
    .default([])
    .describe('energy carriers (electricity, steam, gas ...): unit, emission scope, factor series'),
  products: z.array(ProductSchema).default([]).describe('products counted for output and intensities'),
  signals: z
    .array(SignalSchema)
    .default([])
    .describe('meters and other signals, by kind: counter, manual, rate, gauge, state, virtual'),
  equipment: z.array(EquipmentSchema).default([]).describe('equipment with OEE inputs'),
  balances: z
    .array(BalanceSchema)
    .default([])
    .describe(
      'metering balances (计量平衡): a main meter over its submeters or nested balances; KPIs for the unmetered remainder and the loss rate',
    ),
  cems: CemsSchema.optional().describe(
    'CEMS stacks (烟气在线监测): pollutant mass from hourly concentration × flow, exceedance hours at the reference O2',
  ),
  recovery: z
    .array(RecoverySchema)
    .default([])
    .describe(
      'waste-heat recovery (余热回收): recovered heat as a flow of its own, never a product; KPIs heat.recovered, heat.recovery_rate, heat.displaced_fuel, emissions.co2.avoided',
    ),
  useBuiltInFactors: z
    .boolean()
    .default(true)
    .describe('include the built-in factor library (GB/T 2589-2020, MEE grid factors)'),
  factors: z
    .array(FactorSchema)
    .default([])
    .describe(
      'site factors: replace the built-in one with the same carrier, kind, series and region, or add',
    ),
  processEmissions: z
    .array(ProcessEmissionSchema)
    .default([])
    .describe(
      "process CO2 (工业生产过程排放): a signal's amount × a declared factor, reported as emissions.co2.process and counted in scope 1",
    ),
  organisation: OrganisationSchema.describe('committee, general branches, branches, areas and teams'),
  targets: z.array(TargetSchema).default([]).describe('KPI targets per scope and period: met/missed rows'),
  ranking: z
    .array(RankingGroupSchema)
    .default([])
    .describe('ranking groups (评比): scopes compared by margin to target, or by a KPI within one product'),
  points: z
    .array(PointRuleSchema)
    .default([])
    .describe(
      'point rules (积分) for target rows; a target row earns points under the first rule that applies',
    ),
  tasks: z
    .array(TaskSchema)
    .default([])
    .describe('key tasks and pledges (挂图作战, 承诺践诺), closed (销号) by a KPI rule or by a person'),
  taskFiles: z
    .array(
      z
        .string()
        .regex(/\.(csv|xlsx)$/i, 'a task file is a .csv or an .xlsx file')
        .describe('path of a task file, relative to this config file'),
    )
    .default([])
    .describe(
      'files of more tasks, one per row (CSV in UTF-8, or xlsx: the sheet 任务 or Tasks, else the first), a column per task field (owner.id: owner_id; a zh-CN label may stand before the key: 责任方 owner_id); added after tasks and checked the same way',
    ),
  baselines: z
    .array(BaselineSchema)
    .default([])
    .describe(
      'energy baselines (ISO 50006) per scope: a ratio EnPI or a regression on drivers, with savings against it',
    ),
  sources: SourcesSchema.describe('where the collector reads readings from: one list per source kind'),
  influx: InfluxSchema.optional().describe(
    'the InfluxDB the collector writes readings to, the KPI jobs write results to and the InfluxDB store reads from',
  ),
  spool: SpoolSchema.prefault({}).describe("the collector's durable spool in front of InfluxDB"),
  collector: CollectorSchema.prefault({}).describe(
    'the collector process: HTTP endpoints, dead letters, reading window, self-report',
  ),
  jobs: JobsSchema.describe('scheduled KPI jobs on BullMQ (Redis) and the monthly export'),
  records: RecordsSchema.optional().describe(
    'the records database (month locks, audit log, computed periods and requests, export manifests): PostgreSQL at records.url, else the embedded store in records.dir or DATA/records',
  ),
});

export type PlantConfig = z.infer<typeof PlantConfigSchema>;
export type PlantConfigInput = z.input<typeof PlantConfigSchema>;
export type SignalConfig = z.infer<typeof SignalSchema>;
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
