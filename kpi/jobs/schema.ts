/** Config of the scheduled KPI jobs (BullMQ on Redis) and of the monthly export. */
import { z } from 'zod';
import { SecretRef } from '../../config/secrets.ts';

export const JobsSchema = z
  .object({
    redis: z
      .object({
        /** redis://host:6379/0 */
        url: z.string().default('redis://127.0.0.1:6379'),
        password: SecretRef.optional(),
      })
      .prefault({}),
    /** prefix of every BullMQ key: several plants (or tests) share one Redis */
    prefix: z.string().default('plantkpi'),
    /** cron patterns, in the site's time zone; each computes the period that just ended */
    hourlyCron: z.string().default('5 * * * *'),
    dailyCron: z.string().default('15 0 * * *'),
    monthlyCron: z.string().default('30 0 1 * *'),
    /** tries of a job that failed for a passing reason (a store away); bad data fails at once */
    attempts: z.number().int().positive().default(5),
    backoffMs: z.number().int().positive().default(10_000),
    /** where monthly exports are written */
    exportDir: z.string().default('./exports'),
    /** a job whose worker stops renewing its lock this long (killed, frozen) is handed to another worker */
    lockDurationMs: z.number().int().positive().default(60_000),
    /** a month is locked once its export is written; recomputing it then needs --reopen */
    lockMonthAfterExport: z.boolean().default(true),
  })
  .prefault({});

export type JobsConfig = z.infer<typeof JobsSchema>;
