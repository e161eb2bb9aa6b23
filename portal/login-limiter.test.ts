import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.ts';

describe('LoginLimiter', () => {
  it('refuses the sixth attempt within 15 minutes of the first failure, until that window ends', () => {
    let t = 1_000_000;
    const l = new LoginLimiter(() => t);
    for (let i = 0; i < 5; i++) {
      expect(l.retryAfterS('a|ip')).toBeNull();
      l.fail('a|ip');
      t += 1000;
    }
    expect(l.retryAfterS('a|ip')).toBe(15 * 60 - 5);
    expect(l.retryAfterS('b|ip')).toBeNull(); // another user, or another IP, is not held back
    t = 1_000_000 + 15 * 60_000;
    expect(l.retryAfterS('a|ip')).toBeNull();
  });

  it('a success clears the failures', () => {
    const l = new LoginLimiter(() => 0);
    for (let i = 0; i < 4; i++) l.fail('k');
    l.clear('k');
    for (let i = 0; i < 4; i++) l.fail('k');
    expect(l.retryAfterS('k')).toBeNull();
    l.fail('k');
    expect(l.retryAfterS('k')).toBe(900);
  });

  it('keeps at most maxKeys keys, dropping the oldest', () => {
    const l = new LoginLimiter(() => 0, { maxKeys: 3, maxFailures: 1 });
    for (const k of ['a', 'b', 'c', 'd']) l.fail(k);
    expect(l.retryAfterS('a')).toBeNull();
    expect(l.retryAfterS('d')).toBe(900);
  });
});
