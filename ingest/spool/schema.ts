/** Config of the collector's spool: the disk buffer between the sources and InfluxDB. */
import { z } from 'zod';

export const SpoolSchema = z
  .strictObject({
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
        'a segment file is closed and a new one started past this size in bytes (at most a quarter of maxBytes is used); delivered segments are deleted',
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

export type SpoolConfig = z.infer<typeof SpoolSchema>;
