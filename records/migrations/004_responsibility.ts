/**
 * The responsibility loop's records: key-task closures (销号; by a person, or by the KPI and kept until a person
 * reopens it) and the points ledger (积分: computed entries replaced per period, manual awards kept).
 */
import type { Kysely, Migration } from 'kysely';

export const m004Responsibility: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('task_closure')
      .addColumn('task', 'text', (c) => c.primaryKey())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('effective_ms', 'bigint', (c) => c.notNull())
      .addColumn('by', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('points_entry')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('scope_type', 'text', (c) => c.notNull())
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('points', 'double precision', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('by', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('points_entry_period').on('points_entry').column('period').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('points_entry').execute();
    await db.schema.dropTable('task_closure').execute();
  },
};
