/**
 * The responsibility loop in the plant config: ranking groups (评比), point rules (积分) and key tasks and pledges
 * (挂图作战, 承诺践诺). Compiled by kpi/scorecard/compile.ts; checked against the organisation by validate.ts.
 */
import { z } from 'zod';
import { DateTimeText, Id, Label, ScopeType } from './primitives.ts';

const RankedKind = z.enum(['area', 'team', 'branch', 'general_branch']);

export const RankingGroupSchema = z.strictObject({
  id: Id.describe('ranking group id'),
  name: Label.optional(),
  scopes: z
    .strictObject({
      type: RankedKind.describe('the kind of scope compared'),
      ids: z.array(Id).optional().describe('only these scopes of that kind; absent: all of them'),
    })
    .describe('who is compared'),
  kpi: z.string().min(1).describe('the KPI compared, e.g. intensity.energy'),
  by: z
    .enum(['margin_pct', 'value'])
    .default('margin_pct')
    .describe(
      "margin_pct: the margin to each scope's target in % (comparable across products); value: the KPI itself (only inside a group of one product)",
    ),
  better: z
    .enum(['higher', 'lower'])
    .default('lower')
    .describe('for by: value, which way is better (lower for energy and intensities)'),
});

export const PointRuleSchema = z.strictObject({
  id: Id.describe('point rule id, named in every ledger entry it makes'),
  scopes: z.array(ScopeType).min(1).describe('the scope kinds whose target rows earn points under this rule'),
  kpis: z.array(z.string().min(1)).optional().describe('only targets of these KPIs; absent: every KPI'),
  met: z
    .strictObject({
      base: z.number().default(10).describe('points for a met target'),
      perPercent: z.number().min(0).default(1).describe('bonus per whole percent of margin'),
      maxBonus: z.number().min(0).default(5).describe('the bonus is at most this'),
    })
    .prefault({})
    .describe('a met target: base plus a bonus per whole percent of margin, capped'),
  missed: z
    .strictObject({
      perPercent: z.number().min(0).default(2).describe('penalty per whole percent short'),
      maxPenalty: z.number().min(0).default(10).describe('the penalty is at most this'),
    })
    .prefault({})
    .describe('a missed target: a penalty per whole percent short, capped (a miss under 1 % costs 0)'),
  provisionalFactor: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('a provisional target row earns this share of its points'),
});

export const TaskRuleSchema = z.strictObject({
  kpi: z.string().min(1).describe("the owner's KPI that proves the task"),
  every: z.enum(['day', 'month']).default('month').describe('the period kind the KPI is judged over'),
  max: z.number().optional().describe("at most, in the KPI's unit"),
  min: z.number().optional().describe("at least, in the KPI's unit"),
  consecutive: z.number().int().min(1).default(1).describe('how many periods in a row must meet it'),
});

export const TaskSchema = z.strictObject({
  id: Id.describe('task id, e.g. K-1'),
  title: Label.describe('what is to be achieved, zh-CN first'),
  kind: z.enum(['task', 'pledge']).default('task').describe('a key task (挂图作战) or a pledge (承诺践诺)'),
  owner: z
    .strictObject({
      type: ScopeType.describe('the kind of scope that owns it'),
      id: Id.describe('the owning scope'),
    })
    .describe('who owns it and earns its points'),
  from: DateTimeText.optional().describe(
    'periods before this do not count; absent: the start of the year it is due in',
  ),
  due: DateTimeText.describe('due date (a date: to the end of that day, site time)'),
  points: z.number().default(0).describe('points to the owner when it is closed on time'),
  close: TaskRuleSchema.optional().describe(
    'closed by this KPI rule; absent: closed by a person (plantkpi task close)',
  ),
});

export type RankingGroupConfig = z.infer<typeof RankingGroupSchema>;
export type PointRuleConfig = z.infer<typeof PointRuleSchema>;
export type TaskConfig = z.infer<typeof TaskSchema>;
