/**
 * `plantkpi simulate`: the simulated site as a long-running service (the compose stack's simulator). It replays the
 * last `catchUpDays` in accelerated time, then keeps time with the clock: meters publish JSON over MQTT
 * (site/<unit>/data), the casting line's PLC is an OPC UA server on `opcuaPort`.
 */
import mqtt from 'mqtt';
import { SimOpcuaServer } from './opcua/server.ts';
import { type SimReading, SiteSim } from './site/model.ts';
import { publishStep } from './site/publish.ts';

export interface LiveOptions {
  mqttUrl: string;
  opcuaPort: number;
  pkiDir: string;
  seed: number;
  /** days replayed quickly before keeping time with the clock */
  catchUpDays: number;
  stepMs: number;
  /** real ms between steps while catching up */
  catchUpPaceMs: number;
  log: (msg: string) => void;
  /** stops the loop (tests); absent: runs until the process ends */
  signal?: AbortSignal;
}

export async function runLiveSim(o: LiveOptions): Promise<{ steps: number }> {
  const opcua = new SimOpcuaServer({
    port: o.opcuaPort,
    pkiDir: o.pkiDir,
    variables: ['PK-1.state', 'PK-1.produced', 'PK-1.good'],
    minimumSamplingIntervalMs: 0,
    waitForData: true,
  });
  await opcua.start();
  const pub = await mqtt.connectAsync(o.mqttUrl, {
    clientId: `plantkpi-sim-${o.seed}`,
    reconnectPeriod: 2000,
  });
  const now = Date.now();
  const startMs = Math.floor((now - o.catchUpDays * 86_400_000) / o.stepMs) * o.stepMs;
  const sim = new SiteSim({
    seed: o.seed,
    startMs,
    stepMs: o.stepMs,
    faults: { rolloverAt: 1_000_000_000, rollover: false, replaceAuxAtMs: null, outage: null },
  });
  const send = (readings: SimReading[]) =>
    publishStep(pub, readings, (writes) => {
      for (const [id, value, timeMs] of writes) opcua.set(id, value, timeMs);
    });
  o.log(
    `simulated site: MQTT ${o.mqttUrl}, OPC UA ${opcua.endpoint}, replaying from ${new Date(startMs).toISOString()}`,
  );
  await send(sim.snapshot());
  let steps = 0;
  while (!o.signal?.aborted) {
    const next = sim.timeMs + o.stepMs;
    const wait = next <= Date.now() ? o.catchUpPaceMs : next - Date.now();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        // a listener left behind per step piles up on the signal (MaxListenersExceededWarning after 10 steps)
        o.signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, wait);
      o.signal?.addEventListener('abort', done, { once: true });
    });
    if (o.signal?.aborted) break;
    await send(sim.step());
    steps++;
  }
  await pub.endAsync();
  await opcua.stop();
  return { steps };
}
