/** `plantkpi collect` and `plantkpi opcua browse`: the long-running collector and the OPC UA address-space lister. */
import { loadPlantConfig } from '../config/load.ts';
import { startCollector } from '../ingest/collector.ts';
import { jsonLog } from '../ingest/context.ts';
import { browseServer } from '../ingest/opcua/browse.ts';
import { CliError, EXIT, type Io, type Parsed, UsageError } from './main.ts';

export async function cmdCollect(o: Parsed, io: Io): Promise<number> {
  const file = o.values.config;
  if (file === undefined) throw new UsageError('--config is required');
  const { config } = loadPlantConfig(file);
  const log = jsonLog(process.stderr, config.collector.logLevel);
  const collector = await startCollector(config, log);
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

export async function cmdOpcua(args: string[], io: Io, parse: (a: string[]) => Parsed): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'browse') throw new UsageError("opcua takes 'browse URL'");
  const o = parse(rest);
  const url = o.positionals[0];
  if (url === undefined) throw new UsageError('opcua browse needs the server URL (opc.tcp://host:port/path)');
  const depth = Number(o.values.depth ?? 6);
  const max = Number(o.values.max ?? 5000);
  const user = o.values.user;
  const passwordEnv = o.values['password-env'] ?? 'PLANTKPI_OPCUA_PASSWORD';
  const identity = user === undefined ? undefined : { user, password: process.env[passwordEnv] ?? '' };
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
