/** `plantkpi simulate`: the simulated site as a service (sim/live.ts) until SIGTERM or SIGINT. */
import { EXIT } from '../config/errors.ts';
import { jsonLog } from '../ingest/context.ts';
import { withOpcua } from '../ingest/opcua/library.ts';
import type { Parsed } from './args.ts';

/** Its log (the simulator's own lines and its OPC UA server's) goes to stderr as JSON lines. */
export async function cmdSimulate(o: Parsed): Promise<number> {
  // its OPC UA server's library logs go to stderr as JSON lines, as the collector's do
  const log = jsonLog();
  const { runLiveSim } = await withOpcua(log, () => import('../sim/live.ts'));
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.once('SIGINT', () => stop.abort());
  await runLiveSim({
    mqttUrl: o.values.mqtt ?? 'mqtt://127.0.0.1:1883',
    opcuaPort: Number(o.values['opcua-port'] ?? 4840),
    ...(o.values['opcua-host'] !== undefined ? { opcuaHost: o.values['opcua-host'] } : {}),
    pkiDir: o.values.pki ?? './pki/sim',
    seed: Number(o.values.seed ?? 2026),
    catchUpDays: Number(o.values['catch-up-days'] ?? 31),
    stepMs: 30 * 60_000,
    catchUpPaceMs: 10,
    log,
    signal: stop.signal,
  });
  return EXIT.ok;
}
