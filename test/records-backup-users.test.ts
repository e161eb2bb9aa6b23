/**
 * The portal's users in `plantkpi records backup` and `restore` (embedded to embedded; records-backup.test.ts runs
 * both engines and each refusal): users are in the file and come back as they were, sessions are never in it, and a
 * restore ends every session the target had, so everyone signs in again.
 */
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords, recordsDir } from '../records/open.ts';
import { type PGliteTemplate, pgliteTemplate } from '../records/pglite-template.ts';
import type { PortalSession } from '../records/port-users.ts';
import { cli, REFERENCE_CONFIG, tempDir } from './helpers.ts';

const T0 = Date.UTC(2026, 10, 1, 0, 30);
const HASH = 'scrypt$32768$8$1$c2FsdA==$aGFzaA==';
const tmp = tempDir('plantkpi-records-backup-users-');
let pglite: PGliteTemplate;
let n = 0;

beforeAll(async () => {
  pglite = await pgliteTemplate();
}, 120_000);
afterAll(() => {
  pglite?.cleanup();
  tmp.cleanup();
});

/** a data directory whose records folder is an empty PGlite database */
function freshData(): string {
  const data = path.join(tmp.dir, `data-${++n}`);
  mkdirSync(data);
  renameSync(pglite.freshDir(), recordsDir(data));
  return data;
}

const session = (idHash: string, username: string): PortalSession => ({
  idHash,
  username,
  createdAtMs: T0,
  expiresAtMs: T0 + 1e9,
  csrfSecret: 'c',
});
const user = {
  displayName: '王书记',
  role: 'branch_secretary' as const,
  branch: 'B-PWR',
  passwordHash: HASH,
};

describe("the portal's users in a records backup", { timeout: 120_000 }, () => {
  it('users are backed up and restored as they were; sessions are not, and a restore ends every session', async () => {
    const source = freshData();
    const s = await openRecords({ dir: recordsDir(source) }, { now: () => T0 });
    await s.addUser({ ...user, username: 'wang.sj' }, 'admin');
    await s.addUser({ ...user, username: 'zhao', role: 'viewer', branch: null }, 'admin');
    await s.disableUser('zhao', 'admin', 'left');
    await s.createSession(session('h1', 'wang.sj'));
    const users = await s.users();
    await s.close();

    const out = path.join(tmp.dir, 'users.jsonl');
    const b = await cli('records', 'backup', '--config', REFERENCE_CONFIG, '--data', source, '--out', out);
    expect(b).toMatchObject({ code: 0, err: '' });
    expect(b.out).toMatch(/0 export manifests, 2 portal users, last hash/);
    const text = readFileSync(out, 'utf8');
    const rows = text.split('\n').filter((l) => l.startsWith('{"table":"portal_user"'));
    expect(rows.map((l) => JSON.parse(l).row.username)).toEqual(['wang.sj', 'zhao']);
    expect(JSON.parse(rows[1]!).row).toMatchObject({ role: 'viewer', branch: null, disabled_at_ms: T0 });
    expect(text).not.toContain('portal_session');
    expect(text).not.toContain('"h1"');

    // into a store with a user and a session of its own: both replaced, no session survives
    const target = freshData();
    const t = await openRecords({ dir: recordsDir(target) }, { now: () => T0 });
    await t.addUser({ ...user, username: 'other' }, 'admin');
    await t.createSession(session('h2', 'other'));
    await t.close();
    const refused = await cli(
      'records',
      'restore',
      '--config',
      REFERENCE_CONFIG,
      '--data',
      target,
      '--from',
      out,
    );
    expect(refused.code).toBe(7);
    expect(refused.err).toMatch(/is not empty \(.*1 audit entry.*, 1 portal user\)/);
    const r = await cli(
      'records',
      'restore',
      '--config',
      REFERENCE_CONFIG,
      '--data',
      target,
      '--from',
      out,
      '--force',
    );
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/2 portal users; replaced .*, 1 portal user; audit log 3 entries verified/);

    const back = await openRecords({ dir: recordsDir(target) });
    try {
      expect(await back.users()).toEqual(users);
      expect(await back.session('h1', T0)).toBeUndefined();
      expect(await back.session('h2', T0)).toBeUndefined();
      expect(await back.purgeSessions(T0 + 2e9)).toBe(0);
      expect(await back.verify()).toEqual({ ok: true, checked: 3 });
      // and the restored users sign in again: a new session of a restored user is kept
      await back.createSession(session('h3', 'wang.sj'));
      expect((await back.session('h3', T0))?.user.displayName).toBe('王书记');
    } finally {
      await back.close();
    }
  });
});
