/**
 * node-opcua stays out of the way: it is loaded only where OPC UA is used, and what its logger says goes to our JSON
 * log (stderr), never to stdout, where a command's output goes.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogLevel } from '../context.ts';
import { opcuaDebug, routeOpcuaLog } from './library.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe("node-opcua's logger", () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes warnings and errors to our log, as JSON fields, and nothing with console.log', () => {
    const lines: [LogLevel, string, Record<string, unknown> | undefined][] = [];
    routeOpcuaLog((level, msg, fields) => lines.push([level, msg, fields]));
    const printed = vi.spyOn(console, 'log');
    // the functions node-opcua's modules make for themselves, from the same node-opcua-debug
    const debug = opcuaDebug() as unknown as Record<string, (ctx: string) => (...a: unknown[]) => void>;
    debug.make_warningLog!('test')('[NODE-OPCUA-W99]', 'node version', 'v20.0.0');
    debug.make_errorLog!('test')('\u001b[31mcannot\u001b[39m connect', { code: 7 });
    expect(printed).not.toHaveBeenCalled();
    expect(lines).toEqual([
      [
        'warn',
        '[NODE-OPCUA-W99] node version v20.0.0',
        { lib: 'node-opcua', file: expect.any(String), line: expect.any(Number) },
      ],
      [
        'error',
        'cannot connect { code: 7 }',
        { lib: 'node-opcua', file: expect.any(String), line: expect.any(Number) },
      ],
    ]);
  });
});

describe('loading node-opcua', () => {
  it('commands without OPC UA and an MQTT-only collector never load it; an OPC UA source does', async () => {
    // a process of its own: node-opcua's modules are counted in its require cache
    const script = `
      import { createRequire } from 'node:module';
      import { readFileSync, mkdtempSync } from 'node:fs';
      import os from 'node:os';
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/node-opcua')).length;
      const tmp = mkdtempSync(os.tmpdir() + '/plantkpi-opcua-lazy-');
      const { main } = await import('./cli/main.ts');
      const io = { out() {}, err() {} };
      await main(['validate', 'config/examples/reference-plant.yaml'], io);
      await main(['kpi', '--config', 'config/examples/reference-plant.yaml', '--period', '2026-10', '--data', tmp], io);
      const { parsePlantConfig } = await import('./config/load.ts');
      const config = parsePlantConfig(readFileSync('config/examples/reference-plant.yaml', 'utf8') + \`
influx: { url: "http://127.0.0.1:9", database: plant }
spool: { dir: "\${tmp}/spool" }
collector: { httpPort: 0, deadLetterDir: "\${tmp}/dead" }
sources:
  mqtt:
    - { id: broker, url: "mqtt://127.0.0.1:9", clientId: c, subscriptions: [{ topic: "x/{s}", signal: "{s}", timePath: t }] }
\`);
      const { startCollector } = await import('./ingest/collector.ts');
      const collector = await startCollector(config, () => {});
      await collector.stop();
      const before = loaded();
      const { withOpcua } = await import('./ingest/opcua/library.ts');
      await withOpcua(() => {}, () => import('./ingest/opcua/source.ts'));
      process.stdout.write(JSON.stringify({ before, after: loaded() }));
      process.exit(0);
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, timeout: 60_000 },
    );
    const { before, after } = JSON.parse(stdout);
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(100);
  }, 90_000);
});
