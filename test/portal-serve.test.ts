/**
 * `plantkpi serve` as its own process on the reference plant's October: it listens, answers over HTTP, shares the
 * embedded records folder in turns with a command run beside it, and closes its stores on SIGTERM (the records lock
 * let go). Its RSS after startup and after the requests, and the scorecard route's time, are printed for the note.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords, recordsDir } from '../records/open.ts';
import { cli, ROOT } from './helpers.ts';
import { PERIOD, password, portalData } from './portal-fixture.ts';
import { addTestUsers } from './portal-users.ts';

let d: Awaited<ReturnType<typeof portalData>>;
let child: ChildProcess;
let out = '';
let base = '';

const rssMb = (pid: number) =>
  Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);

beforeAll(async () => {
  d = await portalData('plantkpi-portal-serve-');
  // the users in the records store, as `plantkpi user add` puts them there; the folder let go before serve opens it
  const records = await openRecords({ dir: recordsDir(d.data) });
  await addTestUsers(records);
  await records.close();
  const args = ['serve', '--config', d.config, '--data', d.data, '--port', '0'];
  child = spawn('node', [path.join(ROOT, 'bin', 'plantkpi.js'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const deadline = Date.now() + 60_000;
  while (!/门户 Portal: (http:\S+)/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  base = /门户 Portal: (http:\S+)/.exec(out)![1]!;
}, 180_000);
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  d?.tmp.cleanup();
});

describe('plantkpi serve', { timeout: 180_000 }, () => {
  it('serves the API, takes turns with a command on the records, and stops on SIGTERM', async () => {
    await new Promise((r) => setTimeout(r, 1000)); // settled after startup
    const startup = rssMb(child.pid!);
    const login = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'sec-ely', password: password('sec-ely') }),
    });
    expect(login.status, out).toBe(200);
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const url = `${base}/api/branches/B-ELY/scorecard?period=${PERIOD}`;
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const r = await fetch(url, { headers: { cookie } });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
      times.push(performance.now() - t0);
    }
    for (const u of [`/api/branches?period=${PERIOD}`, `/api/areas/A-ELY-1?period=${PERIOD}`, '/api/periods'])
      expect((await fetch(`${base}${u}`, { headers: { cookie } })).status).toBe(200);
    expect(
      (await fetch(`${base}/api/branches/B-ELY/export?period=${PERIOD}`, { headers: { cookie } })).status,
    ).toBe(200);
    expect((await fetch(`${base}/api/areas/A-BLR?period=${PERIOD}`, { headers: { cookie } })).status).toBe(
      403,
    );
    const after = rssMb(child.pid!);
    const [cold, ...warm] = times;
    warm.sort((a, b) => a - b);
    console.log(
      `plantkpi serve: RSS ${startup} MB after startup, ${after} MB after the requests; ` +
        `scorecard route cold ${cold!.toFixed(0)} ms, warm median ${warm[9]!.toFixed(1)} ms`,
    );
    // a command beside it reads the same records (the embedded folder is handed over and back)
    const c = await cli('audit', '--data', d.data, '--config', d.config);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toContain('user-add');
    expect((await fetch(`${base}/api/me`, { headers: { cookie } })).status).toBe(200);

    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('门户关闭 Portal stopping (SIGTERM)');
    expect(existsSync(path.join(d.data, 'records.lock'))).toBe(false);
  });
});
