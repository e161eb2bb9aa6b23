/** Organisation checks over time: shares never above 100 %, teams inside their branch's areas. */
import type { Problem } from './problems.ts';
import type { PlantConfig } from './schema.ts';
import { formatLocal, parseConfigTime } from './time.ts';

interface Held {
  owner: string;
  path: string;
  branch: string;
  share: number;
  fromMs: number;
  toMs: number;
}

const EPS = 1e-9;

function heldBy(c: PlantConfig, field: 'meters' | 'products'): Map<string, Held[]> {
  const tz = c.site.timeZone;
  const out = new Map<string, Held[]>();
  c.organisation.areas.forEach((a, i) => {
    a[field].forEach((m, j) => {
      const h: Held = {
        owner: a.id,
        path: `organisation.areas[${i}].${field}[${j}]`,
        branch: a.branch,
        share: m.share,
        fromMs: m.from ? parseConfigTime(m.from, tz) : Number.NEGATIVE_INFINITY,
        toMs: m.to ? parseConfigTime(m.to, tz) : Number.POSITIVE_INFINITY,
      };
      out.set(m.signal, [...(out.get(m.signal) ?? []), h]);
    });
  });
  return out;
}

function cuts(items: readonly { fromMs: number; toMs: number }[]): number[] {
  const set = new Set<number>();
  for (const h of items) {
    set.add(h.fromMs);
    set.add(h.toMs);
  }
  return [...set].sort((a, b) => a - b);
}

const show = (ms: number, tz: string) =>
  Number.isFinite(ms) ? formatLocal(ms, tz) : ms < 0 ? 'the beginning' : 'open end';

/** A meter (or product counter) shared by areas must never be allocated more than 100 % at any time. */
export function checkShares(c: PlantConfig): Problem[] {
  const problems: Problem[] = [];
  const tz = c.site.timeZone;
  for (const field of ['meters', 'products'] as const) {
    for (const [signal, held] of heldBy(c, field)) {
      const points = cuts(held);
      for (let k = 0; k + 1 < points.length; k++) {
        const a = points[k]!;
        const b = points[k + 1]!;
        const active = held.filter((h) => h.fromMs <= a && h.toMs >= b);
        const sum = active.reduce((s, h) => s + h.share, 0);
        if (sum > 1 + EPS) {
          problems.push({
            path: active[active.length - 1]!.path,
            message:
              `'${signal}' is allocated ${round(sum * 100)} % from ${show(a, tz)} to ${show(b, tz)} ` +
              `(${active.map((h) => `${h.owner} ${round(h.share * 100)} %`).join(', ')}); shares may add up to 100 % at most`,
          });
          break; // one problem per signal is enough to act on
        }
      }
    }
  }
  return problems;
}

/** Every meter, product and piece of equipment of a team must be held by its own branch's areas. */
export function checkTeamsInBranch(c: PlantConfig): Problem[] {
  const problems: Problem[] = [];
  const tz = c.site.timeZone;
  const held = { meters: heldBy(c, 'meters'), products: heldBy(c, 'products') };
  c.organisation.teams.forEach((t, i) => {
    const teamFrom = parseConfigTime(t.from, tz);
    const teamTo = t.to ? parseConfigTime(t.to, tz) : Number.POSITIVE_INFINITY;
    for (const field of ['meters', 'products'] as const) {
      t[field].forEach((m, j) => {
        const from = Math.max(teamFrom, m.from ? parseConfigTime(m.from, tz) : teamFrom);
        const to = Math.min(teamTo, m.to ? parseConfigTime(m.to, tz) : teamTo);
        const own = (held[field].get(m.signal) ?? []).filter((h) => h.branch === t.branch);
        const points = cuts([...own, { fromMs: from, toMs: to }]).filter((p) => p >= from && p <= to);
        for (let k = 0; k + 1 < points.length; k++) {
          const a = points[k]!;
          const b = points[k + 1]!;
          const sum = own.filter((h) => h.fromMs <= a && h.toMs >= b).reduce((s, h) => s + h.share, 0);
          if (sum + EPS < m.share) {
            problems.push({
              path: `organisation.teams[${i}].${field}[${j}]`,
              message:
                `team '${t.id}' takes ${round(m.share * 100)} % of '${m.signal}' from ${show(a, tz)} to ${show(b, tz)}, ` +
                `but branch '${t.branch}' areas hold only ${round(sum * 100)} % of it then: a team stays inside its branch`,
            });
            break;
          }
        }
      });
    }
    t.equipment.forEach((e, j) => {
      const inBranch = c.organisation.areas.some(
        (a) => a.branch === t.branch && a.equipment.some((x) => x.id === e.id),
      );
      if (!inBranch) {
        problems.push({
          path: `organisation.teams[${i}].equipment[${j}].id`,
          message: `equipment '${e.id}' belongs to no area of branch '${t.branch}': a team stays inside its branch`,
        });
      }
    });
  });
  return problems;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
