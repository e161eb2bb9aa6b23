/** Config of the records store: PostgreSQL when `records.url` is set, else the embedded store in DATA/records. */
import { z } from 'zod';
import { SecretRef } from '../config/secrets.ts';

export const RecordsSchema = z.object({
  url: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL: postgres://user@host:5432/database')
    .describe(
      'PostgreSQL URL of the records database, e.g. postgres://plantkpi@postgres:5432/plantkpi (no password in it: use password)',
    ),
  password: SecretRef.optional().describe("the database user's password, from env or file"),
});

export type RecordsConfig = z.infer<typeof RecordsSchema>;
