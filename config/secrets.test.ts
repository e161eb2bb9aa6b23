import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSecrets, redact, resolveSecret, SecretError } from './secrets.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secrets', () => {
  it('come from a variable or a file (trailing newline removed)', () => {
    expect(resolveSecret({ env: 'A' }, 'x', { A: 's3cret' })).toBe('s3cret');
    const file = path.join(dir, 'pw');
    writeFileSync(file, 'from-file\n');
    expect(resolveSecret({ file }, 'x', {})).toBe('from-file');
    expect(resolveSecret(undefined, 'x', {})).toBeUndefined();
  });

  it('that are missing give one line naming the field and the variable or file', () => {
    expect(() => resolveSecret({ env: 'NOPE' }, 'influx.password', {})).toThrow(
      new SecretError('influx.password', 'environment variable NOPE is not set'),
    );
    try {
      resolveSecret({ file: path.join(dir, 'missing') }, 'jobs.redis.password', {});
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SecretError);
      expect((err as SecretError).field).toBe('jobs.redis.password');
      expect((err as Error).message).toBe(
        `jobs.redis.password: cannot read secret file ${dir}/missing: ENOENT`,
      );
    }
  });

  it('are all checked before a command starts, each named by its path in the config', () => {
    const section = {
      sources: {
        mqtt: [
          { id: 'a', password: { env: 'SET' } },
          { id: 'b', password: { env: 'PLANTKPI_MQTT_PASSWORD' }, tls: { keyPassphrase: { env: 'SET' } } },
        ],
        opcua: [],
      },
      influx: { url: 'http://x', token: { env: 'SET' } },
    };
    expect(() => checkSecrets(section, { SET: '1' })).toThrow(
      'sources.mqtt[1].password: environment variable PLANTKPI_MQTT_PASSWORD is not set',
    );
    expect(() => checkSecrets(section, { SET: '1', PLANTKPI_MQTT_PASSWORD: 'p' })).not.toThrow();
    // an object with other keys is not a secret reference
    expect(() => checkSecrets({ tls: { caFile: '/nope' }, x: { env: 'A', other: 1 } }, {})).not.toThrow();
  });

  it('are redacted from log text', () => {
    expect(redact('auth failed for s3cret', ['s3cret', undefined])).toBe('auth failed for ***');
  });
});
