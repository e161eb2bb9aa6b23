/**
 * The demo's first step: the services the simulated site talks to. An MQTT broker (an embedded aedes broker, unless
 * the caller names one) and the casting line's PLC, a real OPC UA server in a process of its own, driven by the
 * simulation over IPC.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';

export interface ServicesInput {
  /** the demo's data directory: the OPC UA server keeps its PKI under it */
  dataDir: string;
  /** a broker to use; absent: an embedded one on a free local port */
  mqttUrl?: string;
  /** the OPC UA variables the simulation drives */
  opcuaVars: readonly string[];
}

export interface DemoServices {
  mqttUrl: string;
  /** the OPC UA server's endpoint, opc.tcp://... */
  opcuaEndpoint: string;
  /** sets OPC UA variables: [variable, value, source time ms] */
  opcuaSet(writes: [string, number, number][]): void;
  /** stops the OPC UA server and the embedded broker (a broker the caller named is left running) */
  stop(): Promise<void>;
}

export async function startServices(i: ServicesInput): Promise<DemoServices> {
  const broker = i.mqttUrl === undefined ? await startEmbeddedBroker() : null;
  const mqttUrl = i.mqttUrl ?? broker!.url;
  const opcuaPort = await freePort();
  const opcua = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('../opcua/main.ts', import.meta.url)),
      '--driven',
      '--port',
      String(opcuaPort),
      '--pki',
      path.join(i.dataDir, 'sim-pki'),
      '--vars',
      i.opcuaVars.join(','),
      '--min-sampling-ms',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'ignore', 'ipc'] },
  );
  const opcuaEndpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    opcua.stdout?.on('data', (d) => {
      out += d;
      const m = /ready (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    opcua.once('exit', (code) => reject(new Error(`the simulated OPC UA server exited (${code})`)));
  });
  return {
    mqttUrl,
    opcuaEndpoint,
    opcuaSet: (writes) => opcua.send({ set: writes }),
    async stop() {
      await new Promise<void>((r) => {
        opcua.once('exit', () => r());
        opcua.kill('SIGTERM');
      });
      await broker?.close();
    },
  };
}

/** InfluxDB 1.x: creates the demo's database if it is missing (CREATE DATABASE is idempotent). */
export async function createInfluxDatabase(influx: { url: string; database: string }): Promise<void> {
  const q = new URLSearchParams({ q: `CREATE DATABASE "${influx.database}"` });
  const res = await fetch(`${influx.url.replace(/\/$/, '')}/query`, { method: 'POST', body: q });
  if (!res.ok) throw new Error(`cannot create database ${influx.database} at ${influx.url}: ${res.status}`);
}

async function startEmbeddedBroker(): Promise<{ url: string; close(): Promise<void> }> {
  const aedes = await Aedes.createBroker();
  const server = net.createServer(aedes.handle as (s: net.Socket) => void);
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: () => new Promise((r) => aedes.close(() => server.close(() => r()))),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
