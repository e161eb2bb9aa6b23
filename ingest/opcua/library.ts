/**
 * node-opcua is loaded only through here, and only where an OPC UA client or server is used: an MQTT-only collector
 * and the commands that speak no OPC UA never load it (it is heavy, and it prints). node-opcua's own logger
 * (node-opcua-debug) writes warnings and errors to stdout with console.log, some of them while it loads (a check of
 * the Node version); `withOpcua` routes that logger to the caller's JSON log (stderr) first, then imports the module
 * that uses node-opcua, so nothing node-opcua says lands in a command's output (`opcua browse` prints YAML there).
 * The logger is node-opcua's, one per process: the last `withOpcua` caller's log receives it.
 */
import { createRequire } from 'node:module';
import { format, stripVTControlCharacters } from 'node:util';
import type { Log, LogLevel } from '../context.ts';

/** What node-opcua-debug hands its loggers: where the message comes from, then console.log-style arguments. */
type OpcuaPrint = (
  context: { filename?: string; callerline?: number } | undefined,
  ...args: unknown[]
) => void;

interface OpcuaDebug {
  setWarningLogger(print: OpcuaPrint): void;
  setErrorLogger(print: OpcuaPrint): void;
  setDebugLogger(print: OpcuaPrint): void;
  setTraceLogger(print: OpcuaPrint): void;
}

/** The node-opcua-debug that node-opcua itself uses, resolved from node-opcua's folder (loads neither of the two). */
export function opcuaDebug(): OpcuaDebug {
  const opcuaMain = createRequire(import.meta.url).resolve('node-opcua');
  return createRequire(opcuaMain)('node-opcua-debug') as OpcuaDebug;
}

/** Sends node-opcua's warnings, errors, debug and trace output to `log` as JSON lines instead of stdout. */
export function routeOpcuaLog(log: Log): void {
  const to =
    (level: LogLevel): OpcuaPrint =>
    (context, ...args) =>
      log(level, stripVTControlCharacters(format(...args)).trim(), {
        lib: 'node-opcua',
        ...(context?.filename ? { file: context.filename } : {}),
        ...(context?.callerline !== undefined && context.callerline >= 0 ? { line: context.callerline } : {}),
      });
  const debug = opcuaDebug();
  debug.setWarningLogger(to('warn'));
  debug.setErrorLogger(to('error'));
  debug.setDebugLogger(to('debug'));
  debug.setTraceLogger(to('debug'));
}

/**
 * Routes node-opcua's output to `log`, then loads a module that uses node-opcua:
 * `const { OpcuaSource } = await withOpcua(log, () => import('./source.ts'))`.
 */
export async function withOpcua<T>(log: Log, load: () => Promise<T>): Promise<T> {
  routeOpcuaLog(log);
  return load();
}
