/**
 * A private InfluxDB 1.x for one test file: its own temp directory and free ports, stopped and removed after.
 * Needs the `influxd` binary (Debian package influxdb; test/run-all.sh installs it when missing).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.ts';

export interface InfluxServer {
  url: string;
  port: number;
  /** the meta/RPC service's host:port (bind-address), which `influxd backup` and `restore` talk to */
  rpcAddress: string;
  dir: string;
  /** stops the server (SIGTERM), keeping its data for a restart */
  stop(): Promise<void>;
  /** starts it again on the same port and data */
  start(): Promise<void>;
  /** stops it and removes its directory */
  destroy(): Promise<void>;
  /** runs an InfluxQL statement, returns the parsed JSON */
  query(q: string, db?: string): Promise<unknown>;
}

export async function startInflux(): Promise<InfluxServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-influxd-'));
  const port = await freePort();
  const rpcPort = await freePort();
  const conf = path.join(dir, 'influxdb.conf');
  writeFileSync(
    conf,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${dir}/meta"`,
      '[data]',
      `  dir = "${dir}/data"`,
      `  wal-dir = "${dir}/wal"`,
      '  query-log-enabled = false',
      '  cache-snapshot-write-cold-duration = "10s"',
      '[http]',
      `  bind-address = "127.0.0.1:${port}"`,
      '  log-enabled = false',
      '  max-body-size = 0',
      '[logging]',
      '  level = "warn"',
      '[monitor]',
      '  store-enabled = false',
      '[continuous_queries]',
      '  enabled = false',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    child = spawn('influxd', ['-config', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => (log = (log + d).slice(-4000)));
    child.stderr?.on('data', (d) => (log = (log + d).slice(-4000)));
    const exited = new Promise((_, reject) =>
      child?.once('exit', (code) => reject(new Error(`influxd exited with ${code}: ${log}`))),
    );
    await Promise.race([waitFor('influxd', async () => (await fetch(`${url}/ping`)).status === 204), exited]);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 5000).unref();
    });
  };
  await start();
  return {
    url,
    port,
    rpcAddress: `127.0.0.1:${rpcPort}`,
    dir,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    async query(q, db) {
      const params = new URLSearchParams({ q, epoch: 'ms', ...(db ? { db } : {}) });
      const res = await fetch(`${url}/query`, { method: 'POST', body: params });
      return res.json();
    },
  };
}
