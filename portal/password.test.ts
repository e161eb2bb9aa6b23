import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.ts';

describe('portal passwords (scrypt)', () => {
  it('verifies the password it hashed and refuses another, with a fresh salt each time', async () => {
    const a = await hashPassword('炉前-2026!');
    const b = await hashPassword('炉前-2026!');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('炉前-2026!', a)).toBe(true);
    expect(await verifyPassword('炉前-2026', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });
  it('treats a damaged or foreign hash as no match', async () => {
    const a = await hashPassword('x');
    expect(await verifyPassword('x', a.replace(/\$[^$]+$/, '$AAAA'))).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$2b$10$abc')).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
  });
  it('refuses to hash an empty password', async () => {
    await expect(hashPassword('')).rejects.toThrow(/empty/);
  });
});
