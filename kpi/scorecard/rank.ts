/**
 * 评比: scopes of a ranking group ordered best first. Ties share a rank and the next rank skips (1, 2, 2, 4: standard
 * competition ranking), so ranks are a permutation of positions with shared ties. A scope without a value in the
 * period is listed unranked (rank null) after the ranked ones, never dropped. Pure.
 */
import type { ScopeKind } from '../rows.ts';

export interface RankInput {
  scope_type: ScopeKind;
  scope_id: string;
  /** the figure ranked on (margin_pct, or a KPI value); null: nothing to rank on in the period */
  value: number | null;
}

export interface Ranked extends RankInput {
  rank: number | null;
}

/**
 * Values equal to 9 significant digits are a tie: the last bits of a float sum depend on the order it was added in,
 * and two areas with the same result must not be ranked apart by them.
 */
function key(x: number): number {
  return Number(x.toPrecision(9));
}

export function rank(rows: readonly RankInput[], better: 'higher' | 'lower'): Ranked[] {
  const sign = better === 'higher' ? -1 : 1;
  const withValue = rows.filter(
    (r): r is RankInput & { value: number } => r.value !== null && Number.isFinite(r.value),
  );
  const without = rows.filter((r) => r.value === null || !Number.isFinite(r.value));
  const byId = (a: RankInput, b: RankInput) =>
    a.scope_type < b.scope_type
      ? -1
      : a.scope_type > b.scope_type
        ? 1
        : a.scope_id < b.scope_id
          ? -1
          : a.scope_id > b.scope_id
            ? 1
            : 0;
  const sorted = [...withValue].sort((a, b) => sign * (key(a.value) - key(b.value)) || byId(a, b));
  const out: Ranked[] = [];
  sorted.forEach((r, i) => {
    const prev = out[i - 1];
    const tied = prev !== undefined && prev.value !== null && key(prev.value) === key(r.value);
    out.push({ ...r, rank: tied ? prev.rank : i + 1 });
  });
  for (const r of [...without].sort(byId)) out.push({ ...r, value: null, rank: null });
  return out;
}
