/** Config of the InfluxDB output (and of the InfluxDB store, which reads from the same place). */
import { z } from 'zod';
import { SecretRef } from '../../config/secrets.ts';

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

export type InfluxConfig = z.infer<typeof InfluxSchema>;
