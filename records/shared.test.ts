/**
 * The embedded records folder taken in turns: two openers (in this process, and another process) each get it for
 * their calls, the holder lets go as soon as another waits (not after its idle time), and the audit chain written
 * from both stays one line.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords } from './open.ts';
import { type PGliteTemplate, pgliteTemplate } from './pglite-template.ts';
import { openSharedRecords } from './shared.ts';

const run = promisify(execFile);
let pglite: PGliteTemplate;
beforeAll(async () => {
  pglite = await pgliteTemplate();
});
afterAll(() => pglite?.cleanup());

describe('the embedded records store, shared by turns', { timeout: 60_000 }, () => {
  it('two openers in one process take turns; the holder lets go when the other waits, not after its idle time', async () => {
    const dir = pglite.freshDir();
    const a = await openSharedRecords({ dir }, { idleMs: 60_000 });
    const b = await openSharedRecords({ dir }, { idleMs: 60_000 });
    try {
      expect(await a.lock('2026-10', 'a', 'closed')).toBe(true);
      // a keeps the folder (idle 60 s) until b says it waits
      const t0 = Date.now();
      expect(await b.isLocked('2026-10')).toBe(true);
      const waited = Date.now() - t0;
      expect(waited).toBeLessThan(10_000);
      await b.append({ action: 'decision', by: 'b', reason: 'second' });
      await a.append({ action: 'decision', by: 'a', reason: 'third' });
      // calls at once on one opener share its turn
      const many = await Promise.all(
        [1, 2, 3, 4].map((n) => a.append({ action: 'decision', by: 'a', reason: `${n}` })),
      );
      expect(many.map((e) => e.seq).sort()).toEqual([4, 5, 6, 7]);
      const log = await b.list();
      expect(log.map((e) => e.by)).toEqual(['a', 'b', 'a', 'a', 'a', 'a', 'a']);
      expect(await b.verify()).toEqual({ ok: true, checked: 7 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a plain opener (backup, restore) waiting for the folder makes the holder let go too', async () => {
    const dir = pglite.freshDir();
    const holder = await openSharedRecords({ dir }, { idleMs: 60_000 });
    try {
      await holder.lock('2026-10', 'worker', 'closed');
      const plain = await openRecords({ dir, lockTimeoutMs: 8000 });
      expect(await plain.isLocked('2026-10')).toBe(true);
      await plain.close();
      // and the holder gets it back at its next call
      expect((await holder.list()).map((e) => e.action)).toEqual(['lock']);
    } finally {
      await holder.close();
    }
  });

  it("forwards the portal's users and sessions, each call a turn", async () => {
    const dir = pglite.freshDir();
    const a = await openSharedRecords({ dir }, { idleMs: 60_000 });
    const b = await openSharedRecords({ dir }, { idleMs: 60_000 });
    const hash = 'scrypt$32768$8$1$c2FsdA==$aGFzaA==';
    try {
      const u = {
        username: 'wang.sj',
        displayName: '王书记',
        role: 'branch_secretary' as const,
        branch: 'B-PWR',
      };
      await a.addUser({ ...u, passwordHash: hash }, 'admin');
      expect(await b.setPassword('wang.sj', hash.replace('aGFzaA', 'aGFzaB'), 'admin')).toBe(true);
      expect((await a.user('wang.sj'))?.passwordHash).toMatch(/aGFzaB/);
      expect((await b.users()).map((x) => x.username)).toEqual(['wang.sj']);
      const s = { idHash: 'h1', username: 'wang.sj', createdAtMs: 1, expiresAtMs: 100, csrfSecret: 'c' };
      await a.createSession(s);
      await a.createSession({ ...s, idHash: 'h2', expiresAtMs: 10 });
      expect((await b.session('h1', 50))?.session).toEqual(s);
      expect(await b.purgeSessions(50)).toBe(1);
      await a.deleteSession('h1');
      expect(await b.session('h1', 50)).toBeUndefined();
      expect(await a.disableUser('wang.sj', 'admin', 'left')).toBe(true);
      expect((await b.list()).map((e) => e.action)).toEqual(['user-add', 'user-password', 'user-disable']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('another process appending at the same time: every entry kept, one chain', async () => {
    const dir = pglite.freshDir();
    const here = await openSharedRecords({ dir }, { idleMs: 60_000 });
    const child = `
      import { openSharedRecords } from ${JSON.stringify(path.resolve('records/shared.ts'))};
      const s = await openSharedRecords({ dir: ${JSON.stringify(dir)} }, { idleMs: 60_000 });
      for (let i = 0; i < 5; i++) {
        await s.append({ action: 'decision', by: 'child', reason: String(i) });
        await new Promise((r) => setTimeout(r, 50));
      }
      await s.close();
    `;
    try {
      await here.append({ action: 'decision', by: 'parent', reason: 'first' });
      const other = run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child]);
      for (let i = 0; i < 5; i++) {
        await here.append({ action: 'decision', by: 'parent', reason: String(i) });
        await new Promise((r) => setTimeout(r, 50));
      }
      await other;
      const log = await here.list();
      expect(log.filter((e) => e.by === 'child').map((e) => e.reason)).toEqual(['0', '1', '2', '3', '4']);
      expect(log.filter((e) => e.by === 'parent')).toHaveLength(6);
      expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(await here.verify()).toEqual({ ok: true, checked: 11 });
    } finally {
      await here.close();
    }
  });
});
