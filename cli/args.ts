/** What every command gets: its parsed options and where to write (stdout for results, stderr for messages). */
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MissingInputError, UsageError } from '../config/errors.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const stdio: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

export interface Parsed {
  values: Record<string, string | undefined>;
  positionals: string[];
}

/**
 * Parses `--name value` options (only the allowed ones; `'flag'`: a bare `--name`, read as the value 'true') and
 * positionals; anything else is a usage error.
 */
export function opts(args: string[], allowed: Record<string, true | 'flag'>): Parsed {
  const options = Object.fromEntries(
    Object.entries(allowed).map(([k, v]) => [
      k,
      { type: v === 'flag' ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    const text = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, v === true ? 'true' : v === false ? undefined : v]),
    );
    return { values: text as Record<string, string | undefined>, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * The `--data` directory of a command that reads the embedded store: it must exist, or a mistyped path would read as
 * a plant without readings (KPIs of zero, marked provisional). Commands that fill it (import, reference, demo) create
 * it instead; with InfluxDB configured (`influx:`) no directory is read, so none is checked.
 */
export function dataDirToRead(dir: string, config: { influx?: unknown }): string {
  if (config.influx !== undefined) return dir;
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // missing (or unreadable): said below
  }
  if (!isDir)
    throw new MissingInputError(
      dir,
      `--data ${dir}: no such directory; import readings into it first (plantkpi import FILE.csv --config FILE --data ${dir}) or give the store's directory`,
    );
  return dir;
}
