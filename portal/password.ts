/**
 * Password hashes for the portal's users: scrypt (node:crypto), stored as `scrypt$N$r$p$salt$hash` (base64) so that
 * stronger parameters can be chosen later without breaking the hashes already stored.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** the cost parameters for new hashes: N = 2^15, r = 8, p = 1 (about 32 MiB and 50–100 ms a hash) */
const N = 32768;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 },
      (e, key) => (e ? reject(e) : resolve(key)),
    ),
  );
}

/** A new hash of `password` with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new Error('密码不能为空 the password is empty');
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `password` matches `stored`; false (never an exception) for a hash that is not of this form. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  if (!Number.isInteger(n) || !Number.isInteger(r) || !Number.isInteger(p)) return false;
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  if (expected.length !== KEY_BYTES || salt.length === 0) return false;
  const key = await derive(password, salt, n as number, r as number, p as number);
  return timingSafeEqual(key, expected);
}
