/** The records contract on a real PostgreSQL: a private server for this file, a fresh database per test. */
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { recordsContract } from '../records/contract.ts';
import { migrationContract } from '../records/migrations/contract.ts';
import { openKysely, openRecords } from '../records/open.ts';
import { type PostgresServer, startPostgres } from './services/postgres.ts';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.destroy();
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
