/** `plantkpi collect` as a child process for end-to-end tests: its port, its metrics and health, its exit. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import { waitFor } from './ports.ts';

export interface CollectorProcess {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
  /** what it wrote to stderr (JSON log lines) */
  stderr(): string;
  /** a counter or gauge from /metrics, summed over its label sets; 0 when absent */
  metric(name: string): Promise<number>;
  health(): Promise<{ status: string; reasons: string[]; [k: string]: unknown }>;
}

export async function startCollectorProcess(
  configFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CollectorProcess> {
  const child = spawn('node', [path.join(ROOT, 'bin', 'plantkpi.js'), 'collect', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await waitFor('collector', async () => /http:\/\/[\d.]+:\d+/.test(out), 30_000).catch((e) => {
    throw new Error(`${e.message}\nstdout: ${out}\nstderr: ${err.slice(-2000)}`);
  });
  const port = Number(/http:\/\/[\d.]+:(\d+)/.exec(out)![1]);
  return {
    child,
    port,
    exited,
    stderr: () => err,
    async metric(name) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      let sum = 0;
      for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm')))
        sum += Number(m[1]);
      return sum;
    },
    async health() {
      return (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
        status: string;
        reasons: string[];
      };
    },
  };
}
