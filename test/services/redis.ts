/** A private Redis for one test file: its own port and directory, nothing persisted, stopped after. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.ts';

export interface RedisServer {
  url: string;
  port: number;
  destroy(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  await waitFor(
    'redis',
    () =>
      new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      }),
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async destroy() {
      if (child.exitCode === null) {
        await new Promise<void>((r) => {
          child.once('exit', () => r());
          child.kill('SIGTERM');
          // a Redis a test switched persistence on for may take its time saving: a test server keeps nothing
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
