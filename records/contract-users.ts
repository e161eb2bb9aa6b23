/**
 * The part of the records contract about the portal's users and sessions (port-users.ts): adding, validating,
 * passwords, disabling (its sessions end), session expiry and purging, each change audited in its own transaction
 * and never with a hash in the entry. Run by recordsContract with its store, on every engine.
 */
import { describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../config/errors.ts';
import type { RecordsStore } from './port.ts';
import type { PortalSession, PortalUser } from './port-users.ts';

export interface UsersContext {
  store: RecordsStore;
  reopen(): Promise<RecordsStore>;
  /** runs one SQL statement on the store's database, behind its back */
  edit(text: string): Promise<RecordsStore>;
  /** the store's clock now */
  now(): number;
}

// what portal/password.ts writes; the store keeps it as given (hashing a real password costs 50-100 ms)
const HASH_1 = `scrypt$32768$8$1$${Buffer.from('salt-1').toString('base64')}$${Buffer.from('key-1').toString('base64')}`;
const HASH_2 = `scrypt$32768$8$1$${Buffer.from('salt-2').toString('base64')}$${Buffer.from('key-2').toString('base64')}`;

const secretary = {
  username: 'wang.sj',
  displayName: '王书记',
  role: 'branch_secretary' as const,
  branch: 'B-PWR',
  passwordHash: HASH_1,
};
const manager = {
  username: 'li.wei',
  displayName: '李伟 Li Wei',
  role: 'energy_manager' as const,
  branch: null,
  passwordHash: HASH_2,
};

const sessionOf = (
  username: string,
  idHash: string,
  createdAtMs: number,
  expiresAtMs: number,
): PortalSession => ({
  idHash,
  username,
  createdAtMs,
  expiresAtMs,
  csrfSecret: `csrf-${idHash}`,
});

/** The UsageError a call is refused with (exit 2), for its message. */
async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  expect((err as UsageError).exitCode).toBe(EXIT.usage);
  return (err as Error).message;
}

export function usersTests(ctx: () => UsersContext): void {
  describe("the portal's users and sessions", () => {
    it('adds users, reads them by name and all by username, each add audited without its hash', async () => {
      const t = ctx().now();
      const added = await ctx().store.addUser(secretary, 'admin');
      expect(added).toEqual({ ...secretary, createdAtMs: t, disabled: false });
      await ctx().store.addUser(manager, 'admin');
      const viewer = { ...manager, username: 'zhao_1', role: 'viewer' as const, displayName: '赵' };
      await ctx().store.addUser(viewer, 'li.wei');
      await ctx().store.addUser({ ...viewer, username: 'qian-2', branch: 'B-ELY' }, 'li.wei');
      expect(await ctx().store.user('wang.sj')).toEqual(added);
      expect(await ctx().store.user('nobody')).toBeUndefined();
      expect((await ctx().store.users()).map((u) => [u.username, u.role, u.branch])).toEqual([
        ['li.wei', 'energy_manager', null],
        ['qian-2', 'viewer', 'B-ELY'],
        ['wang.sj', 'branch_secretary', 'B-PWR'],
        ['zhao_1', 'viewer', null],
      ]);
      const log = await ctx().store.list();
      expect(log.map((e) => [e.action, e.by, e.period, e.detail?.username])).toEqual([
        ['user-add', 'admin', null, 'wang.sj'],
        ['user-add', 'admin', null, 'li.wei'],
        ['user-add', 'li.wei', null, 'zhao_1'],
        ['user-add', 'li.wei', null, 'qian-2'],
      ]);
      expect(log[0]?.detail).toEqual({
        username: 'wang.sj',
        displayName: '王书记',
        role: 'branch_secretary',
        branch: 'B-PWR',
      });
      expect(JSON.stringify(log)).not.toMatch(/scrypt|c2FsdC|a2V5/);
      expect(await ctx().store.verify()).toEqual({ ok: true, checked: 4 });
      // kept: the same after the store is opened again
      const store = await ctx().reopen();
      expect(await store.user('wang.sj')).toEqual(added);
    });

    it('refuses a username taken, naming it; nothing written', async () => {
      await ctx().store.addUser(secretary, 'admin');
      const msg = await refusal(ctx().store.addUser({ ...manager, username: 'wang.sj' }, 'admin'));
      expect(msg).toMatch(/username 'wang\.sj'.*is taken/);
      expect((await ctx().store.user('wang.sj'))?.role).toBe('branch_secretary');
      expect((await ctx().store.list()).length).toBe(1);
    });

    it('refuses a bad username, role, branch, name or hash with a UsageError naming the field', async () => {
      const cases: [Omit<PortalUser, 'createdAtMs' | 'disabled'>, RegExp][] = [
        [{ ...manager, username: 'li wei' }, /^username 'li wei'/],
        [{ ...manager, username: '' }, /^username ''/],
        [{ ...manager, username: '张三' }, /^username '张三'/],
        [{ ...manager, username: 'a'.repeat(65) }, /^username 'a{65}'/],
        [{ ...manager, role: 'admin' as never }, /^role 'admin'.*energy_manager, branch_secretary, viewer/],
        [{ ...secretary, branch: null }, /^branch: .*a branch_secretary needs the branch/],
        [{ ...secretary, branch: ' ' }, /^branch: .*a branch_secretary needs the branch/],
        [{ ...manager, branch: 'B-PWR' }, /^branch: .*an energy_manager acts for every branch/],
        [{ ...manager, displayName: ' ' }, /^displayName: /],
        [{ ...manager, passwordHash: 'hunter22' }, /^passwordHash: .*not a scrypt hash/],
      ];
      for (const [u, re] of cases) expect(await refusal(ctx().store.addUser(u, 'admin'))).toMatch(re);
      // 64 characters of every kind allowed is a name
      const longest = `a.b_c-D9${'x'.repeat(56)}`;
      await ctx().store.addUser({ ...manager, username: longest }, 'admin');
      expect((await ctx().store.users()).map((u) => u.username)).toEqual([longest]);
      expect((await ctx().store.list()).length).toBe(1);
    });

    it('a user whose audit entry cannot be written is not kept (one transaction)', async () => {
      await ctx().edit(`alter table audit_log add constraint no_boom check (by <> 'boom')`);
      await expect(ctx().store.addUser(secretary, 'boom')).rejects.toThrow();
      expect(await ctx().store.user('wang.sj')).toBeUndefined();
      await ctx().store.addUser(secretary, 'admin');
      await expect(ctx().store.setPassword('wang.sj', HASH_2, 'boom')).rejects.toThrow();
      expect((await ctx().store.user('wang.sj'))?.passwordHash).toBe(HASH_1);
      await expect(ctx().store.disableUser('wang.sj', 'boom', 'left')).rejects.toThrow();
      expect((await ctx().store.user('wang.sj'))?.disabled).toBe(false);
      expect(await ctx().store.verify()).toEqual({ ok: true, checked: 1 });
    });

    it('setPassword replaces the hash, audited without it; an unknown user is false and nothing is written', async () => {
      await ctx().store.addUser(secretary, 'admin');
      expect(await ctx().store.setPassword('wang.sj', HASH_2, 'wang.sj')).toBe(true);
      expect((await ctx().store.user('wang.sj'))?.passwordHash).toBe(HASH_2);
      expect(await ctx().store.setPassword('nobody', HASH_2, 'admin')).toBe(false);
      expect(await refusal(ctx().store.setPassword('wang.sj', 'plain text', 'admin'))).toMatch(
        /^passwordHash: /,
      );
      const log = await ctx().store.list();
      expect(log.map((e) => [e.action, e.by, e.detail])).toEqual([
        ['user-add', 'admin', expect.anything()],
        ['user-password', 'wang.sj', { username: 'wang.sj' }],
      ]);
      expect(JSON.stringify(log)).not.toMatch(/scrypt/);
    });

    it('a session lives until it expires (expiresAtMs <= now is gone), then is unknown; deleteSession ends it', async () => {
      await ctx().store.addUser(secretary, 'admin');
      const t = 1_800_000_000_000;
      const s = sessionOf('wang.sj', 'a'.repeat(64), t, t + 1000);
      await ctx().store.createSession(s);
      const found = await ctx().store.session(s.idHash, t + 999);
      expect(found).toEqual({ session: s, user: await ctx().store.user('wang.sj') });
      expect(await ctx().store.session(s.idHash, t + 1000)).toBeUndefined();
      expect(await ctx().store.session(s.idHash, t + 5000)).toBeUndefined();
      expect(await ctx().store.session('b'.repeat(64), t)).toBeUndefined();
      // kept across a reopen of the store
      const store = await ctx().reopen();
      expect((await store.session(s.idHash, t))?.session).toEqual(s);
      await store.deleteSession(s.idHash);
      expect(await store.session(s.idHash, t)).toBeUndefined();
      await store.deleteSession(s.idHash); // gone already: nothing to do
      // sessions are not audited: only the add is in the log
      expect((await store.list()).map((e) => e.action)).toEqual(['user-add']);
    });

    it('a session of an unknown or disabled user is refused', async () => {
      expect(await refusal(ctx().store.createSession(sessionOf('nobody', 'c1', 1, 2)))).toMatch(
        /user 'nobody' does not exist/,
      );
      await ctx().store.addUser(secretary, 'admin');
      await ctx().store.disableUser('wang.sj', 'admin', 'left the branch');
      expect(await refusal(ctx().store.createSession(sessionOf('wang.sj', 'c2', 1, 2)))).toMatch(
        /user 'wang\.sj' is disabled/,
      );
    });

    it('disabling a user ends its sessions (others stay), keeps the user, and is audited with the reason', async () => {
      await ctx().store.addUser(secretary, 'admin');
      await ctx().store.addUser(manager, 'admin');
      const t = 1_800_000_000_000;
      await ctx().store.createSession(sessionOf('wang.sj', 's1', t, t + 10_000));
      await ctx().store.createSession(sessionOf('wang.sj', 's2', t, t + 20_000));
      await ctx().store.createSession(sessionOf('li.wei', 'm1', t, t + 10_000));
      expect(await ctx().store.disableUser('wang.sj', 'li.wei', '调离 moved to another site')).toBe(true);
      expect(await ctx().store.session('s1', t)).toBeUndefined();
      expect(await ctx().store.session('s2', t)).toBeUndefined();
      expect((await ctx().store.session('m1', t))?.user.username).toBe('li.wei');
      expect(await ctx().store.user('wang.sj')).toMatchObject({ disabled: true, passwordHash: HASH_1 });
      // the rows are gone, not only hidden: a purge far in the future finds just the other user's
      expect(await ctx().store.purgeSessions(t + 1_000_000)).toBe(1);
      expect(await ctx().store.disableUser('wang.sj', 'li.wei', 'again')).toBe(true);
      expect(await ctx().store.disableUser('nobody', 'li.wei', 'x')).toBe(false);
      const log = await ctx().store.list();
      expect(log.filter((e) => e.action === 'user-disable').map((e) => [e.by, e.reason, e.detail])).toEqual([
        [
          'li.wei',
          '调离 moved to another site',
          { username: 'wang.sj', wasDisabled: false, sessionsEnded: 2 },
        ],
        ['li.wei', 'again', { username: 'wang.sj', wasDisabled: true, sessionsEnded: 0 }],
      ]);
      expect(await ctx().store.verify()).toEqual({ ok: true, checked: 4 });
    });

    it('purgeSessions removes the sessions expired at now (expiresAtMs <= now) and says how many', async () => {
      await ctx().store.addUser(secretary, 'admin');
      await ctx().store.addUser(manager, 'admin');
      const t = 1_800_000_000_000;
      for (const [u, id, exp] of [
        ['wang.sj', 'e1', t - 1],
        ['wang.sj', 'e2', t],
        ['li.wei', 'e3', t - 500],
        ['li.wei', 'l1', t + 1],
        ['wang.sj', 'l2', t + 60_000],
      ] as const)
        await ctx().store.createSession(sessionOf(u, id, t - 1000, exp));
      expect(await ctx().store.purgeSessions(t)).toBe(3);
      expect(await ctx().store.purgeSessions(t)).toBe(0);
      expect((await ctx().store.session('l1', t))?.user.username).toBe('li.wei');
      expect((await ctx().store.session('l2', t))?.user.username).toBe('wang.sj');
      expect(await ctx().store.purgeSessions(t + 1)).toBe(1);
      expect(await ctx().store.session('l2', t + 1)).toBeDefined();
    });
  });
}
