/**
 * "Did you mean …" for the command line: the option or command nearest to a mistyped one, by the config's edit
 * distance (config/suggest.ts), or the one a short word is a prefix of. Pure.
 */
import { editDistance } from '../config/suggest.ts';

/**
 * The candidate a mistyped word most likely meant, or undefined when none is near: within a third of the word's
 * length (at least 1, at most 3 edits), or a candidate the word is a prefix of (`--conf` -> `--config`). Ties go to
 * the candidate listed first.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = w.length >= 2 && lc.startsWith(w) ? 1 : editDistance(w, lc);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
