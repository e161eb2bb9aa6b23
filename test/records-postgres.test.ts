/** The records contract on a real PostgreSQL: a private server for this file, a fresh database per test. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsContract } from '../records/contract.ts';
import { migrationContract } from '../records/migrations/contract.ts';
import { openKysely, openRecords } from '../records/open.ts';
import { cli, REFERENCE_CONFIG, tempDir } from './helpers.ts';
import { freePort } from './services/ports.ts';
import { type PostgresServer, startPostgres } from './services/postgres.ts';

const tmp = tempDir('plantkpi-records-pg-');

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.destroy();
  tmp.cleanup();
});

recordsContract('PostgreSQL', async (now) => {
  const url = await server.freshDatabase();
  const admin = await openKysely({ url });
  const fx = {
    store: await openRecords({ url }, { now }),
    async sql(text: string) {
      await sql.raw(text).execute(admin);
      return fx.store;
    },
    async reopen() {
      await fx.store.close();
      fx.store = await openRecords({ url }, { now });
      return fx.store;
    },
    cleanup: () => admin.destroy(),
  };
  return fx;
});

migrationContract('PostgreSQL', async () => ({ url: await server.freshDatabase() }));

describe('plantkpi audit with records.url', () => {
  it('reads and verifies the PostgreSQL the config names, and names a deleted entry', async () => {
    const url = await server.freshDatabase();
    const store = await openRecords({ url });
    await store.lock('2026-10', 'scheduler', 'closed');
    await store.reopen('2026-10', 'li.wei', 'corrected');
    await store.lock('2026-10', 'scheduler', 'closed again');
    await store.close();
    const config = path.join(tmp.dir, 'plant.yaml');
    writeFileSync(config, `${readFileSync(REFERENCE_CONFIG, 'utf8')}\nrecords:\n  url: ${url}\n`);
    const missing = path.join(tmp.dir, 'no-such-data'); // not read: the records live in PostgreSQL
    const list = await cli('audit', '--config', config, '--data', missing, '--period', '2026-10');
    expect(list.code).toBe(0);
    expect(list.out.trimEnd().split('\n').length).toBe(4);
    expect((await cli('audit', '--config', config, '--verify')).code).toBe(0);

    const admin = await openKysely({ url });
    await sql`delete from audit_log where seq = 2`.execute(admin);
    await admin.destroy();
    const bad = await cli('audit', '--config', config, '--verify');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^plantkpi: audit log broken at entry 3: entry 2 is missing \(deleted\)/);
  });

  it('a server that does not answer is exit 6 (unavailable), the password never printed', async () => {
    const config = path.join(tmp.dir, 'down.yaml');
    const port = await freePort();
    writeFileSync(
      config,
      `${readFileSync(REFERENCE_CONFIG, 'utf8')}\nrecords:\n  url: postgres://plantkpi:s3cret@127.0.0.1:${port}/x\n`,
    );
    const r = await cli('audit', '--config', config);
    expect(r.code).toBe(6);
    expect(r.err).toMatch(
      /records database postgres:\/\/plantkpi:\*\*\*@127\.0\.0\.1:\d+\/x does not answer/,
    );
    expect(r.err).not.toContain('s3cret');
  });

  it('a server that refuses the login or the database is a config error (exit 3) naming records.url, no stack', async () => {
    const url = new URL(await server.freshDatabase());
    url.pathname = '/no_such_database';
    const config = path.join(tmp.dir, 'nodb.yaml');
    writeFileSync(config, `${readFileSync(REFERENCE_CONFIG, 'utf8')}\nrecords:\n  url: ${url}\n`);
    const r = await cli('audit', '--config', config);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /records\.url, records\.password: records database .* refused the connection: database "no_such_database" does not exist/,
    );
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('several processes on one PostgreSQL', () => {
  it('appends from three stores (three pools) at once form one chain', async () => {
    const url = await server.freshDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openRecords({ url })));
    await Promise.all(
      stores.flatMap((s, i) =>
        Array.from({ length: 15 }, (_, j) => s.append({ action: 'recompute', by: `w${i}`, reason: `r${j}` })),
      ),
    );
    const log = await stores[0]?.list();
    expect(log?.map((e) => e.seq)).toEqual(Array.from({ length: 45 }, (_, k) => k + 1));
    expect(await stores[2]?.verify()).toEqual({ ok: true, checked: 45 });
    await Promise.all(stores.map((s) => s.close()));
  });
});
