/** `plantkpi simulate`: the simulated site as a service (sim/live.ts) until SIGTERM or SIGINT. */
import { EXIT, UsageError } from '../config/errors.ts';
import { resolveSecret } from '../config/secrets.ts';
import { jsonLog } from '../ingest/context.ts';
import { withOpcua } from '../ingest/opcua/library.ts';
import type { Parsed } from './args.ts';

/** Its log (the simulator's own lines and its OPC UA server's) goes to stderr as JSON lines. */
export async function cmdSimulate(o: Parsed): Promise<number> {
  // its OPC UA server's library logs go to stderr as JSON lines, as the collector's do
  const log = jsonLog();
  const user = o.values['mqtt-user'];
  const passwordEnv = o.values['mqtt-password-env'];
  if (passwordEnv !== undefined && user === undefined)
    throw new UsageError('--mqtt-password-env 需要 needs --mqtt-user');
  // a variable that is not set is a config error naming it (exit 3), before anything starts
  const password = resolveSecret(passwordEnv ? { env: passwordEnv } : undefined, '--mqtt-password-env');
  const { runLiveSim } = await withOpcua(log, () => import('../sim/live.ts'));
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.once('SIGINT', () => stop.abort());
  await runLiveSim({
    mqttUrl: o.values.mqtt ?? 'mqtt://127.0.0.1:1883',
    ...(user !== undefined ? { mqttUser: user } : {}),
    ...(password !== undefined ? { mqttPassword: password } : {}),
    ...(o.values['wait-for'] !== undefined ? { waitForUrl: o.values['wait-for'] } : {}),
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
