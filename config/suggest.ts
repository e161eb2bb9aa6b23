/**
 * "Did you mean …": the known keys or ids closest to a misspelt one, by edit distance (Damerau-Levenshtein in its
 * optimal-string-alignment form: an insertion, a deletion, a substitution or a swap of two neighbours costs 1),
 * case-insensitive. Used for unknown keys (config/schema-issues.ts) and unknown ids (validate*.ts).
 */

/** Edits between `a` and `b`: insertions, deletions, substitutions and swaps of adjacent characters. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  // three rows: the one before last (for swaps), the last, the current
  let before: number[] = [];
  let last = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(last[j]! + 1, row[j - 1]! + 1, last[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
    }
    before = last;
    last = row;
  }
  return last[t.length]!;
}

/** How many edits still count as a typo of a word this long: 1 up to 5 characters, then one more per 3. */
function tolerance(length: number): number {
  return Math.max(1, Math.ceil(length / 3));
}

/**
 * The candidates closest to `word` (at most `max`, in the order given), or none when even the closest is
 * further than a typo: case is ignored, so `statesignal` finds `stateSignal`.
 */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  let best = Number.POSITIVE_INFINITY;
  let found: string[] = [];
  for (const c of new Set(candidates)) {
    if (c === word) continue;
    const d = editDistance(w, c.toLowerCase());
    const longer = Math.max(w.length, c.length);
    if (d > tolerance(longer) || d >= longer) continue; // 'x' is no typo of 'y'
    if (d < best) {
      best = d;
      found = [c];
    } else if (d === best) found.push(c);
  }
  return found.slice(0, max);
}

const quoted = (xs: readonly string[]): string => xs.map((x) => `'${x}'`).join(' / ');

/** ` — 是否应为 did you mean 'x'?` for the closest candidates; '' when none is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const found = closest(word, candidates);
  return found.length === 0 ? '' : ` — 是否应为 did you mean ${quoted(found)}?`;
}

/**
 * An id that names nothing declared, e.g. `未知信号 unknown signal 'E-EL' — 是否应为 did you mean 'E-ELY'?`;
 * without a close id, the declared ones are listed when there are few (none declared: said so).
 */
export function unknownId(what: { zh: string; en: string }, id: string, declared: Iterable<string>): string {
  const ids = [...new Set(declared)];
  const head = `未知${what.zh} unknown ${what.en} '${id}'`;
  const hint = didYouMean(id, ids);
  if (hint !== '') return `${head}${hint}`;
  if (ids.length === 0) return `${head} (未声明任何${what.zh} no ${what.en} is declared)`;
  if (ids.length <= 8) return `${head} (已声明 declared: ${ids.join(', ')})`;
  return head;
}

/** The kinds of ids a config refers to, zh-CN and English. */
export const ID_KIND = {
  signal: { zh: '信号', en: 'signal' },
  carrier: { zh: '能源介质', en: 'carrier' },
  product: { zh: '产品', en: 'product' },
  equipment: { zh: '设备', en: 'equipment' },
  site: { zh: '厂区', en: 'site' },
  committee: { zh: '党委', en: 'committee' },
  general_branch: { zh: '党总支', en: 'general branch' },
  branch: { zh: '党支部', en: 'branch' },
  area: { zh: '责任区', en: 'area' },
  team: { zh: '突击队', en: 'team' },
  balance: { zh: '计量平衡', en: 'balance' },
} as const;
export type IdKind = keyof typeof ID_KIND;
