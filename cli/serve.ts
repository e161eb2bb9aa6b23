/**
 * `plantkpi serve --config FILE [--data DIR] [--port 8080] [--host 127.0.0.1] [--secure] [--trust-proxy]`: the
 * branch portal (portal/app.ts) on the store and records the other commands use: the series store from `openStore`,
 * the records from `recordsTarget` + `openSharedRecords` (the embedded folder is taken in turns with the worker).
 * Runs until SIGINT or SIGTERM (or `stop`, for tests), then closes the server and both stores. `runPortal` is the
 * serving part, shared with `plantkpi demo --serve` (cli/demo-serve.ts).
 */
import { CliError, EXIT, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import { compilePlant, type Plant } from '../kpi/plant.ts';
import { recordsTarget } from '../records/open.ts';
import type { RecordsStore } from '../records/port.ts';
import { openSharedRecords } from '../records/shared.ts';
import { openStore } from '../store/open.ts';
import type { SeriesStore } from '../store/port.ts';
import { dataDirToRead, type Io, type Parsed } from './args.ts';

const DEFAULT_DATA = './data';

/** Resolves at the first SIGINT or SIGTERM; `off` removes the listeners. */
function signalled(): { signal: Promise<string>; off: () => void } {
  let off = () => {};
  const signal = new Promise<string>((resolve) => {
    const int = () => resolve('SIGINT');
    const term = () => resolve('SIGTERM');
    process.once('SIGINT', int);
    process.once('SIGTERM', term);
    off = () => {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
    };
  });
  return { signal, off };
}

export interface ServeHooks {
  /** ends the server instead of a signal (tests) */
  stop?: Promise<unknown>;
  /** told the address once listening, after the portal's line is printed (tests: port 0; the demo's users) */
  listening?: (url: string) => void;
}

/** --port and --host as given (8080 and 127.0.0.1 by default); a port out of range is a UsageError. */
export function listenAddress(o: Parsed): { port: number; host: string } {
  const port = Number(o.values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(
      `--port ${o.values.port}: 应为 0 到 65535 的整数 use a whole number from 0 to 65535`,
    );
  return { port, host: o.values.host ?? '127.0.0.1' };
}

export interface PortalRun {
  plant: Plant;
  /** the data directory (evidence files go to DATA/evidence) */
  data: string;
  /** both opened by the caller, and closed by it after this returns */
  store: SeriesStore;
  records: RecordsStore;
  port: number;
  host: string;
  secureCookies: boolean;
  trustProxy: boolean;
}

/**
 * Builds the portal, listens, prints its address and runs until SIGINT or SIGTERM (or `hooks.stop`), then closes
 * the server. The stores are the caller's to close.
 */
export async function runPortal(r: PortalRun, io: Io, hooks: ServeHooks = {}): Promise<void> {
  const { buildPortal } = await import('../portal/app.ts');
  const app = await buildPortal({
    plant: r.plant,
    dataDir: r.data,
    store: r.store,
    records: r.records,
    secureCookies: r.secureCookies,
    trustProxy: r.trustProxy,
    logger: { level: 'warn' },
  });
  try {
    await app.listen({ port: r.port, host: r.host });
  } catch (err) {
    await app.close();
    throw new CliError(
      `门户无法监听 the portal cannot listen on ${r.host}:${r.port}: ${(err as Error).message}`,
    );
  }
  const addr = app.server.address();
  const host = r.host.includes(':') ? `[${r.host}]` : r.host;
  const url = `http://${host}:${typeof addr === 'object' && addr ? addr.port : r.port}`;
  io.out(`门户 Portal: ${url} (接口 API ${url}/api/openapi.json; Ctrl-C 退出 to stop)\n`);
  hooks.listening?.(url);
  const signals = signalled();
  try {
    const why = await Promise.race([signals.signal, hooks.stop ?? new Promise(() => {})]);
    io.out(`门户关闭 Portal stopping${typeof why === 'string' ? ` (${why})` : ''}\n`);
  } finally {
    signals.off();
    await app.close();
  }
}

export async function cmdServe(o: Parsed, io: Io, hooks: ServeHooks = {}): Promise<number> {
  const configFile = o.values.config;
  if (configFile === undefined)
    throw new UsageError('缺少 --config (--config is required: the plant config)');
  const { port, host } = listenAddress(o);
  const { config } = loadPlantConfig(configFile);
  const plant = compilePlant(config, configFile);
  const data = o.values.data ?? DEFAULT_DATA;
  const store = await openStore(config, dataDirToRead(data, config));
  const records = await openSharedRecords(recordsTarget(config, data));
  try {
    const secureCookies = o.values.secure === 'true';
    const trustProxy = o.values['trust-proxy'] === 'true';
    await runPortal({ plant, data, store, records, port, host, secureCookies, trustProxy }, io, hooks);
  } finally {
    await store.close();
    await records.close();
  }
  return EXIT.ok;
}
