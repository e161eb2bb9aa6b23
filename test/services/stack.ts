/**
 * The compose stack as native processes (no Docker engine here): every service of docker-compose.yml that this
 * machine can run, from the file's own commands, environment, health checks and `depends_on` order, on free
 * loopback ports with a folder per volume. The images' own start-up (InfluxDB's users, PostgreSQL's initdb and
 * database, Mosquitto's chown of its data) is done as their entrypoints do it (./stack-images.ts). A service whose
 * image has no native counterpart here (Grafana) is skipped and named in `skipped`.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type ComposeFile,
  dependencies,
  envFromExample,
  interpolate,
  type PortMap,
  readCompose,
  startOrder,
} from './compose-native.ts';
import { freePort } from './ports.ts';
import { type Exit, runToEnd, type TestProcess } from './process.ts';
import { basicAuth, type ImageContext, nativeService, type ServiceRunner } from './stack-images.ts';

/**
 * The port each service listens on inside its container: the images' defaults, the simulator's --opcua-port and the
 * collector's collector.httpPort (test/compose.test.ts checks those two against the config).
 */
const CONTAINER_PORTS: Record<string, number> = {
  influxdb: 8086,
  redis: 6379,
  postgres: 5432,
  mosquitto: 1883,
  simulator: 4840,
  collector: 9464,
};

export interface NativeStack {
  dir: string;
  /** the .env written from deploy/plantkpi.env.example */
  env: Record<string, string>;
  ports: PortMap;
  /** the services started, in the order they started */
  started: string[];
  /** when each service started and became healthy (ms since the epoch) */
  timeline: { service: string; event: 'started' | 'healthy'; atMs: number }[];
  /** services not run here, and why */
  skipped: Record<string, string>;
  process(name: string): TestProcess;
  /** the plant config as a service reads it (config/examples/compose-site.yaml adapted to the host) */
  configFile(service: string): string;
  /**
   * `docker compose run --rm <service> <args>`: `args` is a shell fragment (as a README gives it), run with the
   * service's environment and mounts
   */
  run(
    service: string,
    args: string,
    timeoutMs?: number,
  ): Promise<{ code: number | null; out: string; err: string }>;
  /** an InfluxQL statement as one of the users the InfluxDB service creates; the first statement's result */
  influx(q: string, user: string): Promise<InfluxResult>;
  /** stops every service, dependents first, as `docker compose down` does; each one's exit */
  stop(): Promise<Record<string, Exit>>;
  /** removes the folder (after stop) */
  destroy(): void;
}

export interface InfluxResult {
  error?: string;
  series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[];
}

export interface StackOptions {
  repo: string;
  /** one line per service started and healthy (the test's progress) */
  log?: (line: string) => void;
}

export async function startNativeStack(o: StackOptions): Promise<NativeStack> {
  const compose: ComposeFile = readCompose(path.join(o.repo, 'docker-compose.yml'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-stack-'));
  // the images' own users (mosquitto, postgres) reach their volumes below it
  chmodSync(dir, 0o755);
  const env = envFromExample(readFileSync(path.join(o.repo, 'deploy', 'plantkpi.env.example'), 'utf8'));
  writeFileSync(
    path.join(dir, '.env'),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const ports: PortMap = {};
  for (const [name, container] of Object.entries(CONTAINER_PORTS))
    ports[name] = { container, host: await freePort() };
  const volumesDir = path.join(dir, 'volumes');
  mkdirSync(volumesDir, { mode: 0o755 });
  const ctx: ImageContext = { repo: o.repo, dir, volumesDir, ports, env };

  const order = startOrder(compose);
  const runners = new Map<string, ServiceRunner>();
  const skipped: Record<string, string> = {};
  for (const name of order) {
    const r = nativeService(name, compose.services[name]!, ctx);
    if (typeof r === 'string') skipped[name] = r;
    else runners.set(name, r);
  }
  const procs = new Map<string, TestProcess>();
  const started: string[] = [];
  const timeline: NativeStack['timeline'] = [];
  const isStarted = new Map<string, Promise<void>>();
  const isHealthy = new Map<string, Promise<void>>();
  for (const name of order) {
    const runner = runners.get(name);
    const deps = dependencies(compose.services[name]!);
    if (runner === undefined) {
      const dependents = order.filter((n) => name in dependencies(compose.services[n]!));
      if (dependents.length > 0)
        throw new Error(`${name} cannot run here (${skipped[name]}) but ${dependents.join(', ')} need it`);
      continue;
    }
    const ready = Promise.all(
      Object.entries(deps).map(([d, condition]) =>
        condition === 'service_healthy' ? isHealthy.get(d) : isStarted.get(d),
      ),
    );
    const start = ready.then(async () => {
      const p = await runner.start();
      procs.set(name, p);
      started.push(name);
      timeline.push({ service: name, event: 'started', atMs: Date.now() });
      o.log?.(`${name} started`);
    });
    isStarted.set(name, start);
    isHealthy.set(
      name,
      start.then(async () => {
        if (!runner.healthy) return;
        await runner.healthy(procs.get(name)!);
        timeline.push({ service: name, event: 'healthy', atMs: Date.now() });
        o.log?.(`${name} healthy`);
      }),
    );
  }
  const stop = async () => {
    const exits: Record<string, Exit> = {};
    // dependents first: the reverse of the start order
    for (const name of [...started].reverse()) {
      exits[name] = await procs.get(name)!.stop(runners.get(name)!.stopSignal ?? 'SIGTERM', 10_000);
    }
    return exits;
  };
  try {
    await Promise.all([...isHealthy.values()]);
  } catch (err) {
    await Promise.allSettled([...isStarted.values()]);
    await stop();
    const logs = [...procs.values()]
      .map((p) => `--- ${p.name}\n${p.stdout().slice(-2000)}${p.stderr().slice(-3000)}`)
      .join('\n');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${logs}`);
  }

  const influxEnv = Object.fromEntries(
    Object.entries(compose.services.influxdb?.environment ?? {}).map(([k, v]) => [k, interpolate(v, env)]),
  );
  // the users the image's init creates, with their passwords
  const influxUsers: Record<string, string> = {};
  for (const [user, password] of [
    ['INFLUXDB_ADMIN_USER', 'INFLUXDB_ADMIN_PASSWORD'],
    ['INFLUXDB_USER', 'INFLUXDB_USER_PASSWORD'],
    ['INFLUXDB_WRITE_USER', 'INFLUXDB_WRITE_USER_PASSWORD'],
    ['INFLUXDB_READ_USER', 'INFLUXDB_READ_USER_PASSWORD'],
  ] as const)
    if (influxEnv[user]) influxUsers[influxEnv[user]] = influxEnv[password] ?? '';

  return {
    dir,
    env,
    ports,
    started,
    timeline,
    skipped,
    process: (name) => {
      const p = procs.get(name);
      if (p === undefined) throw new Error(`service ${name} was not started`);
      return p;
    },
    configFile: (service) => runners.get(service)!.configFile!,
    run: (service, args, timeoutMs = 60_000) => {
      const r = runners.get(service)!;
      return runToEnd(['sh', '-c', `exec ${r.runArgv!(args)}`], { ...r.spawn, timeoutMs });
    },
    async influx(q, user) {
      const params = new URLSearchParams({ q, db: influxEnv.INFLUXDB_DB ?? '', epoch: 'ms' });
      const res = await fetch(`http://127.0.0.1:${ports.influxdb!.host}/query`, {
        method: 'POST',
        body: params,
        headers: { authorization: basicAuth(user, influxUsers[user] ?? '') },
      });
      const body = (await res.json()) as { error?: string; results?: InfluxResult[] };
      if (body.error) return { error: body.error };
      return body.results![0]!;
    },
    stop,
    destroy: () => rmSync(dir, { recursive: true, force: true }),
  };
}
