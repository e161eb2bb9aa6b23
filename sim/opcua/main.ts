/**
 * Runs the simulated OPC UA server as its own process (for tests that must stop or freeze a server, and for the
 * compose stack): node --import tsx sim/opcua/main.ts --port 4840 --pki ./pki/sim --vars E-1,E-2 --tick-ms 1000
 * Every tick each variable grows by one, stamped with the current time. Prints `ready <endpoint>` when listening.
 * With --driven, there is no tick: the parent process sets values over IPC ({ set: [[id, value, timeMs], ...] }),
 * as the accelerated demo does (a server in its own process samples on time whatever the parent is busy with).
 */
import { parseArgs } from 'node:util';
import { jsonLog } from '../../ingest/context.ts';
import { withOpcua } from '../../ingest/opcua/library.ts';

// stdout carries `ready <endpoint>` to the parent: node-opcua's own output goes to stderr as JSON lines
const { SimOpcuaServer } = await withOpcua(jsonLog(), () => import('./server.ts'));

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4840' },
    pki: { type: 'string', default: './pki/sim' },
    vars: { type: 'string', default: 'E-1' },
    'tick-ms': { type: 'string', default: '1000' },
    'min-sampling-ms': { type: 'string', default: '50' },
    driven: { type: 'boolean', default: false },
  },
});
const ids = String(values.vars).split(',').filter(Boolean);
const server = new SimOpcuaServer({
  port: Number(values.port),
  pkiDir: String(values.pki),
  variables: ids,
  minimumSamplingIntervalMs: Number(values['min-sampling-ms']),
  waitForData: values.driven === true,
});
await server.start();
if (values.driven) {
  process.on('message', (m: { set?: [string, number, number][] }) => {
    for (const [id, value, timeMs] of m.set ?? []) server.set(id, value, timeMs);
  });
} else {
  let n = 0;
  setInterval(() => {
    n++;
    const now = Date.now();
    for (const id of ids) server.set(id, n, now);
  }, Number(values['tick-ms']));
}
process.stdout.write(`ready ${server.endpoint}\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
