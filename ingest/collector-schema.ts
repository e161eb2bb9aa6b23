/** Config of the collector process itself: its HTTP endpoints, dead letters, reading window and self-report. */
import { z } from 'zod';

export const CollectorSchema = z.strictObject({
  httpPort: z
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(9464)
    .describe('port of /metrics and /health (0: any free port)'),
  httpHost: z.string().default('127.0.0.1').describe('address /metrics and /health listen on'),
  deadLetterDir: z
    .string()
    .default('./dead-letter')
    .describe('folder of the dead-letter files (payloads.jsonl, influx-refused.jsonl)'),
  logLevel: z
    .enum(['debug', 'info', 'warn', 'error'])
    .default('info')
    .describe('least severe level of the JSON log lines on stderr'),
  readingWindow: z
    .strictObject({
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
  selfReportMs: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('the collector writes its own counters to InfluxDB (measurement collector) this often, ms'),
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

export type CollectorConfig = z.infer<typeof CollectorSchema>;
