/**
 * `plantkpi audit --period P` and the jobs' per-period look-ups read the log by period: an index on (period, seq)
 * spares them a scan of every entry ever written.
 */
import type { Kysely, Migration } from 'kysely';

export const m002AuditPeriodIndex: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('audit_log_period_seq').on('audit_log').columns(['period', 'seq']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('audit_log_period_seq').execute();
  },
};
