/**
 * The `plantkpi` command. Exit codes: 0 ok; 1 failure (one line saying why, such as the collector's port in use; a
 * stack trace only for what nobody foresaw); 2 usage (an unknown option, a malformed period); 3 invalid config (or a
 * secret it names is missing); 4 input problems (some CSV lines rejected; every valid line was imported);
 * 5 KPI computation failed.
 */
import { parseArgs } from 'node:util';
import { loadPlantConfig } from '../config/load.ts';
import { ConfigError, formatProblems } from '../config/problems.ts';
import { plantJsonSchema } from '../config/schema.ts';
import { SecretError } from '../config/secrets.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { PeriodError } from '../transforms/periods.ts';
import { cmdDemo, cmdImport, cmdKpi, cmdReference } from './commands.ts';
import { formatResults, type OutputFormat } from './format.ts';

export const EXIT = { ok: 0, failure: 1, usage: 2, config: 3, input: 4, kpi: 5 } as const;

export class UsageError extends Error {}

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
  plantkpi simulate [--mqtt URL] [--opcua-port N] [--catch-up-days N] [--seed N]
                                                  the simulated site as a service: replays the last days fast,
                                                  then publishes in real time (MQTT and OPC UA)
  plantkpi reference [--data DIR] [--csv FILE]    the reference plant: import, then KPIs for 2026-10 and
                                                  2026-10-05, checked against expected.json
  plantkpi schema [--out FILE]                    JSON Schema of the plant config, for editors
  plantkpi worker --config FILE [--data DIR] [--concurrency N]
                                                  run KPI jobs from Redis (BullMQ); as many as wanted
  plantkpi scheduler --config FILE [--once 1]     install the hourly/daily/monthly schedulers (idempotent)
                                                  and enqueue recomputes the config change calls for
  plantkpi backfill --config FILE --from DATE --to DATE [--kinds day,month] [--reopen "reason"]
                                                  enqueue every period in a range
  plantkpi export --config FILE --period 2026-10 [--data DIR] [--out DIR]
                                                  the monthly export (xlsx, CSV, Arrow, per branch, manifest)
  plantkpi collect --config FILE                  run the configured OPC UA and MQTT sources into InfluxDB
                                                  (/metrics and /health on collector.httpPort; SIGTERM flushes)
  plantkpi deadletter replay --config FILE [--file NAME]
                                                  re-send readings InfluxDB refused, after a fix; stored ones
                                                  leave the file (exit 4: some still refused, kept in it)
  plantkpi opcua browse URL [--depth N] [--max N] [--user NAME [--password-env VAR]]
                                                  a server's numeric variables as draft signal config

Exit codes: 0 ok, 1 failure (e.g. the collector's port is in use), 2 usage (e.g. a malformed period),
3 invalid config (or a secret it names is not set), 4 rejected input lines, 5 KPI computation failed.
`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate':
        return validate(rest, io);
      case 'import':
        return await cmdImport(opts(rest, { config: true, data: true }), io);
      case 'kpi': {
        const o = opts(rest, { config: true, data: true, period: true, format: true });
        const format = (o.values.format ?? 'table') as OutputFormat;
        if (!['table', 'json', 'csv'].includes(format))
          throw new UsageError(`--format must be table, json or csv`);
        const { results, names } = await cmdKpi(o);
        io.out(formatResults(results, format, names));
        return EXIT.ok;
      }
      case 'collect': {
        // loaded on demand: the collector's client libraries (node-opcua) are heavy
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
      case 'simulate': {
        const o = opts(rest, {
          mqtt: true,
          'opcua-port': true,
          pki: true,
          seed: true,
          'catch-up-days': true,
        });
        const { runLiveSim } = await import('../sim/live.ts');
        const stop = new AbortController();
        process.once('SIGTERM', () => stop.abort());
        process.once('SIGINT', () => stop.abort());
        await runLiveSim({
          mqttUrl: o.values.mqtt ?? 'mqtt://127.0.0.1:1883',
          opcuaPort: Number(o.values['opcua-port'] ?? 4840),
          pkiDir: o.values.pki ?? './pki/sim',
          seed: Number(o.values.seed ?? 2026),
          catchUpDays: Number(o.values['catch-up-days'] ?? 31),
          stepMs: 30 * 60_000,
          catchUpPaceMs: 10,
          log: (m) => io.err(`${m}\n`),
          signal: stop.signal,
        });
        return EXIT.ok;
      }
      case 'reference':
        return await cmdReference(opts(rest, { data: true, csv: true, config: true }), io);
      case 'schema': {
        const o = opts(rest, { out: true });
        const text = `${JSON.stringify(plantJsonSchema(), null, 2)}\n`;
        if (o.values.out) writeFileAtomic(o.values.out, text);
        else io.out(text);
        return EXIT.ok;
      }
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

export interface Parsed {
  values: Record<string, string | undefined>;
  positionals: string[];
}

function opts(args: string[], allowed: Record<string, true>): Parsed {
  const options = Object.fromEntries(Object.keys(allowed).map((k) => [k, { type: 'string' as const }]));
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | undefined>, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function validate(args: string[], io: Io): number {
  const { positionals } = opts(args, {});
  const file = positionals[0];
  if (file === undefined) throw new UsageError('validate needs a FILE');
  const { config } = loadPlantConfig(file);
  io.out(
    `${file}: ok — ${config.signals.length} signals, ${config.organisation.branches.length} branches, ` +
      `${config.organisation.areas.length} areas, ${config.organisation.teams.length} teams, ` +
      `${config.equipment.length} equipment, ${config.targets.length} targets\n`,
  );
  return EXIT.ok;
}

export class InputError extends Error {}
/** A failure whose message says it all (no stack trace for the user). */
export class CliError extends Error {}
export class KpiError extends Error {}

function report(err: unknown, io: Io): number {
  // a period given on the command line that cannot be read is the caller's mistake
  if (err instanceof UsageError || err instanceof PeriodError) {
    io.err(`plantkpi: ${err.message}\nRun 'plantkpi help' for usage.\n`);
    return EXIT.usage;
  }
  if (err instanceof ConfigError) {
    const [only] = err.problems;
    if (err.problems.length === 1 && only) io.err(`plantkpi: ${err.file}: ${only.path}: ${only.message}\n`);
    else
      io.err(`plantkpi: ${err.file}: ${err.problems.length} problem(s)\n${formatProblems(err.problems)}\n`);
    return EXIT.config;
  }
  if (err instanceof SecretError) {
    io.err(`plantkpi: ${err.message}\n`);
    return EXIT.config;
  }
  if (err instanceof InputError) {
    io.err(`plantkpi: ${err.message}\n`);
    return EXIT.input;
  }
  if (err instanceof CliError) {
    io.err(`plantkpi: ${err.message}\n`);
    return EXIT.failure;
  }
  if (err instanceof KpiError) {
    io.err(`plantkpi: KPI computation failed: ${err.message}\n`);
    return EXIT.kpi;
  }
  io.err(`plantkpi: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.failure;
}
