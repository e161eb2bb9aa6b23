/**
 * The watchdog: a server that stops answering without closing the connection (its process frozen with SIGSTOP) is
 * noticed by its stalled clock, the session is re-created once it answers again (SIGCONT), and readings resume.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpcuaSourceSchema } from '../ingest/opcua/schema.ts';
import { OpcuaSource } from '../ingest/opcua/source.ts';
import { ROOT, tempDir } from './helpers.ts';
import { freePort, waitFor } from './services/ports.ts';
import { sourceHarness } from './services/source-harness.ts';

const tmp = tempDir('plantkpi-watchdog-');
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGCONT');
  child?.kill('SIGKILL');
  tmp.cleanup();
});

describe('OPC UA watchdog', () => {
  it('re-creates the session after the server froze, and readings resume', async () => {
    const port = await freePort();
    child = spawn(
      'node',
      [
        '--import',
        'tsx',
        path.join(ROOT, 'sim', 'opcua', 'main.ts'),
        '--port',
        String(port),
        '--pki',
        path.join(tmp.dir, 'pki'),
        '--vars',
        'E-1',
        '--tick-ms',
        '200',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'], cwd: ROOT },
    );
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    await waitFor('sim server', async () => out.includes('ready'), 30_000);
    const endpoint = /ready (\S+)/.exec(out)![1]!;

    const h = await sourceHarness(tmp.dir, { 'E-1': 'kWh' });
    const src = new OpcuaSource(
      OpcuaSourceSchema.parse({
        id: 'frozen',
        endpoint,
        pkiDir: path.join(tmp.dir, 'client-pki'),
        publishingIntervalMs: 100,
        watchdogMs: 2000,
        items: [{ signal: 'E-1', nodeId: 'ns=1;s=E-1', samplingIntervalMs: 100 }],
      }),
      h.ctx,
    );
    await src.start();
    await waitFor('first readings', async () => (await h.drain()).length > 3, 20_000);

    child.kill('SIGSTOP');
    await waitFor(
      'watchdog fired',
      async () => h.logs.some((l) => /clock stalled|keep-alive|connection/.test(String(l.fields?.reason))),
      30_000,
    );
    const frozenAt = Date.now();
    child.kill('SIGCONT');
    await waitFor('session re-created', async () => src.sessionsCreated >= 2 && src.live.size === 1, 60_000);
    await waitFor(
      'readings after the freeze',
      async () => (await h.drain()).some((r) => r.timeMs > frozenAt + 500),
      30_000,
    );
    await src.stop();
    expect(h.logs.find((l) => l.msg.includes('re-creating'))?.fields?.reason).toBeTruthy();
    await h.close();
  }, 120_000);
});
