/** The portal tests' users, one per role. */

import { hashPassword } from '../portal/password.ts';
import type { RecordsStore } from '../records/port.ts';
import type { PortalRole } from '../records/port-users.ts';

export const USERS: Record<string, { role: PortalRole; branch: string | null; displayName: string }> = {
  em: { role: 'energy_manager', branch: null, displayName: '能源经理' },
  'sec-ely': { role: 'branch_secretary', branch: 'B-ELY', displayName: '电解书记' },
  'sec-pwr': { role: 'branch_secretary', branch: 'B-PWR', displayName: '动力书记' },
  viewer: { role: 'viewer', branch: null, displayName: '观察员' },
};

export const password = (u: string) => `pw-${u}-2026!`;

/** Adds the test users to the records store (audited there, as `plantkpi user add` does). */
export async function addTestUsers(records: Pick<RecordsStore, 'addUser'>): Promise<void> {
  for (const [username, u] of Object.entries(USERS))
    await records.addUser({ username, ...u, passwordHash: await hashPassword(password(username)) }, 'test');
}
