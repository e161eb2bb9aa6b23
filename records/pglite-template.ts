/**
 * For tests: fresh embedded databases in temp folders, fast. Creating a PGlite folder runs its initdb (seconds), so
 * one empty folder is made per test file and each fresh database is a copy of it, opened like any other.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

export interface PGliteTemplate {
  /** a new folder holding an empty database (no migrations run) */
  freshDir(): string;
  /** removes the template and every folder handed out */
  cleanup(): void;
}

export async function pgliteTemplate(): Promise<PGliteTemplate> {
  const template = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-records-template-'));
  const pg = await PGlite.create(template);
  await pg.query('select 1');
  await pg.close();
  const dirs: string[] = [template];
  return {
    freshDir() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-records-'));
      dirs.push(dir);
      cpSync(template, dir, { recursive: true });
      return dir;
    },
    cleanup() {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
