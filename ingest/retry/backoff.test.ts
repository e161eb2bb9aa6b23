import { describe, expect, it, vi } from 'vitest';
import { Backoff } from './backoff.ts';

describe('Backoff', () => {
  it('grows exponentially up to the cap, and resets after a success', () => {
    const b = new Backoff({ minDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('jitters within the configured share', () => {
    const lo = new Backoff({ minDelayMs: 1000, jitter: 0.5, random: () => 0 });
    const hi = new Backoff({ minDelayMs: 1000, jitter: 0.5, random: () => 0.999999 });
    expect(lo.next()).toBe(500);
    expect(hi.next()).toBe(1000);
  });

  it("honours a server's Retry-After when it is longer", () => {
    const b = new Backoff({ minDelayMs: 100, jitter: 0 });
    expect(b.next(5000)).toBe(5000);
    expect(b.next(10)).toBe(200);
  });

  it('drives a retry loop on fake timers', async () => {
    vi.useFakeTimers();
    try {
      const b = new Backoff({ minDelayMs: 1000, jitter: 0 });
      let calls = 0;
      const attempt = async (): Promise<string> => {
        calls++;
        if (calls < 4) {
          await new Promise((r) => setTimeout(r, b.next()));
          return attempt();
        }
        return 'ok';
      };
      const p = attempt();
      await vi.advanceTimersByTimeAsync(999);
      expect(calls).toBe(1);
      await vi.advanceTimersByTimeAsync(1 + 2000 + 4000);
      await expect(p).resolves.toBe('ok');
      expect(calls).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
