/** The portal tests' users, one per role (no vitest import: the serve child process loads it too). */

import { hashPassword } from '../portal/password.ts';
import { MemoryUsers } from '../portal/testing/memory-users.ts';
import type { RecordsStore } from '../records/port.ts';
import type { PortalRole } from '../records/port-users.ts';

export const USERS: Record<string, { role: PortalRole; branch: string | null; displayName: string }> = {
  em: { role: 'energy_manager', branch: null, displayName: '能源经理' },
  'sec-ely': { role: 'branch_secretary', branch: 'B-ELY', displayName: '电解书记' },
  'sec-pwr': { role: 'branch_secretary', branch: 'B-PWR', displayName: '动力书记' },
  viewer: { role: 'viewer', branch: null, displayName: '观察员' },
};

export const password = (u: string) => `pw-${u}-2026!`;

/** The test users in a test-only in-memory store, audited into `records`. */
export async function testUsers(records: RecordsStore, now: () => number = Date.now): Promise<MemoryUsers> {
  const users = new MemoryUsers(records, now);
  for (const [username, u] of Object.entries(USERS))
    await users.addUser({ username, ...u, passwordHash: await hashPassword(password(username)) }, 'test');
  return users;
}
