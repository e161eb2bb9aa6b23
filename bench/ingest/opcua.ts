/** 5. OPC UA: the simulated server in its own process, one collector on all its items sampled at 1 s. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/services/ports.ts';
import { type Bench, withDb } from './cases.ts';
import { opcuaConfig, startCollector } from './collector.ts';
import { countReadings, settledCount, watchArrival } from './stored.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Tick {
  /** the whole second the values were set for, and stamped with */
  second: number;
  /** how late the tick started, and how long setting every variable took (ms) */
  lateMs: number;
  setMs: number;
}

export interface Sim {
  endpoint: string;
  ids: string[];
  ticks: Tick[];
  stop(): Promise<void>;
}

export async function startSim(dir: string, items: number): Promise<Sim> {
  const child: ChildProcess = spawn(
    'node',
    [
      '--import',
      'tsx',
      path.join(HERE, 'opcua-sim.ts'),
      '--port',
      String(await freePort()),
      '--pki',
      path.join(dir, 'sim-pki'),
      '--items',
      String(items),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ticks: Tick[] = [];
  let err = '';
  child.stderr?.on('data', (d) => (err = (err + d).slice(-4000)));
  let buf = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d) => {
      buf += d;
      let nl = buf.indexOf('\n');
      while (nl !== -1) {
        const [word, a, b, c] = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
        if (word === 'ready') resolve(a!);
        else if (word === 'tick') ticks.push({ second: Number(a), lateMs: Number(b), setMs: Number(c) });
      }
    });
    child.once('exit', (code) => reject(new Error(`OPC UA sim exited with ${code}: ${err}`)));
  });
  return {
    endpoint,
    ids: Array.from({ length: items }, (_, i) => `V-${i}`),
    ticks,
    stop: () =>
      new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

export interface OpcuaRun {
  /** per second of the window (a second the simulation skipped counts, with nothing in it) */
  storedPerS: number;
  /** stored / expected over the window's ticks */
  complete: number;
  /** the simulation's ticks in the window, and the seconds the window spans (fewer ticks: it fell behind) */
  ticks: number;
  windowSeconds: number;
  cpuPct: number;
  rssMb: number;
  peakRssMb: number;
  /** spawn to the first second stored in full */
  startupSeconds: number;
  /** the window's worst simulation tick: how late it began plus how long it took (ms) */
  simLagMs: number;
}

/** After a warm-up (a second stored in full), `seconds` of CPU and RSS, and the stored readings of those ticks. */
export async function opcua(b: Bench, run: number, sim: Sim, seconds: number): Promise<OpcuaRun> {
  const db = `opcua_${run}`;
  const items = sim.ids.length;
  return withDb(b, db, async () => {
    const config = opcuaConfig({
      dir: b.dir,
      endpoint: sim.endpoint,
      ids: sim.ids,
      influxUrl: b.influx.url,
      db,
    });
    const col = await startCollector(b.dir, db, config);
    try {
      const first = await watchArrival(b.influx, db, {
        from: 0,
        target: 1,
        stallMs: 120_000,
        check: col.assertAlive,
      });
      if (first.doneMs === null) throw new Error(`${db}: no OPC UA reading ever arrived`);
      // the subscriptions come up one after the other: warm until a second 3 s back is all there (at most 2 min)
      const until = performance.now() + 120_000;
      for (;;) {
        col.assertAlive();
        const t = sim.ticks.filter((k) => k.second < Date.now() - 3000).at(-1);
        if (t && (await countReadings(b.influx, db, `time = ${t.second}ms`)) >= items) break;
        if (performance.now() > until) break;
        await sleep(500);
      }
      const startupSeconds = (performance.now() - col.spawnedMs) / 1000;
      const s0 = col.stats();
      const w0 = Date.now();
      await sleep(seconds * 1000);
      col.assertAlive();
      const s1 = col.stats();
      const w1 = Date.now();
      const window = sim.ticks.filter((t) => t.second >= w0 && t.second < w1);
      if (window.length === 0) throw new Error(`${db}: no simulation tick in the window`);
      const expected = window.length * items;
      const where = `time >= ${window[0]!.second}ms AND time <= ${window.at(-1)!.second}ms`;
      const stored = await settledCount(b.influx, db, where, { target: expected });
      const windowSeconds = (window.at(-1)!.second - window[0]!.second) / 1000 + 1;
      return {
        storedPerS: stored / windowSeconds,
        complete: stored / expected,
        ticks: window.length,
        windowSeconds,
        cpuPct: ((s1.cpuS - s0.cpuS) / ((s1.atMs - s0.atMs) / 1000)) * 100,
        rssMb: s1.rssMb,
        peakRssMb: s1.peakRssMb,
        startupSeconds,
        simLagMs: Math.max(...window.map((t) => t.lateMs + t.setMs)),
      };
    } finally {
      await col.stop();
    }
  });
}
