/** A private Mosquitto broker for one test file: temp dir, free port, persistence on, stopped and removed after. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.ts';

export interface Broker {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
  /** rewrites the users file (a broker started with `users`) and has a running broker reload it (SIGHUP) */
  setUsers(users: Record<string, string>): Promise<void>;
}

export interface BrokerOptions {
  /** extra mosquitto.conf lines (e.g. a TLS listener) */
  extra?: string[];
  /** users file lines `user:password` (hashed by mosquitto_passwd); absent = anonymous allowed */
  users?: Record<string, string>;
  /**
   * `max_inflight_messages`: the broker's outgoing QoS 1/2 window per client, i.e. how many messages it sends a
   * subscriber before waiting for PUBACKs (default 100 here; mosquitto's own default is 20). A subscriber that
   * acknowledges late (after a group commit) is held to this many messages per commit, so a benchmark wants more.
   * Mosquitto 2.0 starts every client at this value, but an MQTT 5 client whose CONNECT carries Receive Maximum
   * gets that value instead (src/property_broker.c, property__process_connect), larger or smaller: the option
   * binds MQTT 3.1.1 clients and MQTT 5 clients that advertise no Receive Maximum. It is also the Receive Maximum
   * the broker announces in its CONNACK to MQTT 5 clients (their window for publishing to it). 0 = no limit.
   */
  maxInflight?: number;
  /**
   * `autosave_interval`: seconds between the broker's saves of its whole in-memory database (default 1 here, so that
   * a broker killed in a test keeps what it had; mosquitto's own default is 1800). Each save writes every queued
   * message: with a backlog of 200,000 messages a save a second is most of the broker's work, so a benchmark of
   * throughput wants the production value.
   */
  autosaveIntervalS?: number;
  /** listen on this port (a test that starts a client before its broker); default a free one */
  port?: number;
}

export async function startMosquitto(opts: BrokerOptions = {}): Promise<Broker> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-mosquitto-'));
  const port = opts.port ?? (await freePort());
  const conf = path.join(dir, 'mosquitto.conf');
  const lines = [
    `listener ${port} 127.0.0.1`,
    'persistence true',
    `persistence_location ${dir}/`,
    `autosave_interval ${opts.autosaveIntervalS ?? 1}`,
    'max_queued_messages 1000000',
    `max_inflight_messages ${opts.maxInflight ?? 100}`,
    'log_dest none',
  ];
  // as root, mosquitto drops to its own user, which cannot read a private temp dir: stay the caller instead
  if (process.getuid?.() === 0) lines.unshift('user root');
  const pw = path.join(dir, 'passwd');
  const writeUsers = async (users: Record<string, string>) => {
    writeFileSync(
      pw,
      Object.entries(users)
        .map(([u, p]) => `${u}:${p}`)
        .join('\n') + '\n',
    );
    await run('mosquitto_passwd', ['-U', pw]);
  };
  if (opts.users) {
    await writeUsers(opts.users);
    lines.push('allow_anonymous false', `password_file ${pw}`);
  } else lines.push('allow_anonymous true');
  writeFileSync(conf, [...lines, ...(opts.extra ?? [])].join('\n') + '\n');
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
    await waitFor('mosquitto', () => canConnect(port));
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dir,
    start,
    stop,
    async setUsers(users) {
      if (!opts.users) throw new Error('this broker was started without users');
      await writeUsers(users);
      child?.kill('SIGHUP');
    },
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: 'ignore' });
    c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
  });
}
