/**
 * The demo's second step: the simulated site publishes its readings in accelerated time, over MQTT and to the
 * OPC UA server, with the staged faults (a counter rollover, the E-AUX meter replaced on day 20, W-CMP out on day 10)
 * and, if asked, a malformed payload every n-th step.
 */
import mqtt from 'mqtt';
import { type SimReading, SiteSim } from '../site/model.ts';
import { publishStep } from '../site/publish.ts';
import type { Replacement } from './config.ts';

/** simulated time per step: half an hour, as the site's meters report */
export const STEP_MS = 30 * 60_000;
const STEPS_PER_DAY = 86_400_000 / STEP_MS;

export type DemoFault = 'rollover' | 'replacement' | 'outage';

export interface PublishInput {
  mqttUrl: string;
  opcuaSet: (writes: [string, number, number][]) => void;
  seed: number;
  /** epoch ms of the first simulated instant */
  startMs: number;
  /** epoch ms the simulation stops at (exclusive) */
  endMs: number;
  faults: ReadonlySet<DemoFault>;
  /** every n-th step also publishes a malformed payload (0: none) */
  badPayloadEvery: number;
  /** real ms between simulated steps (the OPC UA server needs time to report each one) */
  paceMs: number;
  progress: (text: string) => void;
}

export interface Published {
  /** readings sent over MQTT */
  readings: number;
  badPayloads: number;
  /** values written to the OPC UA server */
  opcuaWrites: number;
}

export interface PublishResult {
  published: Published;
  /** the E-AUX replacement, if the simulation got to it */
  replacement: Replacement | null;
}

export async function publishSite(i: PublishInput): Promise<PublishResult> {
  const day = (d: number, h = 0) => i.startMs + (d - 1) * 86_400_000 + h * 3_600_000;
  const sim = new SiteSim({
    seed: i.seed,
    startMs: i.startMs,
    stepMs: STEP_MS,
    faults: {
      rolloverAt: 1_000_000_000,
      rollover: i.faults.has('rollover'),
      replaceAuxAtMs: i.faults.has('replacement') && day(20) < i.endMs ? day(20) : null,
      outage: i.faults.has('outage') ? { fromMs: day(10, 6), toMs: day(10, 12) } : null,
    },
  });
  const pub = await mqtt.connectAsync(i.mqttUrl, {
    clientId: `plantkpi-demo-sim-${i.seed}`,
    protocolVersion: 4,
  });
  const published: Published = { readings: 0, badPayloads: 0, opcuaWrites: 0 };
  const steps = Math.round((i.endMs - i.startMs) / STEP_MS);
  const send = async (readings: SimReading[], stepNo: number) => {
    const done = await publishStep(pub, readings, i.opcuaSet);
    published.readings += done.mqtt;
    published.opcuaWrites += done.opcua;
    if (i.badPayloadEvery > 0 && stepNo % i.badPayloadEvery === i.badPayloadEvery - 1) {
      await pub.publishAsync('site/cems/data', `{"signal":"SO2","value":"sensor fault #${stepNo}"`, {
        qos: 1,
      });
      published.badPayloads++;
    }
  };
  await send(sim.snapshot(), 0);
  for (let k = 1; k <= steps; k++) {
    await send(sim.step(), k);
    await new Promise((r) => setTimeout(r, i.paceMs));
    if (k % STEPS_PER_DAY === 0 || k === steps) i.progress(progressBar(k, steps));
  }
  await pub.endAsync();
  i.progress('\n');
  const rep = sim.replacement;
  return { published, replacement: rep ? { atMs: rep.atMs, oldFinal: rep.oldFinal } : null };
}

function progressBar(k: number, steps: number): string {
  const pct = Math.round((k / steps) * 100);
  const bar = '#'.repeat(Math.round(pct / 4)).padEnd(25, '.');
  const d = Math.ceil(k / STEPS_PER_DAY);
  return `\r模拟 Simulating [${bar}] ${String(pct).padStart(3)}%  day ${d} of ${steps / STEPS_PER_DAY}`;
}
