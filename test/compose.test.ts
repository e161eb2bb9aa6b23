/**
 * docker-compose.yml checked against what it names (no Docker engine here): the services and their ports, every
 * mounted file, the Grafana provisioning paths, the plantkpi commands and their config, and that the config
 * reaches the other services by their compose names.
 */
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
  depends_on?: string[];
}
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const s = compose.services;

describe('docker-compose.yml', () => {
  it('has the stack: InfluxDB, Grafana, Redis, Mosquitto, the simulator, collector, scheduler and worker', () => {
    expect(Object.keys(s).sort()).toEqual(
      ['collector', 'grafana', 'influxdb', 'mosquitto', 'redis', 'scheduler', 'simulator', 'worker'].sort(),
    );
    const port = (name: string) => s[name]!.ports?.[0]?.split(':').map(Number);
    expect(port('influxdb')).toEqual([8086, 8086]);
    expect(port('grafana')).toEqual([3000, 3000]);
    expect(port('redis')).toEqual([6379, 6379]);
    expect(port('mosquitto')).toEqual([1883, 1883]);
    expect(port('simulator')).toEqual([4840, 4840]);
    expect(port('collector')).toEqual([9464, 9464]);
    for (const svc of Object.values(s))
      for (const d of svc.depends_on ?? []) expect(Object.keys(s)).toContain(d);
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
});
