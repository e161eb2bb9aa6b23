/** What every command gets: its parsed options and where to write (stdout for results, stderr for messages). */
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MissingInputError, UsageError } from '../config/errors.ts';
import { suggest } from './suggest.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /**
   * stdout is a terminal: a progress bar may redraw its line with \r. Otherwise (a log, a pipe, a test; also when
   * absent) progress is plain lines only (cli/progress.ts).
   */
  isTTY?: boolean;
}

export const stdio: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  get isTTY() {
    return process.stdout.isTTY === true;
  },
};

export interface Parsed {
  values: Record<string, string | undefined>;
  positionals: string[];
}

/**
 * Parses `--name value` options (only the allowed ones; `'flag'`: a bare `--name`, read as the value 'true') and
 * positionals; anything else is a usage error in our words: an unknown option with the nearest known one ("did you
 * mean"), an option without its value, a flag given one. The command's usage is added by cli/main.ts.
 */
export function opts(args: string[], allowed: Record<string, true | 'flag'>): Parsed {
  const options = Object.fromEntries(
    Object.entries(allowed).map(([k, v]) => [
      k,
      { type: v === 'flag' ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  args = negativeValues(args, allowed);
  checkOptions(args, allowed, options);
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    const text = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, v === true ? 'true' : v === false ? undefined : v]),
    );
    return { values: text as Record<string, string | undefined>, positionals };
  } catch (err) {
    // what checkOptions does not foresee, in Node's words
    throw new UsageError(`命令行有误 bad command line: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** `--points -1.5`: a negative number is the option's value (written `--points=-1.5` for Node's parser). */
function negativeValues(args: string[], allowed: Record<string, true | 'flag'>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (/^--[^=]+$/.test(a) && allowed[a.slice(2)] === true && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function checkOptions(
  args: string[],
  allowed: Record<string, true | 'flag'>,
  options: Record<string, { type: 'boolean' | 'string' }>,
): void {
  // the lenient parse only to see the tokens: every option as typed, with its value if any
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const kind = allowed[t.name];
    if (kind === undefined) {
      const near = suggest(t.name, Object.keys(allowed));
      const hint = near === undefined ? '' : `; 您是不是要用 did you mean --${near}?`;
      throw new UsageError(`未知选项 unknown option '${t.rawName}'${hint}`);
    }
    // `--config --period 2026-10`: the value forgotten (Node would read '--period' as a value, or complain in
    // words of its own); a lone '-' is a value (stdin, stdout)
    if (kind === true && (t.value === undefined || (!t.inlineValue && /^-./.test(t.value))))
      throw new UsageError(`${t.rawName} 缺少值 needs a value`);
    if (kind === 'flag' && t.inlineValue) throw new UsageError(`${t.rawName} 不带值 takes no value`);
  }
}

/**
 * The `--data` directory of a command that reads the embedded store: it must exist, or a mistyped path would read as
 * a plant without readings (KPIs of zero, marked provisional). Commands that fill it (import, reference, demo) create
 * it instead; with InfluxDB configured (`influx:`) no directory is read, so none is checked.
 */
export function dataDirToRead(dir: string, config: { influx?: unknown }): string {
  if (config.influx !== undefined) return dir;
  if (!isDirectory(dir))
    throw new MissingInputError(
      dir,
      `--data ${dir}: 目录不存在 no such directory; 请先导入读数 import readings into it first ` +
        `(plantkpi import FILE.csv --config FILE --data ${dir}) 或给出存储所在的目录 or give the store's directory`,
    );
  return dir;
}

/** Whether the path is a directory (missing or unreadable: no). */
export function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
