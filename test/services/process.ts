/** A child process of a test: its output kept (the last few MB), its exit awaited, stopped with a signal. */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TestProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<Exit>;
  /** stdout and stderr as written so far (the last `keepBytes` of each) */
  stdout(): string;
  stderr(): string;
  /** SIGTERM (or `signal`), then SIGKILL after `killAfterMs`; the exit */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<Exit>;
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
  keepBytes?: number;
}

export function spawnProcess(name: string, argv: string[], o: SpawnOptions): TestProcess {
  const keep = o.keepBytes ?? 4_000_000;
  const child = spawn(argv[0]!, argv.slice(1), {
    env: o.env,
    ...(o.cwd !== undefined ? { cwd: o.cwd } : {}),
    ...(o.uid !== undefined ? { uid: o.uid } : {}),
    ...(o.gid !== undefined ? { gid: o.gid } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out = (out + d).slice(-keep);
  });
  child.stderr?.on('data', (d) => {
    err = (err + d).slice(-keep);
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('error', (e) => {
      err += `\nspawn ${argv[0]}: ${e.message}`;
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    name,
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    async stop(signal = 'SIGTERM', killAfterMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      }
      return exited;
    },
  };
}

/** Runs a command to its end: exit code and output. */
export async function runToEnd(
  argv: string[],
  o: SpawnOptions & { timeoutMs?: number },
): Promise<{ code: number | null; out: string; err: string }> {
  const p = spawnProcess(argv[0]!, argv, o);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
  const { code } = await p.exited;
  clearTimeout(timer);
  return { code, out: p.stdout(), err: p.stderr() };
}
