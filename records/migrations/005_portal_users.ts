/**
 * The portal's users and their sessions (issue 14). A user is never deleted, only disabled (its audit entries keep
 * naming it); a session is ephemeral: it belongs to a user, ends when it expires or its user is disabled, and is not
 * backed up (after a restore everyone signs in again).
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const m005PortalUsers: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('portal_user')
      .addColumn('username', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) =>
        c.notNull().check(sql`role in ('energy_manager', 'branch_secretary', 'viewer')`),
      )
      .addColumn('branch', 'text')
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('disabled_at_ms', 'bigint')
      // a secretary acts for one branch; an energy manager for all of them
      .addCheckConstraint(
        'portal_user_branch',
        sql`(role <> 'branch_secretary' or branch is not null) and (role <> 'energy_manager' or branch is null)`,
      )
      .execute();
    await db.schema
      .createTable('portal_session')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().references('portal_user.username'))
      .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('csrf_secret', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('portal_session_username').on('portal_session').column('username').execute();
    await db.schema
      .createIndex('portal_session_expires')
      .on('portal_session')
      .column('expires_at_ms')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('portal_session').execute();
    await db.schema.dropTable('portal_user').execute();
  },
};
