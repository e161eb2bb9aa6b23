/**
 * `plantkpi collect` as a child process (node bin/plantkpi.js: the pid whose /proc figures are read), and the
 * plant configs the bench gives it. Only default collector options, apart from the spool's fsync.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcStats, procStats } from './proc.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CollectorProcess {
  child: ChildProcess;
  pid: number;
  /** performance.now() at spawn */
  spawnedMs: number;
  /** figures read the moment it printed `collecting` (its sources started: MQTT connected) */
  ready: ProcStats;
  stats(): ProcStats;
  /** throws with its stderr if it has exited */
  assertAlive(): void;
  /** SIGTERM, and waits for the exit (it flushes what it can first) */
  stop(): Promise<void>;
}

export async function startCollector(dir: string, name: string, config: string): Promise<CollectorProcess> {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, config);
  const spawnedMs = performance.now();
  const child = spawn('node', [path.join(ROOT, 'bin', 'plantkpi.js'), 'collect', '--config', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (err = (err + d).slice(-4000)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const died = () => new Error(`collector ${name} exited with ${child.exitCode ?? child.signalCode}: ${err}`);
  const ready = await new Promise<ProcStats>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`collector ${name} not up after 120 s: ${err}`)),
      120_000,
    );
    child.stdout?.on('data', function onData() {
      if (!out.includes('collecting')) return;
      child.stdout?.off('data', onData);
      clearTimeout(timer);
      resolve(procStats(child.pid!));
    });
    exited.then(() => {
      clearTimeout(timer);
      reject(died());
    });
  });
  return {
    child,
    pid: child.pid!,
    spawnedMs,
    ready,
    stats: () => procStats(child.pid!),
    assertAlive() {
      if (child.exitCode !== null || child.signalCode !== null) throw died();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(kill);
    },
  };
}

const HEAD = (dir: string) => `
site: { id: B }
carriers: [{ id: electricity, unit: kWh, emissionScope: 2 }]
organisation: { committee: { id: C }, branches: [{ id: B }] }
collector: { httpPort: 0, deadLetterDir: "${dir}/dead", logLevel: warn }
`;

/** MQTT: meters M-0..M-4 on plant/M-<k>/energy, JSON {"v": value, "ts": epoch ms}. */
export function mqttConfig(o: {
  dir: string;
  brokerUrl: string;
  clientId: string;
  influxUrl: string;
  db: string;
  fsync: boolean;
}): string {
  return `${HEAD(o.dir)}
signals:
${[0, 1, 2, 3, 4].map((i) => `  - { id: M-${i}, kind: counter, unit: kWh, carrier: electricity }`).join('\n')}
sources:
  mqtt:
    - id: broker
      url: ${o.brokerUrl}
      clientId: ${o.clientId}
      subscriptions:
        - { topic: "plant/{meter}/energy", signal: "{meter}", valuePath: v, timePath: ts }
influx: { url: "${o.influxUrl}", database: ${o.db} }
spool: { dir: "${o.dir}/spool-${o.db}", fsync: ${o.fsync} }
`;
}

/** OPC UA: one variable per signal (ns=1;s=<id>), sampled every second. */
export function opcuaConfig(o: {
  dir: string;
  endpoint: string;
  ids: string[];
  influxUrl: string;
  db: string;
}): string {
  return `${HEAD(o.dir)}
signals:
${o.ids.map((id) => `  - { id: ${id}, kind: gauge, unit: kW }`).join('\n')}
sources:
  opcua:
    - id: sim
      endpoint: ${o.endpoint}
      pkiDir: "${o.dir}/client-pki"
      items:
${o.ids.map((id) => `        - { signal: ${id}, nodeId: "ns=1;s=${id}", samplingIntervalMs: 1000 }`).join('\n')}
influx: { url: "${o.influxUrl}", database: ${o.db} }
spool: { dir: "${o.dir}/spool-${o.db}" }
`;
}
