/**
 * The records contract on the embedded store (PGlite in a folder). Creating a PGlite folder takes seconds (its
 * initdb), so one empty folder is made per file and each test gets a copy: a fresh database, opened like any other.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { recordsContract } from './contract.ts';
import { openKysely, openRecords } from './open.ts';

let template = '';
const dirs: string[] = [];

beforeAll(async () => {
  template = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-records-template-'));
  const pg = await PGlite.create(template);
  await pg.query('select 1');
  await pg.close();
}, 120_000);

afterAll(() => {
  for (const d of [template, ...dirs]) rmSync(d, { recursive: true, force: true });
});

/** A fresh embedded database folder (a copy of the empty template). */
export function freshDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-records-'));
  dirs.push(dir);
  cpSync(template, dir, { recursive: true });
  return dir;
}

recordsContract(
  'embedded (PGlite)',
  async (now) => {
    const dir = freshDir();
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
