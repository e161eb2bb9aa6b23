/** Retry delays as a small strategy object: exponential with full jitter, capped, honouring Retry-After. */
export interface BackoffOptions {
  /** first delay */
  minDelayMs?: number;
  /** longest delay */
  maxDelayMs?: number;
  /** growth per failure */
  factor?: number;
  /** 0..1: share of each delay that is random */
  jitter?: number;
  /** source of randomness, for tests */
  random?: () => number;
}

export class Backoff {
  private failures = 0;
  private readonly o: Required<BackoffOptions>;
  constructor(o: BackoffOptions = {}) {
    this.o = {
      minDelayMs: o.minDelayMs ?? 500,
      maxDelayMs: o.maxDelayMs ?? 60_000,
      factor: o.factor ?? 2,
      jitter: o.jitter ?? 0.2,
      random: o.random ?? Math.random,
    };
  }

  /** The delay before the next attempt after one more failure; a server's Retry-After wins when longer. */
  next(retryAfterMs?: number): number {
    const base = Math.min(this.o.maxDelayMs, this.o.minDelayMs * this.o.factor ** this.failures);
    this.failures++;
    const delay = base * (1 - this.o.jitter) + base * this.o.jitter * this.o.random();
    return Math.round(Math.max(delay, Math.min(retryAfterMs ?? 0, this.o.maxDelayMs * 5)));
  }

  /** After a success: start again from the shortest delay. */
  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
