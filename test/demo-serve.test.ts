/**
 * `plantkpi demo --serve` as its own process, on two simulated days: the portal comes up on the demo's data with the
 * printed users, whose printed passwords sign in; a secretary sees its own branch and is refused another; SIGTERM
 * closes the stores (no lock left) and ends the process with 0; a second serve on the same records keeps the users
 * with new passwords.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoUsers, issueDemoUsers } from '../cli/demo-serve.ts';
import { loadPlantConfig } from '../config/load.ts';
import { verifyPassword } from '../portal/password.ts';
import { openRecords, recordsDir } from '../records/open.ts';
import { cli, ROOT, tempDir } from './helpers.ts';

const tmp = tempDir('plantkpi-demo-serve-');
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  tmp.cleanup();
});

const EXAMPLE = path.join(ROOT, 'config', 'examples', 'magnesium-site.yaml');

interface Printed {
  username: string;
  role: string;
  branch: string;
  password: string;
}

/** The users' table under the portal's address: the rows between the dashes and the "Manage them" line. */
function printedUsers(out: string): Printed[] {
  const block = out.slice(out.indexOf('演示用户 Demo users'));
  const lines = block.split('\n');
  const from = lines.findIndex((l) => l.startsWith('---')) + 1;
  const to = lines.findIndex((l) => l.startsWith('管理用户 Manage them'));
  return lines.slice(from, to).map((l) => {
    const [username, role, branch, password] = l.trim().split(/\s+/) as [string, string, string, string];
    return { username, role, branch, password };
  });
}

describe('plantkpi demo --serve', () => {
  it('serves the demo month with the printed users, and stops on SIGTERM with its stores closed', async () => {
    const data = path.join(tmp.dir, 'demo');
    const args = ['demo', '--days', '2', '--data', data, '--serve', '--port', '0'];
    child = spawn('node', [path.join(ROOT, 'bin', 'plantkpi.js'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (b) => (out += b));
    child.stderr!.on('data', (b) => (err += b));
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    const deadline = Date.now() + 80_000;
    while (!out.includes('管理用户 Manage them')) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`demo --serve did not come up: ${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // the demo's own output comes first, as without --serve
    expect(out).toMatch(/Collected: [\d,]+ readings stored/);
    expect(out.indexOf('用时 Took')).toBeLessThan(out.indexOf('门户 Portal'));
    const base = /门户 Portal: (http:\S+)/.exec(out)![1]!;
    const users = printedUsers(out);
    const config = loadPlantConfig(EXAMPLE).config;
    expect(users.map((u) => [u.username, u.role, u.branch])).toEqual(
      demoUsers(config).map((u) => [u.username, u.role, u.branch ?? '-']),
    );
    for (const u of users) expect(u.password).toMatch(/^[a-z2-9]{12}$/);
    expect(new Set(users.map((u) => u.password)).size).toBe(users.length);

    const signIn = async (u: Printed, password = u.password) => {
      const r = await fetch(`${base}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ username: u.username, password }),
      });
      return { status: r.status, cookie: r.headers.getSetCookie()[0]?.split(';')[0] ?? '' };
    };
    const scorecard = (branch: string, cookie: string) =>
      fetch(`${base}/api/branches/${branch}/scorecard?period=2026-10`, { headers: { cookie } });

    const sec = users.find((u) => u.branch === 'B-ELY')!;
    const s = await signIn(sec);
    expect(s.status, out + err).toBe(200);
    const own = await scorecard('B-ELY', s.cookie);
    expect(own.status).toBe(200);
    const body = (await own.json()) as { period: string; branch: { id: string } };
    expect(body.period).toBe('2026-10');
    expect(body.branch.id).toBe('B-ELY');
    expect((await scorecard('B-CA', s.cookie)).status).toBe(403);
    // the password is the user's own: another's is refused
    expect((await signIn(sec, users.find((u) => u.branch === 'B-CA')!.password)).status).toBe(401);

    const em = await signIn(users.find((u) => u.role === 'energy_manager')!);
    expect(em.status).toBe(200);
    expect((await scorecard('B-CA', em.cookie)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('门户关闭 Portal stopping (SIGTERM)');
    expect(err).toBe('');
    // the records folder and the series store let go: no lock file left in the store directory
    expect(readdirSync(path.join(data, 'store')).filter((f) => f.endsWith('.lock'))).toEqual([]);

    // a second serve on the same records (as with PostgreSQL, whose records a re-run does not wipe) keeps the users
    // and gives them new passwords: the printed ones work, the last run's do not
    const records = await openRecords({ dir: recordsDir(path.join(data, 'store')) });
    try {
      const again = await issueDemoUsers(records, demoUsers(config));
      expect(again.every((u) => u.kept && !u.disabled)).toBe(true);
      expect((await records.users()).length).toBe(users.length);
      for (const [i, u] of again.entries()) {
        const hash = (await records.user(u.username))!.passwordHash;
        expect(await verifyPassword(u.password, hash)).toBe(true);
        expect(await verifyPassword(users[i]!.password, hash)).toBe(false);
      }
    } finally {
      await records.close();
    }
  }, 120_000);
});

describe('plantkpi demo --serve options', () => {
  it('--port or --host without --serve, or a port out of range, is a usage error, exit 2, before anything starts', async () => {
    const data = path.join(tmp.dir, 'not-started');
    for (const [extra, says] of [
      [['--port', '8080'], /--port and --host go with --serve/],
      [['--host', '0.0.0.0'], /--port and --host go with --serve/],
      [['--serve', '--port', '70000'], /--port 70000: .*0 to 65535/],
    ] as const) {
      const r = await cli('demo', '--days', '1', '--data', data, ...extra);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(says);
      expect(r.err).toContain('[--serve [--port 8080] [--host 127.0.0.1]]');
    }
    expect(existsSync(data)).toBe(false);
  });
});
