/**
 * Foreign publishers: Debian's mosquitto_pub, one process per meter, each reading its messages one per line from a
 * file prepared beforehand (`-l`), QoS 1. Separate processes, so the publishers share neither the bench's event
 * loop nor the collector's CPU accounting.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PUBLISHERS = 4;

/**
 * `-M`: mosquitto_pub's own window of unacknowledged QoS 1 messages (libmosquitto's default is 20, which would
 * make each publisher wait a round trip per 20 messages).
 */
const PUB_INFLIGHT = 1000;

export interface PublisherFiles {
  /** one file per publisher k, for topic plant/M-<k>/energy */
  files: string[];
  total: number;
}

/**
 * n messages in all, spread over the publishers: `{"v":<seq>,"ts":<ms>}` with ts an hour ago + seq, near enough to
 * now for any reading window, and distinct per meter (the series' points never overwrite one another).
 */
export function writePublisherFiles(dir: string, name: string, n: number): PublisherFiles {
  const base = Date.now() - 3600e3;
  const files: string[] = [];
  for (let k = 0; k < PUBLISHERS; k++) {
    const lines: string[] = [];
    for (let seq = k; seq < n; seq += PUBLISHERS) lines.push(`{"v":${seq},"ts":${base + seq}}`);
    const file = path.join(dir, `${name}-pub-${k}.txt`);
    writeFileSync(file, lines.join('\n') + '\n');
    files.push(file);
  }
  return { files, total: n };
}

function mosquittoPub(port: number, clientId: string, topic: string, args: string[], stdinFile?: string) {
  const fd = stdinFile === undefined ? 'ignore' : openSync(stdinFile, 'r');
  const child = spawn(
    'mosquitto_pub',
    ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-i', clientId, '-t', topic, ...args],
    { stdio: [fd, 'ignore', 'pipe'] },
  );
  if (typeof fd === 'number') closeSync(fd);
  let err = '';
  child.stderr?.on('data', (d) => (err = (err + d).slice(-2000)));
  return new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`mosquitto_pub ${clientId} exited with ${code}: ${err}`)),
    );
  });
}

/** Runs all publishers at once; resolves with the seconds they took (when the last one has its PUBACKs). */
export async function publishAll(port: number, name: string, p: PublisherFiles): Promise<number> {
  const t = performance.now();
  await Promise.all(
    p.files.map((file, k) =>
      mosquittoPub(
        port,
        `bench-pub-${name}-${k}`,
        `plant/M-${k}/energy`,
        ['-l', '-M', String(PUB_INFLIGHT)],
        file,
      ),
    ),
  );
  return (performance.now() - t) / 1000;
}

/** One message on meter M-4 (no publisher uses it): proves the collector's subscription is in place. */
export function publishProbe(port: number, name: string): Promise<void> {
  const body = JSON.stringify({ v: 1, ts: Date.now() - 3600e3 });
  return mosquittoPub(port, `bench-probe-${name}`, 'plant/M-4/energy', ['-m', body]);
}

/**
 * Ends a persistent session left by a case (a collector's or the ceiling's subscriber): a clean-session connection
 * with the same client id makes the broker drop it, so later cases' messages are not queued for it as well.
 */
export function clearSession(port: number, clientId: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(
      'mosquitto_sub',
      ['-h', '127.0.0.1', '-p', String(port), '-i', clientId, '-t', 'bench/session-cleared', '-E'],
      { stdio: 'ignore' },
    );
    const timer = setTimeout(() => child.kill('SIGTERM'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('error', () => resolve());
  });
}
