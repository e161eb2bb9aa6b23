/** `plantkpi collect` and `plantkpi opcua browse`: the long-running collector and the OPC UA address-space lister. */

import { CliError, EXIT, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import { checkSecrets } from '../config/secrets.ts';
import { startCollector } from '../ingest/collector.ts';
import { jsonLog } from '../ingest/context.ts';
import { withOpcua } from '../ingest/opcua/library.ts';
import type { Io, Parsed } from './args.ts';

export async function cmdCollect(o: Parsed, io: Io): Promise<number> {
  const file = o.values.config;
  if (file === undefined) throw new UsageError('缺少 --config (--config is required)');
  const { config } = loadPlantConfig(file);
  // every secret the sources and the InfluxDB output name, before anything starts (exit 3 with one line)
  checkSecrets({ sources: config.sources, influx: config.influx });
  const log = jsonLog(process.stderr, config.collector.logLevel);
  const { httpPort, httpHost } = config.collector;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  try {
    collector = await startCollector(config, log);
  } catch (err) {
    const why = listenProblem(err, httpHost, httpPort);
    if (why) throw new CliError(why);
    throw err;
  }
  io.out(`collecting: /metrics and /health on http://${config.collector.httpHost}:${collector.port}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log('info', 'signal received', { signal });
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await collector.stop();
  return EXIT.ok;
}

/** The /metrics port cannot be had: what to say, or null for any other failure. */
export function listenProblem(err: unknown, host: string, port: number): string | null {
  const e = err as NodeJS.ErrnoException & { syscall?: string };
  if (e?.syscall !== 'listen') return null;
  if (e.code === 'EADDRINUSE') return `port ${port} on ${host} is in use: set collector.httpPort`;
  if (e.code === 'EACCES')
    return `port ${port} on ${host} needs privileges this process has not: set collector.httpPort (1024 or above)`;
  if (e.code === 'EADDRNOTAVAIL') return `${host} is not an address of this machine: set collector.httpHost`;
  return null;
}

export async function cmdOpcua(args: string[], io: Io, parse: (a: string[]) => Parsed): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'browse') throw new UsageError(`opcua 没有子命令 has no subcommand '${sub}': browse`);
  const o = parse(rest);
  const url = o.positionals[0];
  if (url === undefined)
    throw new UsageError('缺少服务器地址 opcua browse needs the server URL (opc.tcp://host:port/path)');
  const depth = Number(o.values.depth ?? 6);
  const max = Number(o.values.max ?? 5000);
  const user = o.values.user;
  const passwordEnv = o.values['password-env'] ?? 'PLANTKPI_OPCUA_PASSWORD';
  const identity = user === undefined ? undefined : { user, password: process.env[passwordEnv] ?? '' };
  // stdout is the draft config: node-opcua's own output goes to stderr as JSON lines
  const { browseServer } = await withOpcua(jsonLog(), () => import('../ingest/opcua/browse.ts'));
  try {
    io.out(await browseServer(url, { maxDepth: depth, maxNodes: max, ...(identity ? { identity } : {}) }));
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    throw new CliError(
      `cannot browse ${url}: ${first}` +
        (user === undefined
          ? ' (if the server wants a user, give --user NAME and the password in PLANTKPI_OPCUA_PASSWORD)'
          : ''),
    );
  }
  return EXIT.ok;
}
