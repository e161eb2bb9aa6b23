/** The records contract and the migration tests on the embedded store (PGlite in a folder). */
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { recordsContract } from './contract.ts';
import { migrationContract } from './migrations/contract.ts';
import { openKysely, openRecords } from './open.ts';
import { type PGliteTemplate, pgliteTemplate } from './pglite-template.ts';

let pglite: PGliteTemplate;
beforeAll(async () => {
  pglite = await pgliteTemplate();
}, 120_000);
afterAll(() => pglite?.cleanup());

recordsContract(
  'embedded (PGlite)',
  async (now) => {
    const dir = pglite.freshDir();
    const fx = {
      store: await openRecords({ dir }, { now }),
      async sql(text: string) {
        // the folder is one process's at a time: close the store, edit, open it again
        await fx.store.close();
        const db = await openKysely({ dir });
        await sql.raw(text).execute(db);
        await db.destroy();
        fx.store = await openRecords({ dir }, { now });
        return fx.store;
      },
      async reopen() {
        await fx.store.close();
        fx.store = await openRecords({ dir }, { now });
        return fx.store;
      },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
    return fx;
  },
  { timeoutMs: 120_000 },
);

migrationContract('embedded (PGlite)', async () => ({ dir: pglite.freshDir() }), { timeoutMs: 120_000 });
