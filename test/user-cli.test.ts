/**
 * `plantkpi user add | list | passwd | disable` on the reference plant, against an embedded records store in a temp
 * data directory: the real command in its own process with the password on piped stdin, as a script runs it; the
 * refusals that come before any password is read run in-process. The stored hash verifies with verifyPassword and
 * every change is in the audit, never the hash.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opts } from '../cli/args.ts';
import type { SecretSource } from '../cli/secret-input.ts';
import { allowedOptions, findCommand } from '../cli/usage.ts';
import { cmdUser } from '../cli/users.ts';
import { verifyPassword } from '../portal/password.ts';
import { openRecords, recordsDir } from '../records/open.ts';
import { type PGliteTemplate, pgliteTemplate } from '../records/pglite-template.ts';
import { cli, REFERENCE_CONFIG, ROOT, tempDir } from './helpers.ts';

const tmp = tempDir('plantkpi-user-cli-');
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

/** `plantkpi ARGS` in its own process, `input` piped on its stdin (not a terminal) */
function bin(args: string[], input: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'plantkpi.js'), ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

const at = (data: string) => ['--config', REFERENCE_CONFIG, '--data', data];

/** what the records store holds, read through its port */
async function records(data: string) {
  const s = await openRecords({ dir: recordsDir(data) });
  try {
    return { users: await s.users(), log: await s.list(), verify: await s.verify() };
  } finally {
    await s.close();
  }
}

describe('plantkpi user', { timeout: 180_000 }, () => {
  it('add with the password on stdin: the hash verifies, the add is audited without it; list shows no hash', async () => {
    const data = freshData();
    const r = await bin(
      [
        'user',
        'add',
        ...at(data),
        '--username',
        'wang.sj',
        '--role',
        'branch_secretary',
        '--branch',
        'B-PWR',
        '--name',
        '王书记',
        '--by',
        'li.wei',
      ],
      'correct horse battery\nthe rest is not read\n',
    );
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(
      '用户已添加 user added: wang.sj 王书记 (branch_secretary, B-PWR; li.wei; 已记入审计 audited)\n',
    );
    const { users, log, verify } = await records(data);
    expect(users.map((u) => [u.username, u.displayName, u.role, u.branch, u.disabled])).toEqual([
      ['wang.sj', '王书记', 'branch_secretary', 'B-PWR', false],
    ]);
    const hash = users[0]!.passwordHash;
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batter', hash)).toBe(false);
    expect(log.map((e) => [e.action, e.by, e.detail?.username])).toEqual([['user-add', 'li.wei', 'wang.sj']]);
    expect(JSON.stringify(log)).not.toContain(hash.split('$')[5]);
    expect(verify.ok).toBe(true);

    const list = await cli('user', 'list', ...at(data));
    expect(list).toMatchObject({ code: 0, err: '' });
    const lines = list.out.trimEnd().split('\n');
    expect(lines[0]).toBe('username\tname\trole\tbranch\tcreated\tdisabled');
    expect(lines[1]).toMatch(/^wang\.sj\t王书记\tbranch_secretary\tB-PWR\t\d{4}-\d\d-\d\dT[\d:.]+Z\tno$/);
    expect(list.out).not.toMatch(/scrypt/);
    const audit = await cli('audit', '--data', data);
    expect(audit.out).toMatch(/\tuser-add\t-\tli\.wei\t/);
  });

  it('refuses, naming the problem, before any password is read: an unknown branch, a secretary without one, a taken name', async () => {
    const data = freshData();
    const add = (...more: string[]) => cli('user', 'add', ...at(data), ...more);
    const unknown = await add('--username', 'a', '--role', 'branch_secretary', '--branch', 'B-XYZ');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(
      /^plantkpi: --branch: 未知党支部 unknown branch 'B-XYZ'.* \(配置中已声明 declared in the config: B-ELY, B-PWR\)\n用法 Usage:/,
    );
    const none = await add('--username', 'a', '--role', 'branch_secretary');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(
      /--branch: .*a branch_secretary needs --branch, one of the declared branches: B-ELY, B-PWR/,
    );
    const manager = await add('--username', 'a', '--role', 'energy_manager', '--branch', 'B-ELY');
    expect(manager.err).toMatch(/an energy_manager acts for every branch: leave --branch out/);
    expect((await add('--username', 'a', '--role', 'admin')).err).toMatch(
      /--role 'admin': 应为 must be one of energy_manager, branch_secretary, viewer/,
    );
    expect((await add('--username', 'li wei', '--role', 'viewer')).err).toMatch(/--username 'li wei': /);
    expect((await add('--role', 'viewer')).err).toMatch(/缺少 --username/);

    const s = await openRecords({ dir: recordsDir(data) });
    await s.addUser(
      {
        username: 'zhao',
        displayName: '赵',
        role: 'viewer',
        branch: null,
        passwordHash: 'scrypt$1$1$1$YQ==$Yg==',
      },
      'admin',
    );
    await s.close();
    const taken = await add('--username', 'zhao', '--role', 'viewer', '--branch', 'B-ELY');
    expect(taken.code).toBe(2);
    expect(taken.err).toMatch(/^plantkpi: --username 'zhao': 用户名已被占用 is taken/);
    // a viewer may have a branch or none: refused above only for the name
    expect((await records(data)).log.map((e) => e.action)).toEqual(['user-add']);
  });

  it('refuses a password too short or empty from stdin, naming it; nothing is added', async () => {
    const data = freshData();
    const args = ['user', 'add', ...at(data), '--username', 'zhao', '--role', 'viewer'];
    const short = await bin(args, 'seven77\n');
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/^plantkpi: 密码太短 the password is too short: 7 characters, at least 8/);
    const empty = await bin(args, '');
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/^plantkpi: 密码为空 the password is empty/);
    expect(await records(data)).toMatchObject({ users: [], log: [] });
  });

  it('passwd sets a new hash (audited); disable ends sign-ins (audited with the reason); unknown users refused', async () => {
    const data = freshData();
    const secrets = (...answers: string[]): SecretSource => ({
      isTTY: true,
      readHidden: async () => answers.shift() ?? '',
      readLine: async () => '',
    });
    const run = (args: string[], s: SecretSource) => {
      let out = '';
      let err = '';
      const spec = findCommand(`user ${args[0]}`)!;
      return cmdUser(
        args,
        { out: (t) => (out += t), err: (t) => (err += t) },
        (a) => opts(a, allowedOptions(spec)),
        s,
      ).then((code) => ({ code, out, err }));
    };
    // on a terminal (a stand-in): typed twice; a mismatch adds nothing
    const addArgs = ['add', ...at(data), '--username', 'li.wei', '--role', 'energy_manager', '--by', 'root'];
    await expect(run(addArgs, secrets('first-password', 'first-passw0rd'))).rejects.toThrow(/differ/);
    expect((await run(addArgs, secrets('first-password', 'first-password'))).code).toBe(0);

    const p = await bin(['user', 'passwd', 'li.wei', ...at(data), '--by', 'li.wei'], 'second-password\n');
    expect(p).toMatchObject({ code: 0, err: '' });
    expect(p.out).toBe('密码已设置 password set: li.wei (li.wei; 已记入审计 audited)\n');
    const hash = (await records(data)).users[0]!.passwordHash;
    expect(await verifyPassword('second-password', hash)).toBe(true);
    expect(await verifyPassword('first-password', hash)).toBe(false);

    const d = await cli('user', 'disable', 'li.wei', ...at(data), '--reason', '调离 moved', '--by', 'root');
    expect(d).toMatchObject({ code: 0, err: '' });
    expect(d.out).toMatch(/^用户已停用 user disabled: li\.wei \(root: 调离 moved; /);
    expect((await cli('user', 'disable', 'nobody', ...at(data), '--reason', 'x')).err).toMatch(
      /^plantkpi: 未知用户 unknown user 'nobody'/,
    );
    expect((await cli('user', 'passwd', 'nobody', ...at(data))).code).toBe(2);
    expect((await cli('user', 'disable', 'li.wei', ...at(data))).err).toMatch(/缺少 --reason/);

    const { users, log, verify } = await records(data);
    expect(users[0]?.disabled).toBe(true);
    expect(log.map((e) => [e.action, e.by, e.reason])).toEqual([
      ['user-add', 'root', '新增门户用户 portal user added'],
      ['user-password', 'li.wei', '重设密码 password set'],
      ['user-disable', 'root', '调离 moved'],
    ]);
    expect(verify).toEqual({ ok: true, checked: 3 });
  });
});
