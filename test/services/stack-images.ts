/**
 * How each image of docker-compose.yml runs natively: the compose service's command, environment and health check,
 * translated to the host (compose-native.ts), plus what the image's entrypoint does before its command (InfluxDB's
 * database and users, PostgreSQL's initdb and database, Mosquitto's chown of its data). The plantkpi image is
 * `node bin/plantkpi.js` in the repository (the Dockerfile copies it to /app and makes that the entrypoint).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import pg from 'pg';
import {
  type ComposeService,
  interpolate,
  type Mount,
  mountsOf,
  type PortMap,
  translator,
} from './compose-native.ts';
import { freePort, waitFor } from './ports.ts';
import { binDir, serverUser } from './postgres.ts';
import { runToEnd, type SpawnOptions, spawnProcess, type TestProcess } from './process.ts';

export interface ImageContext {
  repo: string;
  dir: string;
  volumesDir: string;
  ports: PortMap;
  /** the .env */
  env: Record<string, string>;
}

export interface ServiceRunner {
  /** runs what the image's entrypoint runs first, then the service's process */
  start(): Promise<TestProcess>;
  /** resolves once the compose health check passes (absent: the service has none) */
  healthy?(p: TestProcess): Promise<void>;
  /** the image's STOPSIGNAL */
  stopSignal?: NodeJS.Signals;
  /** environment and working directory of the service's processes */
  spawn: SpawnOptions;
  /** plantkpi services: the plant config as this service sees it */
  configFile?: string;
  /** plantkpi services: the command line of `docker compose run --rm <service> <args>` */
  runArgv?(args: string): string;
}

/** The service's runner, or why it cannot run here. */
export function nativeService(name: string, svc: ComposeService, ctx: ImageContext): ServiceRunner | string {
  if (svc.build === '.') return plantkpi(name, svc, ctx);
  const image = svc.image ?? '';
  if (image.startsWith('influxdb:1')) return influxdb(name, svc, ctx);
  if (image.startsWith('redis:')) return redis(name, svc, ctx);
  if (image.startsWith('postgres:')) return postgres(name, svc, ctx);
  if (image.startsWith('eclipse-mosquitto:2')) return mosquitto(name, svc, ctx);
  return `image ${image} has no native counterpart on this machine`;
}

/** the service's environment as compose gives it (interpolated), over the host's PATH and HOME */
function serviceEnv(svc: ComposeService, ctx: ImageContext): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/',
  };
  for (const [k, v] of Object.entries(svc.environment ?? {})) env[k] = interpolate(v, ctx.env);
  return env;
}

function volume(mounts: Mount[], container: string): string {
  const m = mounts.find((x) => x.container === container);
  if (m === undefined) throw new Error(`no mount at ${container}`);
  mkdirSync(m.host, { recursive: true, mode: 0o755 });
  return m.host;
}

const seconds = (d: string | undefined, fallback: number) => {
  const m = /^(\d+)(ms|s|m)$/.exec(d ?? '');
  if (!m) return fallback;
  return Number(m[1]) * (m[2] === 'ms' ? 0.001 : m[2] === 'm' ? 60 : 1);
};

/**
 * The compose health check as a host command (`adapt` puts in what the container's defaults gave: a port, a socket),
 * tried every 300 ms until it passes, failing once compose would call the service unhealthy (retries x interval) or
 * the process has exited.
 */
function healthCheck(
  name: string,
  svc: ComposeService,
  spawn: SpawnOptions,
  t: (s: string) => string,
  adapt: (argv: string[]) => string[] = (a) => a,
): ((p: TestProcess) => Promise<void>) | undefined {
  const hc = svc.healthcheck as { test: string[]; interval?: string; retries?: number } | undefined;
  if (hc === undefined) return undefined;
  const [kind, ...rest] = hc.test;
  const fix = (s: string) => t(interpolate(s, {}));
  const argv = adapt(kind === 'CMD-SHELL' ? ['sh', '-c', fix(rest.join(' '))] : rest.map(fix));
  const timeoutMs = (hc.retries ?? 3) * seconds(hc.interval, 30) * 1000;
  return async (p) => {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      if (p.child.exitCode !== null || p.child.signalCode !== null)
        throw new Error(
          `${name} exited (${p.child.exitCode ?? p.child.signalCode}) before it was healthy: ${p.stderr().slice(-3000)}${p.stdout().slice(-2000)}`,
        );
      const r = await runToEnd(argv, { ...spawn, timeoutMs: 5000 });
      if (r.code === 0) return;
      last = `${r.out}${r.err}`.trim();
      await new Promise((res) => setTimeout(res, 300));
    }
    throw new Error(`${name}: health check ${argv.join(' ')} still failing after ${timeoutMs} ms: ${last}`);
  };
}

/** HTTP basic authentication: InfluxDB 1.x reads credentials from it or from u and p in the URL, never from a form body */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** influxdb:1.x: the image's influxdb.conf and its init-influxdb.sh (database and users) on the first start. */
function influxdb(name: string, svc: ComposeService, ctx: ImageContext): ServiceRunner {
  const mounts = mountsOf(svc, ctx.repo, ctx.volumesDir);
  const t = translator(name, ctx.ports, mounts);
  const env = serviceEnv(svc, ctx);
  const spawn: SpawnOptions = { env };
  const port = ctx.ports[name]!.host;
  return {
    spawn,
    async start() {
      volume(mounts, '/var/lib/influxdb');
      const conf = path.join(ctx.dir, 'influxdb.conf');
      // the image's /etc/influxdb/influxdb.conf; the service's INFLUXDB_* variables override it, as in the container
      writeFileSync(
        conf,
        t(
          [
            '[meta]',
            '  dir = "/var/lib/influxdb/meta"',
            '[data]',
            '  dir = "/var/lib/influxdb/data"',
            '  engine = "tsm1"',
            '  wal-dir = "/var/lib/influxdb/wal"',
            '',
          ].join('\n'),
        ),
      );
      const p = spawnProcess(name, ['influxd', '-config', conf], {
        env: {
          ...env,
          INFLUXDB_HTTP_BIND_ADDRESS: `127.0.0.1:${port}`,
          INFLUXDB_BIND_ADDRESS: `127.0.0.1:${await freePort()}`,
        },
      });
      const url = `http://127.0.0.1:${port}`;
      await waitFor('influxd', async () => (await fetch(`${url}/ping`)).status === 204, 30_000);
      // init-influxdb.sh: the admin first (allowed without credentials while there is no user), then as the admin
      const q = async (statement: string, asAdmin = true) => {
        const headers: Record<string, string> = asAdmin
          ? { authorization: basicAuth(env.INFLUXDB_ADMIN_USER!, env.INFLUXDB_ADMIN_PASSWORD!) }
          : {};
        const body = (await (
          await fetch(`${url}/query`, {
            method: 'POST',
            body: new URLSearchParams({ q: statement }),
            headers,
          })
        ).json()) as {
          error?: string;
          results?: { error?: string }[];
        };
        const error = body.error ?? body.results?.[0]?.error;
        if (error) throw new Error(`influxdb init: ${statement.replace(/'.*'/, "'…'")}: ${error}`);
      };
      const db = env.INFLUXDB_DB;
      await q(
        `CREATE USER "${env.INFLUXDB_ADMIN_USER}" WITH PASSWORD '${env.INFLUXDB_ADMIN_PASSWORD}' WITH ALL PRIVILEGES`,
        false,
      );
      if (db) await q(`CREATE DATABASE "${db}"`);
      for (const [user, grant] of [
        ['INFLUXDB_USER', 'ALL'],
        ['INFLUXDB_WRITE_USER', 'WRITE'],
        ['INFLUXDB_READ_USER', 'READ'],
      ] as const) {
        const u = env[user];
        if (!u) continue;
        await q(`CREATE USER "${u}" WITH PASSWORD '${env[`${user}_PASSWORD`]}'`);
        await q(`REVOKE ALL PRIVILEGES FROM "${u}"`);
        if (db) await q(`GRANT ${grant} ON "${db}" TO "${u}"`);
      }
      return p;
    },
    healthy: healthCheck(name, svc, spawn, t),
  };
}

/** redis:7: compose's command as it is, on its port; the image's working directory is its /data volume. */
function redis(name: string, svc: ComposeService, ctx: ImageContext): ServiceRunner {
  const mounts = mountsOf(svc, ctx.repo, ctx.volumesDir);
  const t = translator(name, ctx.ports, mounts);
  const port = ctx.ports[name]!.host;
  const spawn: SpawnOptions = { env: serviceEnv(svc, ctx), cwd: volume(mounts, '/data') };
  const command = svc.command!.map((a) => t(interpolate(a, {})));
  // the container's port and address: the last word of `sh -c '… redis-server …'` gets them
  command[command.length - 1] += ` --port ${port} --bind 127.0.0.1`;
  return {
    spawn,
    start: async () => spawnProcess(name, command, spawn),
    healthy: healthCheck(name, svc, spawn, t, (argv) =>
      argv.map((s) => s.replace(/\bredis-cli /, `redis-cli -p ${port} `)),
    ),
  };
}

/**
 * postgres:16: docker-entrypoint.sh's first start (initdb with POSTGRES_USER as superuser and POSTGRES_PASSWORD,
 * password authentication over TCP, POSTGRES_DB created), then `postgres`. As root the server runs as the `postgres`
 * user, as in the image. Installed here: PostgreSQL 15.
 */
function postgres(name: string, svc: ComposeService, ctx: ImageContext): ServiceRunner {
  const mounts = mountsOf(svc, ctx.repo, ctx.volumesDir);
  const t = translator(name, ctx.ports, mounts);
  const env = serviceEnv(svc, ctx);
  const spawn: SpawnOptions = { env };
  const port = ctx.ports[name]!.host;
  const bin = binDir();
  const user = serverUser();
  const own = (p: string) => {
    if (user.uid !== undefined && user.gid !== undefined) chownSync(p, user.uid, user.gid);
  };
  return {
    spawn,
    stopSignal: 'SIGINT', // the image's STOPSIGNAL
    async start() {
      const data = volume(mounts, '/var/lib/postgresql/data');
      own(data);
      const run = path.join(ctx.dir, 'postgres-run');
      mkdirSync(run, { mode: 0o755 });
      own(run);
      const pwfile = path.join(run, 'pwfile');
      writeFileSync(pwfile, `${env.POSTGRES_PASSWORD}\n`, { mode: 0o600 });
      own(pwfile);
      execFileSync(
        path.join(bin, 'initdb'),
        [
          '-D',
          data,
          `--username=${env.POSTGRES_USER}`,
          `--pwfile=${pwfile}`,
          '--auth-local=trust',
          '--auth-host=scram-sha-256',
          '-E',
          'UTF8',
          '--locale=C',
          '--no-sync',
        ],
        { stdio: 'ignore', cwd: run, ...user },
      );
      // the entrypoint's pg_hba line: any host, with the password
      writeFileSync(
        path.join(data, 'pg_hba.conf'),
        `${readFileSync(path.join(data, 'pg_hba.conf'), 'utf8')}\nhost all all all scram-sha-256\n`,
      );
      const p = spawnProcess(
        name,
        [path.join(bin, 'postgres'), '-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', run],
        { env, cwd: run, ...user },
      );
      const admin = {
        host: '127.0.0.1',
        port,
        user: env.POSTGRES_USER!,
        password: env.POSTGRES_PASSWORD!,
        database: 'postgres',
      };
      await waitFor(
        'postgres',
        async () => {
          const c = new pg.Client(admin);
          await c.connect();
          await c.end();
          return true;
        },
        30_000,
      );
      const db = env.POSTGRES_DB ?? env.POSTGRES_USER!;
      if (db !== 'postgres') {
        const c = new pg.Client(admin);
        await c.connect();
        await c.query(`CREATE DATABASE "${db}"`);
        await c.end();
      }
      return p;
    },
    // pg_isready in the container finds the server on its default socket; here it is told the port
    healthy: healthCheck(name, svc, spawn, t, ([cmd, ...args]) => [
      cmd === 'pg_isready' ? path.join(bin, 'pg_isready') : cmd!,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      ...args,
    ]),
  };
}

/**
 * eclipse-mosquitto:2: the entrypoint's chown of /mosquitto to the mosquitto user (as root), then compose's command
 * (the password file from the environment, then mosquitto) with deploy/mosquitto.conf adapted in its listener and
 * paths only.
 */
function mosquitto(name: string, svc: ComposeService, ctx: ImageContext): ServiceRunner {
  const conf = path.join(ctx.dir, 'mosquitto.conf');
  const mounts = mountsOf(svc, ctx.repo, ctx.volumesDir, [
    { container: '/mosquitto/config/mosquitto.conf', host: conf },
  ]);
  const t = translator(name, ctx.ports, mounts);
  const { container, host } = ctx.ports[name]!;
  const spawn: SpawnOptions = { env: serviceEnv(svc, ctx) };
  const source = mountsOf(svc, ctx.repo, ctx.volumesDir).find(
    (m) => m.container === '/mosquitto/config/mosquitto.conf',
  )!.host;
  return {
    spawn,
    async start() {
      const data = volume(mounts, '/mosquitto/data');
      if (process.getuid?.() === 0) {
        const id = (flag: string) => Number(execFileSync('id', [flag, 'mosquitto']).toString().trim());
        chownSync(data, id('-u'), id('-g'));
      }
      writeFileSync(
        conf,
        t(readFileSync(source, 'utf8')).replace(
          new RegExp(`^listener ${container} 0\\.0\\.0\\.0$`, 'm'),
          `listener ${host} 127.0.0.1`,
        ),
      );
      // not root: no user to hand the password file to, and none to drop to (the broker stays this user)
      const command = svc.command!.map((a) => {
        const c = t(interpolate(a, {}));
        return process.getuid?.() === 0 ? c : c.replace(/chown mosquitto:mosquitto \S+ && /, '');
      });
      return spawnProcess(name, command, spawn);
    },
    healthy: healthCheck(name, svc, spawn, t, (argv) =>
      argv.map((s) =>
        s.replace(/\bmosquitto_sub -h 127\.0\.0\.1 /, `mosquitto_sub -h 127.0.0.1 -p ${host} `),
      ),
    ),
  };
}

/** Options of plantkpi commands whose value is a host name (the others' names stay: users, topics). */
const HOST_OPTIONS = ['--opcua-host'];
/** Options of plantkpi commands whose value is the service's own port. */
const PORT_OPTIONS = ['--opcua-port'];

/**
 * The example's baselines moved to the replay this stack runs: its dates (from, to, savingsFrom) are days of the
 * replay at the time of writing, and the simulator replays the 31 days before now, so every date of the block moves by
 * the same whole number of days, its earliest to the replay's second local day (its first whole one, with a day to
 * spare). The baseline stays what it is (ten days of the same site), only its calendar follows the replay.
 */
export function baselinesInReplay(block: string, nowMs: number, zone = 'Asia/Shanghai'): string {
  const dates = [...block.matchAll(/"(\d{4}-\d{2}-\d{2})"/g)].map((m) => DateTime.fromISO(m[1]!, { zone }));
  if (dates.length === 0) return block;
  const first = DateTime.fromMillis(nowMs, { zone }).minus({ days: 31 }).startOf('day').plus({ days: 2 });
  const earliest = DateTime.min(...dates)!;
  const shift = Math.round(first.diff(earliest, 'days').days);
  return block.replace(/"(\d{4}-\d{2}-\d{2})"/g, (_, d: string) =>
    JSON.stringify(DateTime.fromISO(d, { zone }).plus({ days: shift }).toFormat('yyyy-MM-dd')),
  );
}

/**
 * The plantkpi image: `node bin/plantkpi.js <command>` in the repository (/app), with the plant config adapted to the
 * host in its addresses, ports and paths (a copy per service: each container has its own /data).
 */
function plantkpi(name: string, svc: ComposeService, ctx: ImageContext): ServiceRunner {
  const CONFIG = '/app/config/examples/compose-site.yaml';
  const configFile = path.join(ctx.dir, `${name}.compose-site.yaml`);
  const mounts = mountsOf(svc, ctx.repo, ctx.volumesDir, [
    { container: CONFIG, host: configFile },
    { container: '/app', host: ctx.repo },
  ]);
  const t = translator(name, ctx.ports, mounts);
  const collector = ctx.ports.collector!;
  writeFileSync(
    configFile,
    t(readFileSync(path.join(ctx.repo, 'config', 'examples', 'compose-site.yaml'), 'utf8'))
      .replace(/^(\s*httpPort:) 9464$/m, `$1 ${collector.host}`)
      .replace(/^(\s*httpHost:) 0\.0\.0\.0$/m, '$1 127.0.0.1')
      .replace(/^baselines:\n(?:[ #].*\n)+/m, (block) => baselinesInReplay(block, Date.now())),
  );
  for (const m of mounts) if (m.container === '/data') mkdirSync(m.host, { recursive: true });
  // the Dockerfile's ENV NODE_ENV=production, then the service's environment
  const spawn: SpawnOptions = { env: { NODE_ENV: 'production', ...serviceEnv(svc, ctx) }, cwd: ctx.repo };
  const own = ctx.ports[name];
  const args = (svc.command ?? []).map((a, i, all) => {
    const option = all[i - 1] ?? '';
    if (HOST_OPTIONS.includes(option) && a in ctx.ports) return '127.0.0.1';
    if (PORT_OPTIONS.includes(option) && own !== undefined && Number(a) === own.container)
      return String(own.host);
    return t(interpolate(a, {}));
  });
  const entry = ['node', path.join(ctx.repo, 'bin', 'plantkpi.js')];
  return {
    spawn,
    configFile,
    start: async () => spawnProcess(name, [...entry, ...args], spawn),
    healthy: healthCheck(name, svc, spawn, t),
    runArgv: (fragment) => `${entry.join(' ')} ${t(fragment)}`,
  };
}
