/**
 * The `plantkpi` command: reads the command name, hands the options to the command's module, and turns what it
 * throws into one line on stderr and the error's own exit code (config/errors.ts has the table).
 */
import { EXIT, exitCodeOf, KpiError, PlantkpiError, UsageError } from '../config/errors.ts';
import { ConfigError, formatProblems } from '../config/problems.ts';
import { type Io, opts, stdio } from './args.ts';
import { cmdDemo, cmdImport, cmdKpiPrint, cmdReference } from './commands.ts';
import { cmdSchema, cmdValidate } from './validate.ts';

const HELP = `plantkpi — plant energy, carbon and OEE KPIs attributed to branches, areas and teams

Usage:
  plantkpi validate FILE                          check a plant config; every problem with its path
  plantkpi import FILE.csv --config FILE [--data DIR]
                                                  import signal,time,value readings into the store
  plantkpi kpi --config FILE --period P [--data DIR] [--format table|json|csv]
                                                  KPI and target rows; P = 2026-10 | 2026-10-05 |
                                                  2026-10-05T08 | FROM..TO (dates or ISO date-times)
  plantkpi demo [--days N] [--seed N] [--faults rollover,replacement,outage,bad-payloads|none] [--data DIR]
                [--mqtt URL] [--influx URL [--influx-database NAME]] [--redis URL]
                                                  a simulated magnesium site for October 2026: OPC UA and
                                                  MQTT -> collector -> store -> KPIs, summary and export;
                                                  given URLs, it uses that broker, stores in that InfluxDB 1.x
                                                  (database plantkpi) and runs the KPI jobs on that Redis
  plantkpi simulate [--mqtt URL [--mqtt-user NAME --mqtt-password-env VAR]] [--opcua-port N]
                   [--opcua-host NAME] [--catch-up-days N] [--seed N] [--wait-for URL]
                                                  the simulated site as a service: replays the last days fast,
                                                  then publishes in real time (MQTT and OPC UA); with --wait-for,
                                                  the replay starts once URL answers 200 (the collector's /health)
  plantkpi reference [--data DIR] [--csv FILE]    the reference plant: import, then KPIs for 2026-10 and
                                                  2026-10-05, checked against expected.json
  plantkpi schema [--out FILE]                    JSON Schema of the plant config, for editors
  plantkpi worker --config FILE [--data DIR] [--concurrency N]
                                                  run KPI jobs from Redis (BullMQ); as many as wanted
  plantkpi scheduler --config FILE [--once 1]     install the hourly/daily/monthly schedulers (idempotent)
                                                  and enqueue recomputes the config change calls for
  plantkpi backfill --config FILE --from DATE --to DATE|now [--kinds day,month] [--reopen "reason"]
                                                  enqueue every period the range [from, to) touches, whole,
                                                  that has ended (--to is exclusive); months are closed
                                                  (exported, then locked) as the monthly job does
  plantkpi export --config FILE --period 2026-10 [--data DIR] [--out DIR]
                                                  the monthly export (xlsx, CSV, Arrow, per branch, manifest)
  plantkpi audit [--period P] [--verify] [--data DIR] [--config FILE]
                                                  the records store's audit log (locks, reopens, refusals,
                                                  exports); --verify checks its hash chain (exit 1 names the
                                                  first edited or deleted entry)
  plantkpi records backup --config FILE [--data DIR] --out FILE|-
  plantkpi records restore --config FILE [--data DIR] --from FILE|- [--force]
                                                  the records store (locks, audit log, computed periods,
                                                  manifests) to one file and back, PostgreSQL or embedded
                                                  either way; restore refuses a damaged, truncated or newer
                                                  file (exit 4) and a store with contents without --force (7)
  plantkpi collect --config FILE                  run the configured OPC UA and MQTT sources into InfluxDB
                                                  (/metrics and /health on collector.httpPort; SIGTERM flushes)
  plantkpi deadletter replay --config FILE [--file NAME]
                                                  re-send readings InfluxDB refused, after a fix; stored ones
                                                  leave the file (exit 4: some still refused, kept in it)
  plantkpi opcua browse URL [--depth N] [--max N] [--user NAME [--password-env VAR]]
                                                  a server's numeric variables as draft signal config

Exit codes: 0 ok, 1 failure (e.g. the collector's port is in use), 2 usage (e.g. a malformed period, a --data
directory that does not exist), 3 invalid config (or a secret it names is not set), 4 rejected input lines
(or a backup file refused whole), 5 KPI computation failed, 6 unavailable (the data directory is locked by another
writer, InfluxDB does not answer: try again later), 7 refused (a locked month without --reopen; audited, the other
periods were enqueued; a restore over a records store with contents, without --force).
`;

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate':
        return cmdValidate(opts(rest, {}), io);
      case 'import':
        return await cmdImport(opts(rest, { config: true, data: true }), io);
      case 'kpi':
        return await cmdKpiPrint(opts(rest, { config: true, data: true, period: true, format: true }), io);
      case 'collect': {
        // loaded on demand: the collector's client libraries are heavy
        const { cmdCollect } = await import('./collect.ts');
        return await cmdCollect(opts(rest, { config: true }), io);
      }
      case 'deadletter':
        return await (await import('./deadletter.ts')).cmdDeadletter(rest, io, (a) =>
          opts(a, { config: true, file: true }),
        );
      case 'opcua': {
        const { cmdOpcua } = await import('./collect.ts');
        return await cmdOpcua(rest, io, (a) =>
          opts(a, { depth: true, max: true, user: true, 'password-env': true }),
        );
      }
      case 'worker':
      case 'scheduler':
      case 'backfill':
      case 'export': {
        const jobs = await import('./jobs.ts');
        const o = opts(rest, {
          config: true,
          data: true,
          concurrency: true,
          once: true,
          from: true,
          to: true,
          kinds: true,
          reopen: true,
          period: true,
          out: true,
        });
        if (command === 'worker') return await jobs.cmdWorker(o, io);
        if (command === 'scheduler') return await jobs.cmdScheduler(o, io);
        if (command === 'backfill') return await jobs.cmdBackfill(o, io);
        return await jobs.cmdExport(o, io);
      }
      case 'records':
        return await (await import('./records.ts')).cmdRecords(rest, io);
      case 'audit': {
        const { AUDIT_OPTIONS, cmdAudit } = await import('./audit.ts');
        return await cmdAudit(opts(rest, AUDIT_OPTIONS), io);
      }
      case 'demo':
        return await cmdDemo(
          opts(rest, {
            data: true,
            config: true,
            days: true,
            seed: true,
            faults: true,
            mqtt: true,
            influx: true,
            'influx-database': true,
            redis: true,
          }),
          io,
        );
      case 'simulate':
        return await (await import('./simulate.ts')).cmdSimulate(
          opts(rest, {
            mqtt: true,
            'opcua-port': true,
            'opcua-host': true,
            'mqtt-user': true,
            'mqtt-password-env': true,
            'wait-for': true,
            pki: true,
            seed: true,
            'catch-up-days': true,
          }),
        );
      case 'reference':
        return await cmdReference(opts(rest, { data: true, csv: true, config: true }), io);
      case 'schema':
        return cmdSchema(opts(rest, { out: true }), io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    return report(err, io);
  }
}

function report(err: unknown, io: Io): number {
  if (err instanceof ConfigError) {
    const [only] = err.problems;
    if (err.problems.length === 1 && only) io.err(`plantkpi: ${err.file}: ${only.path}: ${only.message}\n`);
    else
      io.err(`plantkpi: ${err.file}: ${err.problems.length} problem(s)\n${formatProblems(err.problems)}\n`);
  } else if (err instanceof UsageError) {
    // a malformed period (PeriodError) too: what the caller typed
    io.err(`plantkpi: ${err.message}\nRun 'plantkpi help' for usage.\n`);
  } else if (err instanceof KpiError) {
    io.err(`plantkpi: KPI computation failed: ${err.message}\n`);
  } else if (err instanceof PlantkpiError) {
    io.err(`plantkpi: ${err.message}\n`);
  } else {
    io.err(`plantkpi: ${(err as Error)?.stack ?? String(err)}\n`);
  }
  return exitCodeOf(err);
}
