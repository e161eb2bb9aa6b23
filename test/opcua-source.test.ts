/**
 * The OPC UA source against a real node-opcua server on a private port: a server restart, a node removed and
 * added again, SignAndEncrypt with a trusted certificate, and an untrusted one refused with a clear log line.
 */
import path from 'node:path';
import { OPCUACertificateManager } from 'node-opcua';
import { afterAll, describe, expect, it } from 'vitest';
import { OpcuaSourceSchema } from '../ingest/opcua/schema.ts';
import { OpcuaSource } from '../ingest/opcua/source.ts';
import { SimOpcuaServer } from '../sim/opcua/server.ts';
import { tempDir } from './helpers.ts';
import { freePort, waitFor } from './services/ports.ts';
import { sourceHarness } from './services/source-harness.ts';

const tmp = tempDir('plantkpi-opcua-');
afterAll(() => tmp.cleanup());

const T0 = Date.parse('2026-10-01T00:00:00Z');
const units = { 'E-1': 'kWh', 'E-2': 'kWh' };

function sourceConfig(endpoint: string, pkiDir: string, extra: Record<string, unknown> = {}) {
  return OpcuaSourceSchema.parse({
    id: 'plc',
    endpoint,
    pkiDir,
    publishingIntervalMs: 100,
    watchdogMs: 4000,
    retryItemsMs: 500,
    items: [
      { signal: 'E-1', nodeId: 'ns=1;s=E-1', samplingIntervalMs: 50 },
      { signal: 'E-2', nodeId: 'ns=1;s=E-2', samplingIntervalMs: 50 },
    ],
    ...extra,
  });
}

/** Sets values one by one, far enough apart that each is sampled. */
async function changes(server: SimOpcuaServer, id: string, from: number, to: number): Promise<void> {
  for (let v = from; v < to; v++) {
    server.set(id, v, T0 + v * 1000);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('OPC UA source', () => {
  it('resumes by itself after a server restart and a removed node coming back, losing no change after either', async () => {
    const dir = path.join(tmp.dir, 'restart');
    const server = new SimOpcuaServer({
      port: await freePort(),
      pkiDir: path.join(dir, 'server-pki'),
      variables: ['E-1', 'E-2'],
    });
    await server.start();
    const h = await sourceHarness(dir, units);
    const src = new OpcuaSource(sourceConfig(server.endpoint, path.join(dir, 'client-pki')), h.ctx);
    await src.start();
    await waitFor('items live', async () => src.live.size === 2);
    await changes(server, 'E-1', 1, 6);

    await server.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await server.start();
    await waitFor('session re-created', async () => src.sessionsCreated >= 2 && src.live.size === 2, 30_000);
    await changes(server, 'E-1', 100, 110);

    server.remove('E-2');
    await waitFor('E-2 dropped', async () => !src.live.has('E-2'), 10_000);
    server.restore('E-2');
    await waitFor('E-2 back', async () => src.live.has('E-2'), 10_000);
    await changes(server, 'E-2', 200, 205);

    await new Promise((r) => setTimeout(r, 500));
    await src.stop();
    const got = await h.drain();
    const e1 = new Set(got.filter((r) => r.signal === 'E-1').map((r) => r.value));
    const e2 = new Set(got.filter((r) => r.signal === 'E-2').map((r) => r.value));
    for (let v = 100; v < 110; v++) expect(e1.has(v), `E-1 change ${v} after the restart`).toBe(true);
    for (let v = 200; v < 205; v++) expect(e2.has(v), `E-2 change ${v} after it came back`).toBe(true);
    // source timestamps are kept
    expect(got.find((r) => r.signal === 'E-1' && r.value === 105)?.timeMs).toBe(T0 + 105_000);
    expect(h.logs.some((l) => l.msg.includes('re-creating'))).toBe(true);
    await h.close();
    await server.stop();
  }, 90_000);

  it('connects with SignAndEncrypt (Basic256Sha256) once each side trusts the other; refuses an untrusted client clearly', async () => {
    const dir = path.join(tmp.dir, 'secure');
    const server = new SimOpcuaServer({
      port: await freePort(),
      pkiDir: path.join(dir, 'server-pki'),
      variables: ['E-1', 'E-2'],
      secureOnly: ['http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256' as never],
    });
    await server.start();
    const clientPki = path.join(dir, 'client-pki');
    const h = await sourceHarness(dir, units);
    const cfg = sourceConfig(server.endpoint, clientPki, {
      securityMode: 'SignAndEncrypt',
      securityPolicy: 'Basic256Sha256',
    });

    // first attempt: nobody trusts anybody -> refused, and the log says what to do
    const untrusted = new OpcuaSource(cfg, h.ctx);
    await untrusted.start(4000);
    await waitFor(
      'refusal logged',
      async () => h.logs.some((l) => /trust/.test(String(l.fields?.reason ?? ''))),
      20_000,
    );
    await untrusted.stop();
    const reason = String(h.logs.find((l) => /trust/.test(String(l.fields?.reason ?? '')))?.fields?.reason);
    expect(reason).toMatch(/refused the secure channel/);
    expect(reason).toContain(clientPki);
    expect(untrusted.live.size).toBe(0);

    // the documented fix: trust the server's certificate on our side, ours on the server's
    const clientCm = new OPCUACertificateManager({ rootFolder: clientPki });
    await clientCm.initialize();
    await clientCm.trustCertificate(server.certificate());
    const ownPem = (await import('node:fs')).readFileSync(
      path.join(clientPki, 'own', 'certs', 'client_certificate.pem'),
      'utf8',
    );
    await server.certificateManager.trustCertificate(
      Buffer.from(ownPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'),
    );

    const src = new OpcuaSource(cfg, h.ctx);
    await src.start();
    await waitFor('secure session up', async () => src.live.size === 2, 30_000);
    await changes(server, 'E-1', 1, 4);
    await new Promise((r) => setTimeout(r, 400));
    await src.stop();
    const got = await h.drain();
    expect(got.filter((r) => r.signal === 'E-1').map((r) => r.value)).toEqual(
      expect.arrayContaining([1, 2, 3]),
    );
    await h.close();
    await server.stop();
  }, 90_000);
});
