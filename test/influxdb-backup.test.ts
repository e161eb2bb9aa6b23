/**
 * deploy/backup-influxdb.sh and restore-influxdb.sh against a private InfluxDB 1.x (influxd backup/restore -portable
 * over its meta/RPC address): the points come back series by series, under a new name or, after a DROP, under
 * their own; what the scripts refuse.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.ts';
import { type InfluxServer, startInflux } from './services/influxd.ts';
import { waitFor } from './services/ports.ts';

const T0 = Date.UTC(2026, 9, 1);
const tmp = tempDir('plantkpi-influx-backup-');
let influx: InfluxServer;

beforeAll(async () => {
  influx = await startInflux();
  await influx.query('CREATE DATABASE plantkpi');
  const readings = Array.from(
    { length: 2000 },
    (_, i) => `reading,site=mg,signal=E${i % 7} value=${i * 0.5} ${T0 + i * 60_000}`,
  );
  const kpis = ['energy_tce', 'co2_t'].map(
    (k, i) => `kpi,site=mg,kpi=${k},period=2026-10 value=${12.5 + i} ${T0}`,
  );
  const res = await fetch(`${influx.url}/write?db=plantkpi&precision=ms`, {
    method: 'POST',
    body: [...readings, ...kpis].join('\n'),
  });
  expect(res.status).toBe(204);
}, 60_000);
afterAll(async () => {
  await influx?.destroy();
  tmp.cleanup();
});

async function script(name: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', [path.join(ROOT, 'deploy', name), ...args], {
      env: { ...process.env, INFLUX_BACKUP_HOST: influx.rpcAddress },
    });
    return { code: 0, out: stdout, err: stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

/** every point of the database, per measurement and series (the restored shards open a moment after restore) */
async function points(db: string): Promise<unknown> {
  let result: unknown;
  await waitFor(`database ${db}`, async () => {
    const r = (await influx.query('SELECT * FROM reading, kpi GROUP BY *', db)) as {
      results: { series?: unknown[]; error?: string }[];
    };
    result = r.results[0]?.series;
    return r.results[0]?.error === undefined && result !== undefined;
  });
  return result;
}

describe('deploy/backup-influxdb.sh and restore-influxdb.sh (InfluxDB 1.x)', { timeout: 30_000 }, () => {
  it('backs up into a new folder and restores under a new name: the same points, series by series', async () => {
    const dir = path.join(tmp.dir, 'b1');
    const b = await script('backup-influxdb.sh', '--database', 'plantkpi', dir);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(
      new RegExp(`^backup-influxdb: database plantkpi from ${influx.rpcAddress} -> ${dir} \\(`, 'm'),
    );
    expect(readdirSync(dir).some((f) => f.endsWith('.manifest'))).toBe(true);
    expect(existsSync(`${dir}.partial`)).toBe(false);

    const r = await script('restore-influxdb.sh', '--newdb', 'plantkpi_restored', dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`restore-influxdb: database plantkpi from ${dir} -> plantkpi_restored`);
    const original = await points('plantkpi');
    expect((original as unknown[]).length).toBe(9); // 7 reading series, 2 kpi series
    expect(await points('plantkpi_restored')).toEqual(original);
  });

  it('after DROP DATABASE, the restore brings it back under its own name', async () => {
    const dir = path.join(tmp.dir, 'b2');
    expect((await script('backup-influxdb.sh', dir)).code).toBe(0);
    const original = await points('plantkpi');
    await influx.query('DROP DATABASE plantkpi');
    expect((await script('restore-influxdb.sh', dir)).code).toBe(0);
    expect(await points('plantkpi')).toEqual(original);
  });

  it('refuses: a restore over a database that exists, a folder without a backup, a backup into a folder that exists; a failed backup leaves nothing', async () => {
    const dir = path.join(tmp.dir, 'b3');
    expect((await script('backup-influxdb.sh', dir)).code).toBe(0);
    const over = await script('restore-influxdb.sh', dir);
    expect(over.code).toBe(1);
    expect(over.err).toMatch(/database may already exist/);
    expect(over.err).toMatch(/restore-influxdb: influxd restore failed .* see --newdb or DROP DATABASE/);

    const empty = path.join(tmp.dir, 'empty');
    mkdirSync(empty);
    const none = await script('restore-influxdb.sh', '--newdb', 'x', empty);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/holds no portable backup/);

    const again = await script('backup-influxdb.sh', dir);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/exists: give a new folder/);

    const missing = path.join(tmp.dir, 'b4');
    const failed = await script('backup-influxdb.sh', '--database', 'no_such_db', missing);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/influxd backup of no_such_db from .* failed/);
    expect(existsSync(missing) || existsSync(`${missing}.partial`)).toBe(false);
  });
});
