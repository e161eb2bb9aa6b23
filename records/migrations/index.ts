/**
 * Every migration, in order, under a name that never changes once released (Kysely records the names it ran in
 * `kysely_migration`). A new migration is a new file and one line here; a released one is never edited.
 */
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
} from 'kysely';
import { m001Initial } from './001_initial.ts';
import { m002AuditPeriodIndex } from './002_audit_period_index.ts';
import { m003PeriodRequest } from './003_period_request.ts';
import { m004Responsibility } from './004_responsibility.ts';
import { m005PortalUsers } from './005_portal_users.ts';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_initial': m001Initial,
  '002_audit_period_index': m002AuditPeriodIndex,
  '003_period_request': m003PeriodRequest,
  '004_responsibility': m004Responsibility,
  '005_portal_users': m005PortalUsers,
};

export const LATEST = Object.keys(MIGRATIONS).at(-1) as string;

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

/** Migrates to the latest version, or to `target` (a name above); throws the failing migration's error. */
export async function migrate(db: Kysely<unknown>, target?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const result: MigrationResultSet =
    target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const err = result.error as Error;
    // no migration named: it failed before any ran (the connection, the login), and says so itself
    if (failed !== undefined) err.message = `records migration ${failed} failed: ${err.message}`;
    throw err;
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
