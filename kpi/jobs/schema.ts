/** Config of the scheduled KPI jobs (BullMQ on Redis) and of the monthly export. */
import { z } from 'zod';
import { SecretRef } from '../../config/secrets.ts';

export const JobsSchema = z
  .strictObject({
    redis: z
      .strictObject({
        url: z.string().default('redis://127.0.0.1:6379').describe('Redis URL, redis://host:6379/0'),
        password: SecretRef.optional().describe('Redis password, from env or file'),
        requireDurable: z
          .boolean()
          .default(false)
          .describe(
            'the worker and the scheduler refuse to start when Redis may lose queued jobs (maxmemory-policy other than noeviction, or no AOF and no RDB save points); false: they log a warning',
          ),
      })
      .prefault({})
      .describe('the Redis BullMQ keeps its queues in'),
    prefix: z
      .string()
      .default('plantkpi')
      .describe('prefix of every BullMQ key: several plants (or tests) share one Redis'),
    hourlyCron: z
      .string()
      .default('5 * * * *')
      .describe("cron pattern of the hourly job, in the site's time zone; computes the hour that just ended"),
    dailyCron: z
      .string()
      .default('15 0 * * *')
      .describe("cron pattern of the daily job, in the site's time zone; computes the day that just ended"),
    monthlyCron: z
      .string()
      .default('30 0 1 * *')
      .describe(
        "cron pattern of the monthly job, in the site's time zone; computes and exports the month that just ended",
      ),
    attempts: z
      .number()
      .int()
      .positive()
      .default(5)
      .describe('tries of a job that failed for a passing reason (a store away); bad data fails at once'),
    backoffMs: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe('first wait before a retry, ms; doubles with each attempt'),
    exportDir: z.string().default('./exports').describe('folder the monthly exports are written to'),
    lockDurationMs: z
      .number()
      .int()
      .positive()
      .default(60_000)
      .describe(
        'a job whose worker stops renewing its lock this long (killed, frozen) goes to another worker, ms',
      ),
    lockMonthAfterExport: z
      .boolean()
      .default(true)
      .describe('a month is locked once its export is written; recomputing it then needs --reopen'),
    schedulerCheckMs: z
      .number()
      .int()
      .positive()
      .default(30_000)
      .describe(
        'plantkpi scheduler checks this often that its schedulers are still in Redis, and installs them again (with a recompute plan) when Redis lost its data, ms',
      ),
    catchUpDays: z
      .number()
      .int()
      .nonnegative()
      .default(31)
      .describe(
        'at start, and when Redis lost its data, plantkpi scheduler computes the periods its ticks would have computed since the last one computed (of each kind), back this many days at most; older gaps are logged for a backfill',
      ),
  })
  .prefault({});

export type JobsConfig = z.infer<typeof JobsSchema>;
