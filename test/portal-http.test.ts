/**
 * The portal over real HTTP (a listening socket, fetch): sign-in, the cookie round trip, the scorecard route's
 * response time cold and warm, and the process's memory after startup and after the requests (printed for the
 * closing note; bounds generous enough for a busy CI machine).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, PERIOD, password, portalFixture } from './portal-fixture.ts';

let f: Fixture;
let base: string;
const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
const memory: Record<string, number> = {};

beforeAll(async () => {
  memory.beforeFixture = mb();
  f = await portalFixture('plantkpi-portal-http-');
  await f.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = f.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  memory.afterStartup = mb();
}, 180_000);
afterAll(async () => f?.cleanup());

describe('over HTTP', { timeout: 180_000 }, () => {
  it('signs in, reads the scorecard with the cookie, refuses without it; timed and measured', async () => {
    const login = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ username: 'sec-pwr', password: password('sec-pwr') }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const url = `${base}/api/branches/B-PWR/scorecard?period=${PERIOD}`;
    expect((await fetch(url)).status).toBe(401);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const r = await fetch(url, { headers: { cookie } });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { period: string }).period).toBe(PERIOD);
      times.push(performance.now() - t0);
    }
    const [cold, ...warm] = times;
    warm.sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)]!;
    for (const other of ['/api/branches?period=2026-10', '/api/areas/A-BLR?period=2026-10', '/api/periods'])
      expect((await fetch(`${base}${other}`, { headers: { cookie } })).status).toBe(200);
    const xlsx = await fetch(`${base}/api/branches/B-PWR/export?period=${PERIOD}`, { headers: { cookie } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain('plantkpi-B-PWR-2026-10.xlsx');
    memory.afterRequests = mb();
    console.log(
      `portal: scorecard route cold ${cold!.toFixed(0)} ms, warm median ${median.toFixed(1)} ms (19 requests); ` +
        `RSS ${memory.beforeFixture} MB before the fixture, ${memory.afterStartup} MB after startup, ` +
        `${memory.afterRequests} MB after the requests (the vitest worker's process)`,
    );
    expect(median).toBeLessThan(1000);
    expect(memory.afterRequests).toBeLessThan(1024);
  });
});
