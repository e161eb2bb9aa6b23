/**
 * Config of the records store: PostgreSQL when `records.url` is set, else the embedded store in `records.dir`
 * (default DATA/records).
 */
import { z } from 'zod';
import { SecretRef } from '../config/secrets.ts';

export const RecordsSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL: postgres://user@host:5432/database')
      .describe(
        'PostgreSQL URL of the records database, e.g. postgres://plantkpi@postgres:5432/plantkpi (no password in it: use password)',
      )
      .optional(),
    password: SecretRef.optional().describe("the database user's password, from env or file (with url)"),
    dir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'folder of the embedded records store when no url is given (default DATA/records); one process opens it at a time, the jobs take turns',
      ),
  })
  .refine((r) => !(r.url !== undefined && r.dir !== undefined), {
    message: 'give records.url (PostgreSQL) or records.dir (embedded), not both',
  })
  .refine((r) => r.password === undefined || r.url !== undefined, {
    message: 'records.password goes with records.url',
    path: ['password'],
  });

export type RecordsConfig = z.infer<typeof RecordsSchema>;
