/**
 * Failed sign-ins per key (username and IP): after `maxFailures` failures within `windowMs` the key is refused until
 * the window of its first failure ends (429 with Retry-After). A success clears the key. Kept per app in memory, on
 * the clock it is given; at most `maxKeys` keys (the oldest window is dropped first), so a flood of names cannot
 * grow it without bound.
 */
export interface LimiterOptions {
  /** failures allowed within the window; the next attempt is refused (5) */
  maxFailures?: number;
  /** the window, ms (15 minutes) */
  windowMs?: number;
  /** keys kept at most (10 000) */
  maxKeys?: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; firstMs: number }>();
  private readonly max: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(
    private readonly now: () => number,
    o: LimiterOptions = {},
  ) {
    this.max = o.maxFailures ?? 5;
    this.windowMs = o.windowMs ?? 15 * 60_000;
    this.maxKeys = o.maxKeys ?? 10_000;
  }

  /** Seconds until the key may try again; null when it may try now. */
  retryAfterS(key: string): number | null {
    const f = this.current(key);
    if (!f || f.count < this.max) return null;
    return Math.max(1, Math.ceil((f.firstMs + this.windowMs - this.now()) / 1000));
  }

  fail(key: string): void {
    const f = this.current(key);
    if (f) {
      f.count++;
      return;
    }
    if (this.failures.size >= this.maxKeys) this.prune();
    this.failures.set(key, { count: 1, firstMs: this.now() });
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string) {
    const f = this.failures.get(key);
    if (f && this.now() - f.firstMs >= this.windowMs) {
      this.failures.delete(key);
      return undefined;
    }
    return f;
  }

  private prune(): void {
    const now = this.now();
    for (const [k, f] of this.failures) if (now - f.firstMs >= this.windowMs) this.failures.delete(k);
    // still full: drop the oldest (a Map keeps insertion order)
    while (this.failures.size >= this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }
}
