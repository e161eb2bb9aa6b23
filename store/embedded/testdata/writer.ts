/**
 * Test helper run as a child process: writes `count` readings of one signal into a store in DIR, one write each,
 * at startMs, startMs + stepMs, ...  Usage: node --import tsx writer.ts DIR SIGNAL startMs stepMs count
 */
import { EmbeddedStore } from '../store.ts';

const [dir, signal, startMs, stepMs, count] = process.argv.slice(2);
const store = await EmbeddedStore.open(dir!);
for (let i = 0; i < Number(count); i++) {
  await store.write([{ signal: signal!, timeMs: Number(startMs) + i * Number(stepMs), value: i }]);
}
await store.close();
