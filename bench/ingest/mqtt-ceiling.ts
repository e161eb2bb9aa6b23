/**
 * What the broker and the publishers manage without the collector: the same 4 mosquitto_pub processes, and
 * mosquitto_sub (QoS 1, persistent session, acknowledging each message as it arrives) as the subscriber. On a small
 * shared machine the broker (one thread, a few syscalls per packet) can be the limit; this says where it is.
 */
import { spawn } from 'node:child_process';
import type { Bench } from './cases.ts';
import { clearSession, publishAll, publishProbe, writePublisherFiles } from './publish.ts';

interface Sub {
  /** resolves when `count` messages have arrived (performance.now() of the first and of the last) */
  done: Promise<{ firstMs: number; lastMs: number }>;
  /** resolves at the first message */
  first: Promise<void>;
  /** the next message counts as the first (the probes are behind us) */
  restartClock(): void;
  spawnedMs: number;
}

function mosquittoSub(port: number, clientId: string, count: number): Sub {
  const spawnedMs = performance.now();
  const child = spawn(
    'mosquitto_sub',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-q',
      '1',
      '-c',
      '-i',
      clientId,
      '-t',
      'plant/#',
      '-C',
      String(count),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let seen = 0;
  let firstMs = 0;
  let lastMs = 0;
  let onFirst: () => void = () => {};
  const first = new Promise<void>((r) => (onFirst = r));
  child.stdout?.on('data', (d: Buffer) => {
    const now = performance.now();
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) seen++;
    if (firstMs === 0) {
      firstMs = now;
      onFirst();
    }
    lastMs = now;
  });
  let err = '';
  child.stderr?.on('data', (d) => (err = (err + d).slice(-2000)));
  const done = new Promise<{ firstMs: number; lastMs: number }>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGTERM'), 600_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 && seen >= count) resolve({ firstMs, lastMs });
      else reject(new Error(`mosquitto_sub ${clientId}: ${seen} of ${count} messages, exit ${code}: ${err}`));
    });
  });
  done.catch(() => {});
  return { done, first, spawnedMs, restartClock: () => (firstMs = 0) };
}

/** msgs/s from the first to the last message mosquitto_sub receives, publishers and subscriber at once */
export async function ceilingLive(b: Bench, run: number): Promise<number> {
  const name = `ceiling_live_${run}`;
  const files = writePublisherFiles(b.dir, name, b.messages);
  const sub = mosquittoSub(b.broker.port, `bench-sub-${name}`, 1 + b.messages);
  await probeUntilFirst(b, name, sub);
  sub.restartClock();
  const publishing = publishAll(b.broker.port, name, files);
  const t = await sub.done;
  await publishing;
  await clearSession(b.broker.port, `bench-sub-${name}`);
  return b.messages / ((t.lastMs - t.firstMs) / 1000);
}

/** msgs/s for mosquitto_sub to drain its queued session, from its spawn to the last message */
export async function ceilingBacklog(b: Bench, run: number): Promise<number> {
  const name = `ceiling_backlog_${run}`;
  const files = writePublisherFiles(b.dir, name, b.messages);
  const id = `bench-sub-${name}`;
  const once = mosquittoSub(b.broker.port, id, 1);
  await probeUntilFirst(b, name, once);
  await once.done;
  await publishAll(b.broker.port, name, files);
  const sub = mosquittoSub(b.broker.port, id, b.messages);
  const t = await sub.done;
  await clearSession(b.broker.port, id);
  return b.messages / ((t.lastMs - sub.spawnedMs) / 1000);
}

/** probes until the subscriber has its first message (its subscription may not be in place for the first probe) */
async function probeUntilFirst(b: Bench, name: string, sub: Sub): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await publishProbe(b.broker.port, `${name}-${i}`);
    const got = await Promise.race([sub.first.then(() => true), sleep(200).then(() => false)]);
    if (got) return;
  }
  throw new Error(`${name}: mosquitto_sub never received a probe`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
