/**
 * What each page is rendered from: the signed-in context and one data type per page, built from the domain types
 * (the scorecard, KPI and target rows, the plant's names). data.ts builds them from a plant and its results; the
 * render functions only read them.
 */
import type { KpiRow, LabelNames, ScopeKind, TargetRow } from '../../kpi/rows.ts';
import type { Scorecard } from '../../kpi/scorecard/build.ts';
import type { TrackedTarget } from '../../kpi/scorecard/track.ts';

export type Role = 'energy_manager' | 'branch_secretary' | 'viewer';

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  energy_manager: '能源管理员 Energy manager',
  branch_secretary: '支部书记 Branch secretary',
  viewer: '只读 Viewer',
};

export interface PageUser {
  username: string;
  displayName: string;
  role: Role;
  /** the branch a secretary (or a branch's viewer) belongs to; null for the energy manager and site viewers */
  branch: string | null;
}

/** A one-line message after an action (已销号 closed), shown once above the page. */
export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export interface PageContext {
  user: PageUser;
  /** the session's CSRF token: a hidden `_csrf` in every form that changes state */
  csrfToken: string;
  /** the period shown, YYYY-MM */
  period: string;
  /** the periods the picker offers, newest first */
  periods: readonly string[];
  /** the prefix of every link, form action and asset ('' or '/portal'); none by default */
  basePath?: string;
  flash?: Flash;
}

/** A scope as the pages name it. */
export interface ScopeRef {
  type: ScopeKind;
  id: string;
  /** the configured name, or the id */
  name: string;
}

/** The plant's names: scopes keyed `type|id` (kpi/present.ts scopeNames), carriers/products for KPI labels, groups. */
export interface PageNames {
  scopes: ReadonlyMap<string, string>;
  labels: LabelNames;
  /** ranking groups' names by id (责任区评比 Area ranking); a group without one shows its id */
  groups: ReadonlyMap<string, string>;
}

export interface LoginPage {
  /** where to go after signing in (a path of this site) */
  next: string;
  /** shown above the form: 用户名或密码错误 wrong username or password, too many attempts */
  error?: string;
  /** kept in the form after a failed attempt */
  username?: string;
  /** a pre-session CSRF token when the server uses one for the login form; no `_csrf` field without it */
  csrfToken?: string;
  basePath?: string;
}

export interface BranchPage {
  branch: ScopeRef;
  areas: readonly ScopeRef[];
  teams: readonly ScopeRef[];
  /** the branch's share of the period's scorecard (kpi/scorecard/slice.ts): ranks stay those of the whole group */
  scorecard: Scorecard;
  /** the period's KPI rows of the branch, its areas and its teams */
  kpis: readonly KpiRow[];
  /** ids of the tasks and pledges a person closes (no KPI close rule); only these get a form */
  manualTasks: readonly string[];
  names: PageNames;
}

/** One meter of an area and how complete its data is in the period. */
export interface MeterCompleteness {
  signal: string;
  name: string;
  /** the area's share of the meter */
  share: number;
  /** present / expected samples, 0..1; null when the period has no quality record for it */
  completeness: number | null;
  /** below the plant's completeness threshold: the KPIs resting on it are provisional */
  provisional: boolean;
}

export interface AreaPage {
  area: ScopeRef;
  branch: ScopeRef | null;
  /** the area's KPI rows of the period */
  kpis: readonly KpiRow[];
  /** the area's target rows of the period */
  targets: readonly TargetRow[];
  /** the area's tracked targets (year to date, 同比, 环比), from the scorecard */
  tracked: readonly TrackedTarget[];
  /** the area's KPI rows per day of the period (period labels YYYY-MM-DD) */
  daily: readonly KpiRow[];
  meters: readonly MeterCompleteness[];
  /** the completeness below which a meter makes KPIs provisional, 0..1 */
  provisionalBelow: number;
  names: PageNames;
}

export interface BranchSummary {
  branch: ScopeRef;
  /** the branch's rank in each ranking group that ranks branches */
  ranks: readonly { group: string; groupName: string; kpi: string; rank: number | null }[];
  points: number;
  /** tracked targets of the branch, its areas and teams: met or on track / all */
  targets: { met: number; total: number };
  tasks: { open: number; overdue: number; closed: number };
}

export interface BranchesPage {
  branches: readonly BranchSummary[];
  /** what the award form offers (the energy manager's): every branch, area and team */
  awardScopes: readonly ScopeRef[];
}

export interface ErrorPage {
  status: 400 | 403 | 404 | 500;
  /** a sentence more; the status's own words are always shown */
  message?: string;
}
