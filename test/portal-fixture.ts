/**
 * The portal's tests on real data: the reference plant's October 2026 imported into a fresh data directory (with a
 * pledge per branch and a manual task per branch added to its tasks), the embedded records store shared in turns as
 * `plantkpi serve` opens it, and one user per role in it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { loadPlantConfig } from '../config/load.ts';
import { compilePlant } from '../kpi/plant.ts';
import { buildPortal, type PortalOptions } from '../portal/app.ts';
import { recordsTarget } from '../records/open.ts';
import type { RecordsStore } from '../records/port.ts';
import { openSharedRecords } from '../records/shared.ts';
import { openStore } from '../store/open.ts';
import type { SeriesStore } from '../store/port.ts';
import { cli, REFERENCE, REFERENCE_CONFIG, tempDir } from './helpers.ts';
import { addTestUsers, password } from './portal-users.ts';

export const EXTRA_TASKS = `
  - { id: P-PWR, title: 锅炉房安全生产无事故 No accident in the boiler house, kind: pledge, owner: { type: branch, id: B-PWR }, due: "2026-10-31", points: 3 }
  - { id: P-ELY, title: 电解党支部承诺完成槽控系统升级 Cell control upgrade, kind: pledge, owner: { type: branch, id: B-ELY }, due: "2026-12-31", points: 2 }
  - { id: M-ELY, title: 电解一区照明改造 Lighting retrofit, kind: task, owner: { type: area, id: A-ELY-1 }, due: "2026-12-31", points: 1 }
  - { id: M-PWR, title: 锅炉保温修复 Boiler insulation repair, kind: task, owner: { type: team, id: T-BLR }, due: "2026-12-31", points: 1 }
`;

export const PERIOD = '2026-10';
/** the test's "now": early November, the October month complete */
export const T0 = Date.parse('2026-11-03T09:00:00+08:00');

export { password, USERS } from './portal-users.ts';

export interface Fixture {
  dir: string;
  config: string;
  data: string;
  app: FastifyInstance;
  store: SeriesStore;
  records: RecordsStore;
  clock: { ms: number };
  build: (o?: Partial<PortalOptions>) => Promise<FastifyInstance>;
  cleanup: () => Promise<void>;
}

/** The reference plant's October with the extra tasks, in a fresh data directory. */
export async function portalData(prefix: string) {
  const tmp = tempDir(prefix);
  const config = path.join(tmp.dir, 'plant.yaml');
  const data = path.join(tmp.dir, 'data');
  writeFileSync(
    config,
    readFileSync(REFERENCE_CONFIG, 'utf8').replace(/\ntasks:\n/, `\ntasks:${EXTRA_TASKS}`),
  );
  const r = await cli('import', path.join(REFERENCE, 'readings.csv'), '--config', config, '--data', data);
  expect(r.code, r.err).toBe(0);
  return { tmp, config, data };
}

export async function portalFixture(prefix: string): Promise<Fixture> {
  const { tmp, config, data } = await portalData(prefix);
  const parsed = loadPlantConfig(config).config;
  const plant = compilePlant(parsed);
  const clock = { ms: T0 };
  const now = () => clock.ms;
  const store = await openStore(parsed, data);
  const shared = await openSharedRecords(recordsTarget(parsed, data), { now });
  await addTestUsers(shared);
  const records = shared;
  const build = (o: Partial<PortalOptions> = {}) =>
    buildPortal({ plant, dataDir: data, store, records, now, ...o });
  const app = await build();
  return {
    dir: tmp.dir,
    config,
    data,
    app,
    store,
    records: shared,
    clock,
    build,
    cleanup: async () => {
      await app.close();
      await store.close();
      await shared.close();
      tmp.cleanup();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
}

export async function login(app: FastifyInstance, username: string): Promise<Session> {
  const r = await app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { username, password: password(username) },
  });
  expect(r.statusCode, r.body).toBe(200);
  const set = String(r.headers['set-cookie']);
  return { cookie: set.split(';')[0]!, csrf: (r.json() as { csrfToken: string }).csrfToken };
}

/** A multipart/form-data body: fields, and one file. */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Buffer },
) {
  const boundary = `----plantkpi${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
