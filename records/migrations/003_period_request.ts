/**
 * The periods asked for (a scheduler tick, a backfill, a recompute), so that what was asked and not yet computed can
 * be asked again when Redis, which holds the queued jobs, loses them.
 */
import type { Kysely, Migration } from 'kysely';

export const m003PeriodRequest: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('period_request')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('by', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('period_request_pk', ['kind', 'period'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('period_request').execute();
  },
};
