/** Pure planning of KPI jobs: which period a tick means, ranges of periods, config hashes and per-period fingerprints. */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { canonicalJson } from '../../config/canonical-json.ts';
import type { PlantConfig } from '../../config/schema.ts';
import { type Period, parsePeriod } from '../../transforms/periods.ts';
import type { Plant, Scope } from '../plant.ts';
import { targetApplies } from '../targets.ts';

export type JobKind = 'hour' | 'day' | 'month';
export const JOB_KINDS: readonly JobKind[] = ['hour', 'day', 'month'];

const LABEL = { hour: "yyyy-MM-dd'T'HH", day: 'yyyy-MM-dd', month: 'yyyy-MM' } as const;

/** The last full period of this kind that ended at or before `atMs` (a tick at 00:30 on Nov 1 means October). */
export function previousPeriod(kind: JobKind, atMs: number, timeZone: string): Period {
  const start = DateTime.fromMillis(atMs, { zone: timeZone })
    .startOf(kind)
    .minus({ [`${kind}s`]: 1 });
  return parsePeriod(start.toFormat(LABEL[kind]), timeZone);
}

/**
 * The periods of this kind a backfill from `from` (inclusive) to `to` (exclusive) computes: every period the range
 * touches, taken whole (a range from Oct 25 computes October), that has ended by `nowMs` (a period still running is
 * the scheduler's, once it ends). `from` and `to` are dates or date-times in the site's zone; `to` may be `now`.
 */
export function periodsBetween(
  kind: JobKind,
  from: string,
  to: string,
  timeZone: string,
  nowMs = Number.POSITIVE_INFINITY,
): Period[] {
  if (to === 'now' && !Number.isFinite(nowMs))
    throw new Error("periodsBetween: '--to now' needs the current time");
  const range = parsePeriod(`${from}..${to === 'now' ? new Date(nowMs).toISOString() : to}`, timeZone);
  const out: Period[] = [];
  let t = DateTime.fromMillis(range.startMs, { zone: timeZone }).startOf(kind);
  while (t.toMillis() < range.endMs) {
    const p = parsePeriod(t.toFormat(LABEL[kind]), timeZone);
    if (p.endMs <= nowMs) out.push(p);
    t = t.plus({ [`${kind}s`]: 1 });
  }
  return out;
}

/**
 * The periods of this kind a scheduler's ticks would have computed after `latest` (a label; exclusive) up to the
 * last one ended by `nowMs`, the most recent `max` of them; `skipped` counts the older ones left out.
 */
export function missedPeriods(
  kind: JobKind,
  latest: string,
  nowMs: number,
  timeZone: string,
  max: number,
): { periods: Period[]; skipped: number } {
  const first = DateTime.fromMillis(parsePeriod(latest, timeZone).endMs, { zone: timeZone }).startOf(kind);
  // from the last ended period backwards, so that a long gap costs `max` steps, not its length
  let cur = DateTime.fromMillis(previousPeriod(kind, nowMs, timeZone).startMs, { zone: timeZone });
  const periods: Period[] = [];
  while (cur >= first && periods.length < max) {
    periods.unshift(parsePeriod(cur.toFormat(LABEL[kind]), timeZone));
    cur = cur.minus({ [`${kind}s`]: 1 });
  }
  const skipped = cur >= first ? Math.round(cur.diff(first, `${kind}s`).as(`${kind}s`)) + 1 : 0;
  return { periods, skipped };
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The whole config's version (the collector and jobs sections included). */
export function configHash(config: PlantConfig): string {
  return sha(canonicalJson(config)).slice(0, 16);
}

const overlaps = (a: { fromMs: number; toMs: number }, p: Period) => a.fromMs < p.endMs && a.toMs > p.startMs;

/**
 * What a period's KPIs depend on in the config: signals, carriers, products, equipment and completeness, and only
 * the factors, assignments and targets that apply inside the period. A change elsewhere leaves it unchanged, so a
 * new factor for 2027 marks no 2026 period for recompute. `plant` is `config` compiled; the config's own sections
 * are hashed as written, so fingerprints stored by earlier versions stay valid.
 */
export function periodFingerprint(plant: Plant, period: Period, config: PlantConfig): string {
  const c = config;
  // validity clipped to the period: only what happens inside it counts
  const from = (a: { fromMs: number }) => Math.max(a.fromMs, period.startMs);
  const to = (a: { toMs: number }) => Math.min(a.toMs, period.endMs);
  const scope = (s: Scope) => ({
    id: s.id,
    parent: s.parent,
    meters: s.meters.filter((a) => overlaps(a, period)).map((a) => [a.signal, a.share, from(a), to(a)]),
    products: s.products.filter((a) => overlaps(a, period)).map((a) => [a.signal, a.share, from(a), to(a)]),
    equipment: s.equipment.filter((a) => overlaps(a, period)).map((a) => [a.id, from(a), to(a)]),
  });
  const factors = plant.library.factors
    .filter((f) => overlaps(f, period))
    .map((f) => [f.carrier, f.kind, f.series, f.region, f.value, f.unit, from(f), to(f)])
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  const targets = c.targets.filter((t) => targetApplies(t, period));
  return sha(
    canonicalJson({
      timeZone: c.site.timeZone,
      gridRegion: c.site.gridRegion,
      completeness: c.completeness,
      carriers: c.carriers,
      products: c.products,
      signals: c.signals,
      equipment: c.equipment,
      factors,
      committee: c.organisation.committee.id,
      branches: plant.branches.map((b) => [b.id, b.parent]),
      generalBranches: plant.generalBranches.map((g) => g.id),
      areas: plant.areas.map(scope),
      teams: plant.teams.map(scope),
      targets,
    }),
  ).slice(0, 16);
}

/** A deterministic job id: the same kind, period and config version is the same job (a duplicate is a no-op). */
export function jobId(kind: JobKind, label: string, hash: string): string {
  return `kpi_${kind}_${label.replace(/[^\w.+-]/g, '_')}_${hash}`;
}
