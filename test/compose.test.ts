/**
 * docker-compose.yml checked against what it names (no Docker engine here): the services and their ports, every
 * mounted file, the Grafana provisioning paths, the plantkpi commands and their config, and that the config
 * reaches the other services by their compose names.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPlantConfig } from '../config/load.ts';
import { cli, ROOT } from './helpers.ts';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, { condition: string }>;
  profiles?: string[];
  restart?: string;
  healthcheck?: { test: string[] };
}
const composeText = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const s = compose.services;
const deps = (svc: Service) =>
  Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
// biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own variable syntax, not a template
const BIND = '${PLANTKPI_BIND:-127.0.0.1}';
/** the services `docker compose up` starts (no opt-in profile) */
const byDefault = Object.entries(s).filter(([, svc]) => svc.profiles === undefined);

describe('docker-compose.yml', () => {
  it('has the stack, and by default publishes Grafana alone, on the address the user sets', () => {
    expect(byDefault.map(([n]) => n).sort()).toEqual(
      [
        'collector',
        'grafana',
        'influxdb',
        'mosquitto',
        'postgres',
        'redis',
        'scheduler',
        'simulator',
        'worker',
      ].sort(),
    );
    expect(byDefault.filter(([, svc]) => svc.ports !== undefined).map(([n]) => n)).toEqual(['grafana']);
    expect(s.grafana!.ports).toEqual([`${BIND}:3000:3000`]);
    // the broker and the collector's metrics only with --profile expose, on the same address
    const exposed = Object.entries(s).filter(([, svc]) => svc.profiles?.includes('expose'));
    expect(exposed.flatMap(([, svc]) => svc.ports ?? []).sort()).toEqual([
      `${BIND}:1883:1883`,
      `${BIND}:9464:9464`,
    ]);
    for (const svc of Object.values(s)) for (const d of deps(svc)) expect(Object.keys(s)).toContain(d);
  });

  it('keeps what must last: Redis with AOF every second and noeviction, volumes for Redis and PostgreSQL', () => {
    const redis = s.redis!.command!.join(' ');
    expect(redis).toMatch(/--appendonly yes --appendfsync everysec --maxmemory-policy noeviction/);
    expect(redis).toMatch(/--requirepass "\$\$REDIS_PASSWORD"/);
    expect(s.redis!.volumes).toEqual(['redis-data:/data']);
    expect(s.postgres!.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
  });

  it('turns authentication on everywhere and takes every secret from the environment', () => {
    expect(s.influxdb!.environment!.INFLUXDB_HTTP_AUTH_ENABLED).toBe('true');
    const conf = readFileSync(path.join(ROOT, 'deploy', 'mosquitto.conf'), 'utf8');
    expect(conf).toMatch(/^allow_anonymous false$/m);
    expect(conf).toMatch(/^password_file /m);
    expect(conf).toMatch(/^acl_file \/mosquitto\/config\/mosquitto\.acl$/m);
    const acl = readFileSync(path.join(ROOT, 'deploy', 'mosquitto.acl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    expect(acl).toEqual(['user collector', 'topic read site/#', 'user simulator', 'topic write site/#']);
    expect(s.grafana!.environment!.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
    const secrets = Object.entries(s).flatMap(([name, svc]) =>
      Object.entries(svc.environment ?? {})
        .filter(([k]) => /PASSWORD|TOKEN|SECRET/.test(k))
        .map(([k, v]) => [`${name}.${k}`, v] as const),
    );
    expect(secrets.length).toBeGreaterThan(10);
    for (const [where, v] of secrets) expect(v, where).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    // every variable the file reads is in the example env file, and .env itself is never committed
    const vars = new Set([...composeText.matchAll(/\$\{([A-Z_]+)[:}]/g)].map((m) => m[1]!));
    const example = readFileSync(path.join(ROOT, 'deploy', 'plantkpi.env.example'), 'utf8');
    for (const v of vars) expect(example, v).toMatch(new RegExp(`^${v}=`, 'm'));
    expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    // the Grafana data source reads InfluxDB as its read-only user, its password from the environment
    const ds = parse(
      readFileSync(path.join(ROOT, 'dashboards/provisioning/datasources/influxdb.yaml'), 'utf8'),
    );
    expect(ds.datasources[0].user).toBe(s.influxdb!.environment!.INFLUXDB_READ_USER);
    expect(ds.datasources[0].secureJsonData.password).toBe('$PLANTKPI_GRAFANA_INFLUX_PASSWORD');
    expect(s.grafana!.environment!.PLANTKPI_GRAFANA_INFLUX_PASSWORD).toBeDefined();
  });

  it('starts each service once what it needs is healthy, and restarts what stops', () => {
    for (const [name, svc] of byDefault) expect(svc.restart, name).toBe('unless-stopped');
    for (const name of ['influxdb', 'grafana', 'redis', 'postgres', 'mosquitto', 'collector'])
      expect(s[name]!.healthcheck?.test.length, name).toBeGreaterThan(0);
    const healthy = (svc: Service) =>
      Object.entries(svc.depends_on as Record<string, { condition: string }>)
        .filter(([, d]) => d.condition === 'service_healthy')
        .map(([n]) => n)
        .sort();
    expect(healthy(s.collector!)).toEqual(['influxdb', 'mosquitto']);
    expect(healthy(s.scheduler!)).toEqual(['influxdb', 'postgres', 'redis']);
    expect(healthy(s.worker!)).toEqual(['influxdb', 'postgres', 'redis']);
    expect(healthy(s.simulator!)).toEqual(['mosquitto']);
    // the simulator replays once the collector (and so its persistent session) is up
    const sim = s.simulator!.command!;
    expect(sim[sim.indexOf('--wait-for') + 1]).toBe('http://collector:9464/health');
    expect(sim[sim.indexOf('--mqtt-user') + 1]).toBe('simulator');
  });

  it('mounts only files that exist, and named volumes it declares', () => {
    for (const [name, svc] of Object.entries(s)) {
      for (const v of svc.volumes ?? []) {
        const [src] = v.split(':');
        if (src!.startsWith('./')) expect(existsSync(path.join(ROOT, src!)), `${name}: ${src}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: volume ${src}`).toContain(src);
      }
    }
    expect(existsSync(path.join(ROOT, 'Dockerfile'))).toBe(true);
    expect(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).toMatch(
      /ENTRYPOINT \["node", "bin\/plantkpi\.js"\]/,
    );
    expect(readFileSync(path.join(ROOT, 'deploy', 'mosquitto.conf'), 'utf8')).toMatch(/^listener 1883/m);
  });

  it('gives Grafana the provisioning and the boards where the provider and the data source expect them', () => {
    const g = s.grafana!;
    expect(g.volumes).toContain('./dashboards/provisioning:/etc/grafana/provisioning:ro');
    const boards = g.volumes!.find((v) => v.startsWith('./dashboards/boards:'))!.split(':')[1];
    const provider = parse(
      readFileSync(path.join(ROOT, 'dashboards/provisioning/dashboards/plantkpi.yaml'), 'utf8'),
    );
    expect(provider.providers[0].options.path).toBe(boards);
    const ds = parse(
      readFileSync(path.join(ROOT, 'dashboards/provisioning/datasources/influxdb.yaml'), 'utf8'),
    );
    expect(new URL(ds.datasources[0].url).host).toBe('influxdb:8086');
    expect(ds.datasources[0].database).toBe(s.influxdb!.environment!.INFLUXDB_DB);
    expect(
      existsSync(
        path.join(
          ROOT,
          'dashboards/boards',
          path.basename(g.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!),
        ),
      ),
    ).toBe(true);
  });

  it('runs plantkpi commands that exist, with a config that validates and reaches the services by name', async () => {
    const help = (await cli('help')).out;
    const built = Object.entries(s).filter(([, svc]) => svc.build === '.');
    expect(built.map(([n]) => n).sort()).toEqual(['collector', 'scheduler', 'simulator', 'worker']);
    for (const [name, svc] of built) {
      const cmd = svc.command!;
      expect(help, `${name}: ${cmd[0]}`).toContain(`plantkpi ${cmd[0]} `);
      const i = cmd.indexOf('--config');
      if (i < 0) continue;
      const file = path.join(ROOT, cmd[i + 1]!.replace(/^\/app\//, ''));
      const { config } = loadPlantConfig(file);
      expect(new URL(config.sources.mqtt[0]!.url).host).toBe('mosquitto:1883');
      // each credential the config names is one the service's environment carries
      expect(config.sources.mqtt[0]!.username).toBe('collector');
      expect(new URL(config.records!.url!).host).toBe('postgres:5432');
      for (const ref of [
        config.sources.mqtt[0]!.password,
        config.influx!.password,
        config.jobs.redis.password,
        config.records!.password,
      ])
        expect(Object.keys(svc.environment!), name).toContain(ref!.env);
      const sim = s.simulator!.command!;
      expect(config.sources.opcua[0]!.endpoint).toBe(
        `opc.tcp://simulator:${sim[sim.indexOf('--opcua-port') + 1]}/plantkpi/sim`,
      );
      // the simulator advertises the name the collector reaches it by
      expect(sim[sim.indexOf('--opcua-host') + 1]).toBe('simulator');
      expect(new URL(config.influx!.url).host).toBe('influxdb:8086');
      expect(new URL(config.jobs.redis.url).host).toBe('redis:6379');
      expect(config.collector.httpPort).toBe(9464);
    }
    expect(s.simulator!.command).toContain('mqtt://mosquitto:1883');
  });

  it('backs up (deploy/backup.sh) through the services, users, databases and config the stack has', async () => {
    const text = readFileSync(path.join(ROOT, 'deploy', 'backup.sh'), 'utf8');
    const calls = [...text.matchAll(/^docker compose (run|exec|cp) (.*)$/gm)].map(([, verb, rest]) => ({
      verb,
      service: verb === 'cp' ? /"(\w+):/.exec(rest!)?.[1] : rest!.split(' ').find((w) => !w.startsWith('-')),
      rest: rest!,
    }));
    expect(calls.map((c) => `${c.verb} ${c.service}`)).toEqual([
      'run worker',
      'exec postgres',
      'exec influxdb',
      'cp influxdb',
      'exec influxdb',
    ]);
    // the worker's own config (records.url names the postgres service), and a plantkpi command that exists
    const worker = s.worker!.command!;
    expect(/^config=(\S+)$/m.exec(text)?.[1]).toBe(worker[worker.indexOf('--config') + 1]);
    expect(calls[0]!.rest).toBe(
      '--rm --no-deps -T worker records backup --config "$config" --out - >"$work/records.jsonl"',
    );
    expect((await cli('help')).out).toContain('plantkpi records backup --config FILE');
    const pg = s.postgres!.environment!;
    expect(calls[1]!.rest).toContain(`pg_dump -U ${pg.POSTGRES_USER} -d ${pg.POSTGRES_DB} -Fc`);
    expect(calls[2]!.rest).toContain(`influxd backup -portable -db ${s.influxdb!.environment!.INFLUXDB_DB} `);
    for (const f of ['backup.sh', 'backup-influxdb.sh', 'restore-influxdb.sh'])
      expect(spawnSync('bash', ['-n', path.join(ROOT, 'deploy', f)]).status, f).toBe(0);
  });
});
