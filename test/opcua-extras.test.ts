/** OPC UA: username identity, status codes kept as quality, absolute deadband, and `plantkpi opcua browse`. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpcuaSourceSchema } from '../ingest/opcua/schema.ts';
import { OpcuaSource } from '../ingest/opcua/source.ts';
import { SimOpcuaServer } from '../sim/opcua/server.ts';
import { cli, tempDir } from './helpers.ts';
import { freePort, waitFor } from './services/ports.ts';
import { sourceHarness } from './services/source-harness.ts';

const tmp = tempDir('plantkpi-opcua-x-');
let server: SimOpcuaServer;
const T0 = Date.parse('2026-10-01T00:00:00Z');
beforeAll(async () => {
  server = new SimOpcuaServer({
    port: await freePort(),
    pkiDir: path.join(tmp.dir, 'server-pki'),
    variables: ['Line1.Energy', 'Line1.Temp'],
    users: { plantkpi: 'opcua-pass' },
    abstractVariables: { 'Line2.Flow': 12.5, 'Line2.Label': 'tank 1' },
  });
  await server.start();
});
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

describe('OPC UA extras', () => {
  it('logs in with a username, keeps non-Good status as quality, and honours an absolute deadband', async () => {
    process.env.PLANTKPI_TEST_OPCUA_PASSWORD = 'opcua-pass';
    const h = await sourceHarness(tmp.dir, { 'E-1': 'kWh', 'T-1': '1' });
    const src = new OpcuaSource(
      OpcuaSourceSchema.parse({
        id: 'plc',
        endpoint: server.endpoint,
        pkiDir: path.join(tmp.dir, 'client-pki'),
        identity: {
          type: 'username',
          username: 'plantkpi',
          password: { env: 'PLANTKPI_TEST_OPCUA_PASSWORD' },
        },
        publishingIntervalMs: 100,
        items: [
          { signal: 'E-1', nodeId: 'ns=1;s=Line1.Energy', samplingIntervalMs: 50 },
          {
            signal: 'T-1',
            nodeId: 'ns=1;s=Line1.Temp',
            samplingIntervalMs: 50,
            deadband: { type: 'absolute', value: 5 },
          },
        ],
      }),
      h.ctx,
    );
    await src.start();
    await waitFor('live', async () => src.live.size === 2, 20_000);
    const step = async (f: () => void) => {
      f();
      await new Promise((r) => setTimeout(r, 250));
    };
    await step(() => server.set('Line1.Energy', 10, T0 + 1000, 'UncertainLastUsableValue'));
    await step(() => server.set('Line1.Energy', 11, T0 + 2000));
    for (const [i, v] of [100, 101, 102, 110, 111].entries())
      await step(() => server.set('Line1.Temp', v, T0 + i * 1000));
    await src.stop();
    const got = await h.drain();
    const mine = (r: { timeMs: number }) => r.timeMs >= T0 && r.timeMs < T0 + 60_000; // not the values at start-up
    const e = got.filter((r) => r.signal === 'E-1' && mine(r));
    expect(e).toEqual([
      { signal: 'E-1', timeMs: T0 + 1000, value: 10, quality: 'UncertainLastUsableValue' },
      { signal: 'E-1', timeMs: T0 + 2000, value: 11 },
    ]);
    const t = got.filter((r) => r.signal === 'T-1' && mine(r)).map((r) => r.value);
    expect(t).toEqual([100, 110]); // 101, 102 and 111 are within the deadband of the last reported value
    await h.close();
  }, 60_000);

  it('logs in with an X.509 user certificate the server trusts', async () => {
    const dir = path.join(tmp.dir, 'x509');
    const userPki = path.join(dir, 'user-pki');
    const secure = new SimOpcuaServer({
      port: await freePort(),
      pkiDir: path.join(dir, 'server-pki'),
      variables: ['Line1.Energy'],
      users: {},
      userPkiDir: userPki,
    });
    await secure.start();
    execFileSync('mkdir', ['-p', dir]);
    const cert = path.join(dir, 'user.crt');
    const key = path.join(dir, 'user.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=plantkpi-collector',
        '-keyout',
        key,
        '-out',
        cert,
        '-addext',
        'keyUsage=digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment',
        '-addext',
        'extendedKeyUsage=clientAuth',
        '-addext',
        'subjectAltName=URI:urn:plantkpi:user',
      ],
      // node-opcua's PKI code leaves OPENSSL_CONF=undefined in the environment: give openssl a clean one
      { stdio: 'pipe', env: { PATH: process.env.PATH ?? '/usr/bin' } },
    );
    const der = Buffer.from(
      readFileSync(cert, 'utf8')
        .replace(/-----[^-]+-----/g, '')
        .replace(/\s+/g, ''),
      'base64',
    );
    await secure.userCertificateManager!.trustCertificate(der);
    const h = await sourceHarness(dir, { 'E-1': 'kWh' });
    const src = new OpcuaSource(
      OpcuaSourceSchema.parse({
        id: 'x509',
        endpoint: secure.endpoint,
        pkiDir: path.join(dir, 'client-pki'),
        identity: { type: 'certificate', certFile: cert, keyFile: key },
        items: [{ signal: 'E-1', nodeId: 'ns=1;s=Line1.Energy', samplingIntervalMs: 50 }],
      }),
      h.ctx,
    );
    await src.start();
    await waitFor('live with a certificate identity', async () => src.live.size === 1, 20_000).catch((e) => {
      throw new Error(`${e.message}: ${JSON.stringify(h.logs.slice(-3))}`);
    });
    await src.stop();
    await h.close();
    await secure.stop();
  }, 60_000);

  it('plantkpi opcua browse refuses clearly without the credentials the server wants', async () => {
    const r = await cli('opcua', 'browse', server.endpoint);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^plantkpi: cannot browse opc\.tcp:.*ANONYMOUS.*--user/s);
    expect(r.err).not.toMatch(/ at /);
  }, 30_000);

  it('plantkpi opcua browse prints the variables as a draft config', async () => {
    process.env.PLANTKPI_TEST_OPCUA_PASSWORD = 'opcua-pass';
    const r = await cli(
      'opcua',
      'browse',
      server.endpoint,
      '--user',
      'plantkpi',
      '--password-env',
      'PLANTKPI_TEST_OPCUA_PASSWORD',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('nodeId: "ns=1;s=Line1.Energy"');
    expect(r.out).toMatch(/- \{ id: Line1\.Temp, kind: gauge/);
    // declared with the abstract BaseDataType (as open62541 does): listed when it holds a number, not a string
    expect(r.out).toContain('- { id: Line2.Flow, kind: gauge, unit: "1" }   # BaseDataType, now Double');
    expect(r.out).toContain('nodeId: "ns=1;s=Line2.Flow"');
    expect(r.out).not.toContain('Line2.Label');
    expect(r.out).toMatch(/^# Draft from .*: 3 numeric variables/);
  }, 30_000);

  it('the simulated server advertises the host name it is given (compose: simulator), not 127.0.0.1', async () => {
    const { OPCUAClient } = await import('node-opcua');
    const named = new SimOpcuaServer({
      port: await freePort(),
      hostname: 'localhost',
      pkiDir: path.join(tmp.dir, 'named-pki'),
      variables: ['X'],
    });
    await named.start();
    try {
      expect(named.endpoint).toMatch(/^opc\.tcp:\/\/localhost:\d+\/plantkpi\/sim$/);
      const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
      await client.connect(named.endpoint);
      try {
        const endpoints = await client.getEndpoints();
        expect(endpoints.length).toBeGreaterThan(0);
        for (const e of endpoints) expect(new URL(e.endpointUrl!).hostname).toBe('localhost');
      } finally {
        await client.disconnect();
      }
    } finally {
      await named.stop();
    }
  }, 60_000);
});
