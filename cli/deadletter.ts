/**
 * `plantkpi deadletter replay --config FILE [--file NAME]`: re-sends the readings InfluxDB refused (the collector's
 * dead-letter/influx-refused.jsonl) after a fix, through the same write target the collector uses. Readings now
 * stored leave the file, readings still refused stay; running it twice is harmless.
 * Exit codes: 0 everything replayed (or nothing to replay); 4 some readings are still refused, or the file holds
 * entries that are not refused readings (all kept in the file); 1 InfluxDB could not be written to (unreachable,
 * database missing, credentials): what was not tried is kept; 2 usage; 3 invalid config.
 */
import path from 'node:path';
import { CliError, EXIT, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import { SecretError } from '../config/secrets.ts';
import { replayRefused } from '../ingest/influx/replay.ts';
import { openInfluxStore } from '../store/open.ts';
import type { Io, Parsed } from './args.ts';

export const DEFAULT_REFUSED_FILE = 'influx-refused.jsonl';

/** A bare name is in collector.deadLetterDir; a path (with a folder) is taken as it is. */
export function refusedFile(name: string | undefined, deadLetterDir: string): string {
  const n = name ?? DEFAULT_REFUSED_FILE;
  if (path.isAbsolute(n) || n.includes('/') || n.includes(path.sep)) return path.resolve(n);
  return path.resolve(deadLetterDir, n);
}

export async function cmdDeadletter(args: string[], io: Io, parse: (a: string[]) => Parsed): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'replay') throw new UsageError(`deadletter 没有子命令 has no subcommand '${sub}': replay`);
  const o = parse(rest);
  if (o.positionals.length > 0) throw new UsageError(`多余的参数 unexpected '${o.positionals[0]}'`);
  const configFile = o.values.config;
  if (configFile === undefined) throw new UsageError('缺少 --config (--config is required)');
  const { config } = loadPlantConfig(configFile);
  if (config.influx === undefined) {
    throw new CliError(`${configFile} has no influx section: there is no InfluxDB to replay into`);
  }
  const file = refusedFile(o.values.file, config.collector.deadLetterDir);
  let target: ReturnType<typeof openInfluxStore>;
  try {
    target = openInfluxStore(config.influx, config.site.id);
  } catch (err) {
    // a secret not set is the config's problem (main reports it); a v2 config without token, org or bucket too
    if (err instanceof SecretError) throw err;
    throw new CliError((err as Error).message);
  }
  let r: Awaited<ReturnType<typeof replayRefused>>;
  try {
    r = await replayRefused(file, target, { batchLines: config.influx.batchLines });
  } finally {
    await target.close();
  }

  if (!r.found || r.readings === 0) {
    io.out(
      `死信重放 deadletter replay: 无可重放 nothing to replay: ${r.found ? `${file} holds no refused readings` : `no file ${file}`}` +
        (r.otherLines > 0 ? ` (${r.otherLines} other lines kept: not refused readings)` : '') +
        '\n',
    );
    return r.otherLines > 0 ? EXIT.input : EXIT.ok;
  }
  const parts = [
    `死信重放 deadletter replay ${file}: ${r.replayed} of ${r.readings} readings replayed (stored in ${target.description}, removed from the file)`,
    `${r.stillRefused} still refused (kept)`,
  ];
  if (r.notTried > 0) parts.push(`${r.notTried} not tried (kept)`);
  if (r.otherLines > 0) parts.push(`${r.otherLines} other lines kept (not refused readings)`);
  io.out(`${parts.join('; ')}\n`);
  for (const reason of r.reasons.slice(0, 10)) io.out(`  仍被拒 still refused: ${reason}\n`);
  if (r.stoppedBy) {
    const e = r.stoppedBy;
    throw new CliError(
      `InfluxDB could not be written to: ${e.message}${e.hint ? ` — ${e.hint}` : ''}; ` +
        `the readings not tried stay in ${file}: run the replay again once this is fixed`,
    );
  }
  return r.stillRefused > 0 || r.otherLines > 0 ? EXIT.input : EXIT.ok;
}
