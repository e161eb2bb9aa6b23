/**
 * Flash messages: one short message after a form (已销号 closed, or why it was refused), kept on the server for the
 * session that posted the form and taken by the next page that session renders, so it shows once. Nothing of it
 * travels in a cookie or a URL, so nobody can make a page show a message of their choosing. Kept in memory per app
 * (a restart forgets a message not yet shown), at most `maxKept` sessions' worth, each for `keptMs`.
 */
import type { Flash } from '../pages/types.ts';

export class Flashes {
  private readonly kept = new Map<string, { flash: Flash; atMs: number }>();

  constructor(
    private readonly now: () => number,
    /** how long a message waits for its page, ms */
    private readonly keptMs = 5 * 60_000,
    private readonly maxKept = 1000,
  ) {}

  /** Keeps the message for the session (by its id hash), replacing one not shown yet. */
  put(sessionHash: string, flash: Flash): void {
    this.kept.delete(sessionHash);
    this.kept.set(sessionHash, { flash, atMs: this.now() });
    // oldest first (a Map keeps insertion order)
    while (this.kept.size > this.maxKept) this.kept.delete(this.kept.keys().next().value!);
  }

  /** The session's message, once. */
  take(sessionHash: string): Flash | undefined {
    const f = this.kept.get(sessionHash);
    this.kept.delete(sessionHash);
    return f && this.now() - f.atMs <= this.keptMs ? f.flash : undefined;
  }
}
