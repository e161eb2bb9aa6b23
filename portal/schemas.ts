/**
 * The JSON API's shapes, one zod schema each: requests are parsed with them, responses checked against them before
 * they leave (app.ts sets them as Fastify's validator and serializer), and the OpenAPI document is generated from
 * them (openapi.ts). The scorecard rows mirror kpi/scorecard (build.ts, points.ts, tasks.ts, track.ts) field for
 * field, so `GET /api/branches/:id/scorecard` is `plantkpi scorecard --branch ID --format json` plus its extras.
 */
import { z } from 'zod';
import { ScopeType } from '../config/primitives.ts';

export const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '期间应为月份 the period must be a month, e.g. 2026-10')
  .describe('a month, YYYY-MM');
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u, '编号无效 not a valid id');

export const PeriodQuery = z.object({ period: Month }).strict();
export const IdParams = z.object({ id: Id }).strict();

export const ErrorBody = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string().describe('zh-CN with English: what went wrong and what to do'),
  })
  .describe('an error');

export const PublicUser = z.object({
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['energy_manager', 'branch_secretary', 'viewer']),
  branch: z.string().nullable(),
});
export const LoginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});
export const SessionBody = z.object({ user: PublicUser, csrfToken: z.string() });
export const OkBody = z.object({ ok: z.literal(true) });

const num = z.number();
const numOrNull = z.number().nullable();

export const TrackedTargetRow = z.object({
  kpi: z.string(),
  scope_type: ScopeType,
  scope_id: z.string(),
  period: z.string(),
  target_period: z.string(),
  target_max: num.optional(),
  target_min: num.optional(),
  unit: z.string().nullable(),
  actual: numOrNull,
  ytd_actual: numOrNull.describe('year to date 累计'),
  to_date_actual: numOrNull,
  elapsed_pct: num,
  progress_pct: numOrNull,
  status: z.enum(['met', 'missed', 'on_track', 'off_track', 'no_data']),
  margin_pct: numOrNull,
  prev_year: numOrNull.describe('the same period a year earlier 同比'),
  yoy_pct: numOrNull,
  prev_period: numOrNull.describe('the period before 环比'),
  mom_pct: numOrNull,
  provisional: z.boolean(),
});
export const RankingRow = z.object({
  group: z.string(),
  scope_type: ScopeType,
  scope_id: z.string(),
  period: z.string(),
  kpi: z.string(),
  margin_pct: numOrNull,
  value: numOrNull.optional(),
  rank: z.number().int().nullable().describe('null: 不参评 unranked'),
});
export const PointsRow = z.object({
  scope_type: ScopeType,
  scope_id: z.string(),
  period: z.string(),
  points: num,
});
export const TaskRow = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['task', 'pledge']),
  due: z.string(),
  owner_type: ScopeType,
  owner_id: z.string(),
  status: z.enum(['open', 'closed', 'overdue']),
  closed_period: z.string().nullable(),
  on_time: z.boolean().nullable(),
  evidence: z.string().nullable(),
});
export const LedgerRow = z.object({
  scope_type: ScopeType,
  scope_id: z.string(),
  period: z.string(),
  points: num,
  source: z.enum(['target', 'task', 'manual']),
  ref: z.string(),
  reason: z.string(),
  by: z.string().optional(),
  at: z.string().optional(),
});

export const ScorecardBody = z.object({
  period: z.string(),
  targets: z.array(TrackedTargetRow),
  ranking: z.array(RankingRow),
  points: z.array(PointsRow),
  tasks: z.array(TaskRow),
  ledger: z.array(LedgerRow),
});

/** A scope as the pages name it: kind, code and name. */
export const ScopeRef = z.object({ type: ScopeType, id: z.string(), name: z.string().nullable() });

export const BranchScorecardBody = ScorecardBody.extend({
  branch: ScopeRef,
  areas: z.array(ScopeRef),
  teams: z.array(ScopeRef),
  /** which manual tasks and pledges the caller may close or confirm */
  actions: z.array(z.object({ task: z.string(), may: z.enum(['close', 'confirm']) })),
});

export const Counts = z.object({
  open: z.number().int(),
  overdue: z.number().int(),
  closed: z.number().int(),
});
export const BranchListRow = z.object({
  branch: ScopeRef,
  /** whether the caller may open the branch's own pages (its scorecard, areas, teams, export) */
  canOpen: z.boolean(),
  points: num,
  /** rank by points among all branches (ties share a rank, the next skips: 1, 2, 2, 4) */
  points_rank: z.number().int().nullable(),
  /** the branch's rows in the ranking groups that rank branches (none when no group does) */
  ranking: z.array(RankingRow),
  /** targets of the branch, its areas and teams: met (or on track) and all; null when the caller may not open it */
  targets: z.object({ met: z.number().int(), total: z.number().int() }).nullable(),
  /** its key tasks and pledges by status; null when the caller may not open it */
  tasks: Counts.nullable(),
});
export const BranchListBody = z.object({ period: z.string(), branches: z.array(BranchListRow) });
export const PeriodsBody = z.object({ periods: z.array(Month).describe('newest first') });

export const KpiRow = z.object({
  kpi: z.string(),
  label: z.string(),
  value: num,
  unit: z.string(),
  provisional: z.boolean(),
});
export const TargetRow = z.object({
  kpi: z.string(),
  period: z.string(),
  target_max: num.optional(),
  target_min: num.optional(),
  actual: numOrNull,
  status: z.enum(['met', 'missed', 'no_data']),
  margin_pct: numOrNull,
  provisional: z.boolean(),
});
export const TrendPoint = z.object({ day: z.string(), value: numOrNull, provisional: z.boolean() });
export const Trend = z.object({
  kpi: z.string(),
  label: z.string(),
  unit: z.string().nullable(),
  points: z.array(TrendPoint).describe('one a day, the month in order; null: not computed that day'),
});
export const MeterQuality = z.object({
  signal: z.string(),
  name: z.string().nullable(),
  completeness: num.describe('0..1'),
  present: z.number().int(),
  expected: z.number().int(),
  notes: z.array(z.string()),
});
export const ScopeBody = z.object({
  period: z.string(),
  scope: ScopeRef,
  branch: ScopeRef.nullable(),
  kpis: z.array(KpiRow),
  targets: z.array(TargetRow),
  tracked: z.array(TrackedTargetRow).describe('its targets tracked: year to date, 同比, 环比'),
  trends: z.array(Trend),
  meters: z.array(MeterQuality),
  tasks: z.array(TaskRow),
});

export const CloseBody = z.object({
  period: Month,
  evidence: z.string().trim().min(1, '缺少依据 evidence is required').max(2000),
  _csrf: z.string().optional(),
});
export const ClosedBody = z.object({
  task: TaskRow.describe('its status in the period after the closure'),
  attachment: z.object({ name: z.string(), sha256: z.string(), bytes: z.number().int() }).nullable(),
});
export const AwardBody = z.object({
  period: Month,
  scope_type: z.enum(['area', 'team', 'branch', 'general_branch']),
  scope_id: Id,
  points: z.number().finite().min(-1000).max(1000),
  reason: z.string().trim().min(1, '缺少原因 a reason is required').max(2000),
  _csrf: z.string().optional(),
});
export const AwardedBody = z.object({
  id: z.string(),
  period: z.string(),
  scope_type: z.string(),
  scope_id: z.string(),
  points: num,
  by: z.string(),
  reason: z.string(),
  atMs: z.number(),
});
