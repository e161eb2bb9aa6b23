/** The write target the config asks for, with its secrets resolved from the environment or files. */
import { resolveSecret } from '../../config/secrets.ts';
import type { InfluxConfig } from './schema.ts';
import { V1WriteTarget, V2WriteTarget, type WriteTarget } from './targets.ts';

export function makeWriteTarget(c: InfluxConfig, env = process.env): WriteTarget {
  if (c.version === 2) {
    const token = resolveSecret(c.token, 'influx.token', env);
    if (token === undefined || c.org === undefined || c.bucket === undefined) {
      throw new Error('influx version 2 needs token (env or file), org and bucket');
    }
    return new V2WriteTarget({ url: c.url, token, org: c.org, bucket: c.bucket, timeoutMs: c.timeoutMs });
  }
  const password = resolveSecret(c.password, 'influx.password', env);
  return new V1WriteTarget({
    url: c.url,
    database: c.database,
    timeoutMs: c.timeoutMs,
    ...(c.retentionPolicy !== undefined ? { retentionPolicy: c.retentionPolicy } : {}),
    ...(c.username !== undefined ? { username: c.username } : {}),
    ...(password !== undefined ? { password } : {}),
  });
}
