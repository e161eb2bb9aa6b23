/** Config of the InfluxDB output (and of the InfluxDB store, which reads from the same place). */
import { z } from 'zod';
import { SecretRef } from '../secrets.ts';

export const InfluxSchema = z.object({
  url: z.string().url(),
  /** 1: InfluxDB 1.x (/write, database, retention policy, user); 2: InfluxDB 2.x/3.x (token, org, bucket) */
  version: z.union([z.literal(1), z.literal(2)]).default(1),
  /** 1.x database; for 2.x/3.x, the database name mapped to the bucket (DBRP) that InfluxQL queries use */
  database: z.string().min(1).default('plantkpi'),
  retentionPolicy: z.string().optional(),
  username: z.string().optional(),
  password: SecretRef.optional(),
  token: SecretRef.optional(),
  org: z.string().optional(),
  bucket: z.string().optional(),
  timeoutMs: z.number().int().positive().default(30_000),
  /** lines per write */
  batchLines: z.number().int().positive().default(5000),
  /** a smaller batch is written once it has waited this long */
  flushIntervalMs: z.number().int().positive().default(1000),
});

export const SpoolSchema = z
  .object({
    dir: z.string().default('./spool').describe('folder of the spool segments and its cursor'),
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024 * 1024)
      .describe(
        "budget in bytes: of unsent readings ('reject'), or of all segment files on disk ('drop-oldest'); at least segmentBytes",
      ),
    segmentBytes: z
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024)
      .describe(
        'a segment file is closed and a new one started past this size (at most a quarter of maxBytes is used); delivered segments are deleted',
      ),
    whenFull: z
      .enum(['reject', 'drop-oldest'])
      .default('reject')
      .describe(
        "when the budget is full: 'reject' (MQTT sources close their connection unacknowledged and the broker keeps the messages; OPC UA readings wait in memory) or 'drop-oldest' (the oldest segment is deleted and counted)",
      ),
    fsync: z
      .boolean()
      .default(true)
      .describe(
        'fdatasync every group commit before acknowledging (default). Off, a reading survives a crash of the collector (SIGKILL) but not of the machine (power loss)',
      ),
  })
  .superRefine((s, ctx) => {
    if (s.maxBytes < s.segmentBytes)
      ctx.addIssue({
        code: 'custom',
        path: ['maxBytes'],
        message: `maxBytes (${s.maxBytes}) is smaller than segmentBytes (${s.segmentBytes}): make maxBytes at least 4 x segmentBytes, or lower segmentBytes`,
      });
  });

export const CollectorSchema = z.object({
  /** port of /metrics and /health on 127.0.0.1 (0: any free port) */
  httpPort: z.number().int().min(0).max(65535).default(9464),
  httpHost: z.string().default('127.0.0.1'),
  /** where dead-letter files go */
  deadLetterDir: z.string().default('./dead-letter'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  readingWindow: z
    .object({
      maxAgeS: z
        .number()
        .int()
        .positive()
        .default(30 * 86_400)
        .describe(
          'a reading whose source time is more than this many seconds before the time it is received is dead-lettered. Default 30 days: the longest outage a spool is sized to bridge. A replay of older data (a historical month, a simulation) must raise it',
        ),
      maxFutureS: z
        .number()
        .int()
        .nonnegative()
        .default(600)
        .describe(
          'a reading whose source time is more than this many seconds after the time it is received is dead-lettered (a device clock that is off)',
        ),
    })
    .prefault({})
    .describe(
      'the source times the collector accepts, relative to the receive time, for every source (MQTT, Sparkplug, OPC UA); times before 2000-01-01 or from 2100 on are refused whatever the window',
    ),
  /** the collector writes its own counters to InfluxDB (measurement `collector`) this often */
  selfReportMs: z.number().int().positive().default(10_000),
  influxDegradedAfterMs: z
    .number()
    .int()
    .positive()
    .default(60_000)
    .describe(
      '/health reports degraded when InfluxDB writes have failed (unreachable, database missing, credentials refused) for longer than this, in ms',
    ),
  deadLetterMaxBytes: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024)
    .describe(
      'size budget in bytes of each dead-letter file; past it, entries are not written but counted (plantkpi_dead_letter_overflow_total) and a warning is logged at most once a minute',
    ),
});

export type InfluxConfig = z.infer<typeof InfluxSchema>;
export type SpoolConfig = z.infer<typeof SpoolSchema>;
export type CollectorConfig = z.infer<typeof CollectorSchema>;
