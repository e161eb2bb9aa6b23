/** Config of the InfluxDB output (and of the InfluxDB store, which reads from the same place). */
import { z } from 'zod';
import { SecretRef } from '../../config/secrets.ts';

export const InfluxSchema = z.strictObject({
  url: z.string().url().describe('base URL of the server, e.g. http://influxdb:8086'),
  version: z
    .union([z.literal(1), z.literal(2)])
    .default(1)
    .describe(
      '1: InfluxDB 1.x (/write, database, retention policy, user); 2: InfluxDB 2.x/3.x write API (token, org, bucket)',
    ),
  database: z
    .string()
    .min(1)
    .default('plantkpi')
    .describe(
      '1.x database; for 2.x/3.x, the database name mapped to the bucket (DBRP) that InfluxQL queries use',
    ),
  retentionPolicy: z.string().optional().describe("1.x retention policy; absent: the database's default"),
  username: z.string().optional().describe('1.x user'),
  password: SecretRef.optional().describe("1.x user's password, from env or file"),
  token: SecretRef.optional().describe('2.x/3.x API token, from env or file'),
  org: z.string().optional().describe('2.x/3.x organisation'),
  bucket: z.string().optional().describe('2.x/3.x bucket written to'),
  timeoutMs: z.number().int().positive().default(30_000).describe('timeout of one HTTP request, ms'),
  batchLines: z.number().int().positive().default(5000).describe('line-protocol lines per write'),
  flushIntervalMs: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe('a smaller batch is written once it has waited this long, ms'),
});

export type InfluxConfig = z.infer<typeof InfluxSchema>;
