/**
 * The `plantkpi` command: reads the command name, parses the command's options (cli/usage.ts declares them, with the
 * help), hands them to the command's module, and turns what it throws into one line on stderr and the error's own
 * exit code (config/errors.ts has the table; `plantkpi --help` prints it).
 */
import { EXIT, exitCodeOf, KpiError, PlantkpiError, UsageError } from '../config/errors.ts';
import { ConfigError, formatProblems } from '../config/problems.ts';
import { type Io, opts, stdio } from './args.ts';
import { cmdDemo, cmdImport, cmdKpiPrint, cmdReference } from './commands.ts';
import { suggest } from './suggest.ts';
import {
  allowedOptions,
  type CommandSpec,
  commandHelp,
  commandWords,
  findCommand,
  groupHelp,
  mainHelp,
  shortUsage,
  subcommands,
} from './usage.ts';
import { cmdSchema, cmdValidate } from './validate.ts';

/** The words that ask for help, anywhere before a `--`. */
function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/**
 * The command the words name: its spec (`records backup`), or the group it belongs to (`records`) when the
 * subcommand is missing or unknown, or nothing for an unknown command.
 */
function resolve(command: string, rest: readonly string[]): { spec?: CommandSpec; group?: string } {
  if (subcommands(command).length > 0) {
    const spec = findCommand(`${command} ${rest[0] ?? ''}`);
    return spec ? { spec } : { group: command };
  }
  const spec = findCommand(command);
  return spec ? { spec } : {};
}

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    io.out(mainHelp());
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === 'help') return help(rest, io);
  const { spec, group } = resolve(command, rest);
  // `plantkpi kpi --help`, `plantkpi records --help`, `plantkpi records backup --help`
  if (wantsHelp(rest)) {
    if (spec) io.out(commandHelp(spec));
    else if (group !== undefined) io.out(groupHelp(group));
    else return report(unknownCommand(command), io);
    return EXIT.ok;
  }
  /** the command's own options, from cli/usage.ts */
  const parse = (args: string[]) => opts(args, allowedOptions(spec!));
  try {
    if (group !== undefined) throw unknownSubcommand(group, rest[0]);
    if (spec === undefined) throw unknownCommand(command);
    switch (command) {
      case 'validate':
        return cmdValidate(parse(rest), io);
      case 'import':
        return await cmdImport(parse(rest), io);
      case 'kpi':
        return await cmdKpiPrint(parse(rest), io);
      case 'collect': {
        // loaded on demand: the collector's client libraries are heavy
        const { cmdCollect } = await import('./collect.ts');
        return await cmdCollect(parse(rest), io);
      }
      case 'deadletter':
        return await (await import('./deadletter.ts')).cmdDeadletter(rest, io, parse);
      case 'opcua': {
        const { cmdOpcua } = await import('./collect.ts');
        return await cmdOpcua(rest, io, parse);
      }
      case 'worker':
      case 'scheduler':
      case 'backfill':
      case 'export': {
        const jobs = await import('./jobs.ts');
        const o = parse(rest);
        if (command === 'worker') return await jobs.cmdWorker(o, io);
        if (command === 'scheduler') return await jobs.cmdScheduler(o, io);
        if (command === 'backfill') return await jobs.cmdBackfill(o, io);
        return await jobs.cmdExport(o, io);
      }
      case 'records':
        return await (await import('./records.ts')).cmdRecords(rest, io, parse);
      case 'audit':
        return await (await import('./audit.ts')).cmdAudit(parse(rest), io);
      case 'task':
        return await (await import('./responsibility.ts')).cmdTask(rest, io, parse);
      case 'points':
        return await (await import('./responsibility.ts')).cmdPoints(rest, io, parse);
      case 'user':
        return await (await import('./users.ts')).cmdUser(rest, io, parse);
      case 'scorecard':
        return await (await import('./scorecard.ts')).cmdScorecard(parse(rest), io);
      case 'serve':
        // loaded on demand: the web server's libraries are needed by this command only
        return await (await import('./serve.ts')).cmdServe(parse(rest), io);
      case 'savings':
        return await (await import('./savings.ts')).cmdSavings(parse(rest), io);
      case 'demo':
        return await cmdDemo(parse(rest), io);
      case 'simulate':
        return await (await import('./simulate.ts')).cmdSimulate(parse(rest));
      case 'reference':
        return await cmdReference(parse(rest), io);
      case 'schema':
        return cmdSchema(parse(rest), io);
      default:
        throw unknownCommand(command);
    }
  } catch (err) {
    return report(err, io, spec, group);
  }
}

/** `plantkpi help [COMMAND [SUBCOMMAND]]` */
function help(words: readonly string[], io: Io): number {
  const [command, ...rest] = words;
  if (command === undefined) {
    io.out(mainHelp());
    return EXIT.ok;
  }
  const { spec, group } = resolve(command, rest);
  if (spec) io.out(commandHelp(spec));
  else if (group !== undefined) io.out(groupHelp(group));
  else return report(unknownCommand(command), io);
  return EXIT.ok;
}

function unknownCommand(command: string): UsageError {
  const near = suggest(command, commandWords());
  const hint = near === undefined ? '' : `; 您是不是要用 did you mean '${near}'?`;
  return new UsageError(`未知命令 unknown command '${command}'${hint}`);
}

function unknownSubcommand(group: string, sub: string | undefined): UsageError {
  const names = subcommands(group).map((s) => s.name.slice(group.length + 1));
  if (sub === undefined) return new UsageError(`${group} 需要子命令 takes a subcommand: ${names.join(', ')}`);
  const near = suggest(sub, names);
  const hint = near === undefined ? '' : `; 您是不是要用 did you mean '${group} ${near}'?`;
  return new UsageError(`${group} 没有子命令 has no subcommand '${sub}'${hint}`);
}

/**
 * What a thrown error says on stderr: one line for a user's error (a config's problems listed under a headline); a
 * usage error with the command's usage below it; a stack trace only for an error nobody foresaw.
 */
function report(err: unknown, io: Io, spec?: CommandSpec, group?: string): number {
  if (err instanceof ConfigError) {
    const [only] = err.problems;
    const n = err.problems.length;
    if (n === 1 && only) io.err(`plantkpi: ${err.file}: ${only.path}: ${only.message}\n`);
    else
      io.err(
        `plantkpi: ${err.file}: 配置有 ${n} 处问题 ${n} problem(s) in the config\n${formatProblems(err.problems)}\n`,
      );
  } else if (err instanceof UsageError) {
    // an unknown option or command, a missing one, a malformed period (PeriodError): what the caller typed, then
    // how the command is used
    io.err(`plantkpi: ${err.message}\n${shortUsage(spec, group)}`);
  } else if (err instanceof KpiError) {
    io.err(`plantkpi: 指标计算失败 KPI computation failed: ${err.message}\n`);
  } else if (err instanceof PlantkpiError) {
    io.err(`plantkpi: ${err.message}\n`);
  } else {
    io.err(`plantkpi: ${(err as Error)?.stack ?? String(err)}\n`);
  }
  return exitCodeOf(err);
}
