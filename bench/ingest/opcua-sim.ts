/**
 * The simulated OPC UA server for bench:ingest, in its own process (a server sharing the bench's event loop would
 * sample late whenever the bench is busy): variables V-0 .. V-<items-1>, all set once a second on the whole second,
 * stamped with that second. Prints `ready <endpoint>`, then per tick `tick <second ms> <late ms> <set ms>`: how late
 * the tick ran and how long setting every variable took (a late or slow tick can be sampled together with the next
 * one, and its readings are then never reported: the simulation's miss, not the collector's).
 * node --import tsx bench/ingest/opcua-sim.ts --port P --pki DIR --items N
 */
import { parseArgs } from 'node:util';
import { SimOpcuaServer } from '../../sim/opcua/server.ts';

const { values } = parseArgs({
  options: { port: { type: 'string' }, pki: { type: 'string' }, items: { type: 'string' } },
});
const ids = Array.from({ length: Number(values.items) }, (_, i) => `V-${i}`);
const server = new SimOpcuaServer({ port: Number(values.port), pkiDir: String(values.pki), variables: ids });
await server.start();

let n = 0;
const schedule = () => {
  const second = Math.ceil((Date.now() + 1) / 1000) * 1000;
  setTimeout(() => {
    const t0 = Date.now();
    n++;
    for (const [i, id] of ids.entries()) server.set(id, n * 10 + (i % 7), second);
    process.stdout.write(`tick ${second} ${t0 - second} ${Date.now() - t0}\n`);
    schedule();
  }, second - Date.now());
};
schedule();
process.stdout.write(`ready ${server.endpoint}\n`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
