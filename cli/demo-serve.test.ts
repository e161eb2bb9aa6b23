/** The demo's users and their passwords, without a store: the generator and who the users are. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlantConfig } from '../config/load.ts';
import { USERNAME } from '../records/users.ts';
import { demoPassword, demoUsers, PASSWORD_ALPHABET } from './demo-serve.ts';

const EXAMPLE = fileURLToPath(new URL('../config/examples/magnesium-site.yaml', import.meta.url));

describe('demoPassword', () => {
  it('is 12 signs of a 32-sign alphabet without look-alikes', () => {
    expect(PASSWORD_ALPHABET).toHaveLength(32);
    expect(new Set(PASSWORD_ALPHABET).size).toBe(32);
    expect(PASSWORD_ALPHABET).not.toMatch(/[lo01IO]/);
    for (let i = 0; i < 200; i++) expect(demoPassword()).toMatch(/^[a-km-np-z2-9]{12}$/);
    expect(demoPassword(20)).toHaveLength(20);
  });

  it('is a different one at each call, and uses every sign', () => {
    const many = Array.from({ length: 1000 }, () => demoPassword());
    expect(new Set(many).size).toBe(1000);
    // 12,000 signs drawn: each of the 32 expected about 375 times; one missing would mean a skewed draw
    const seen = new Map<string, number>();
    for (const c of many.join('')) seen.set(c, (seen.get(c) ?? 0) + 1);
    expect([...seen.keys()].sort().join('')).toBe([...PASSWORD_ALPHABET].sort().join(''));
    for (const n of seen.values()) expect(n).toBeGreaterThan(250);
  });
});

describe('demoUsers', () => {
  it('is an energy manager, a secretary per declared branch and a viewer, with valid usernames', () => {
    const { config } = loadPlantConfig(EXAMPLE);
    const users = demoUsers(config);
    expect(users.map((u) => [u.username, u.role, u.branch])).toEqual([
      ['energy', 'energy_manager', null],
      ...config.organisation.branches.map((b) => [`sec-${b.id.toLowerCase()}`, 'branch_secretary', b.id]),
      ['viewer', 'viewer', null],
    ]);
    for (const u of users) expect(u.username).toMatch(USERNAME);
    expect(
      demoUsers({ ...config, organisation: { ...config.organisation, branches: [{ id: 'P:1' }] } })[1],
    ).toMatchObject({ username: 'sec-p-1', branch: 'P:1', displayName: '书记 Secretary, P:1' });
  });
});
