/**
 * Secrets (passwords, tokens, key passphrases) never sit in the YAML: the config names an environment variable
 * (`passwordEnv`) or a file (`passwordFile`, e.g. a Docker secret). Values are never logged.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EXIT, PlantkpiError } from './errors.ts';

export const SecretRef = z
  .strictObject({
    env: z.string().min(1).optional().describe('environment variable holding the secret'),
    file: z
      .string()
      .min(1)
      .optional()
      .describe('file holding the secret, e.g. a Docker secret (a trailing newline is removed)'),
  })
  .refine((s) => (s.env === undefined) !== (s.file === undefined), {
    message: 'give exactly one of env or file',
  })
  .describe('a secret from the environment or a file, never written in the YAML');

export type SecretRefT = z.infer<typeof SecretRef>;

/** A secret the config names cannot be had: one line naming the field and the variable or file. */
export class SecretError extends PlantkpiError {
  readonly exitCode = EXIT.config;
  readonly retryable = false;
  constructor(
    /** the config field, e.g. `influx.password` or `sources.mqtt[0].password` */
    readonly field: string,
    why: string,
  ) {
    super(`${field}: ${why}`);
    this.name = 'SecretError';
  }
}

export function resolveSecret(
  ref: SecretRefT | undefined,
  what: string,
  env = process.env,
): string | undefined {
  if (ref === undefined) return undefined;
  if (ref.env !== undefined) {
    const v = env[ref.env];
    if (v === undefined) throw new SecretError(what, `environment variable ${ref.env} is not set`);
    return v;
  }
  try {
    return readFileSync(ref.file!, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new SecretError(
      what,
      `cannot read secret file ${ref.file}: ${(err as NodeJS.ErrnoException).code}`,
    );
  }
}

/** A parsed SecretRef: an object holding only `env` or only `file` (the schema refuses every other key). */
function isSecretRef(v: unknown): v is SecretRefT {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length === 1 &&
    (keys[0] === 'env' || keys[0] === 'file') &&
    typeof (v as Record<string, unknown>)[keys[0]] === 'string'
  );
}

/**
 * Resolves every secret in a parsed config section (`{ sources, influx }` for the collector) before anything starts,
 * so that a variable that is not set stops the command with one line, e.g.
 * `sources.mqtt[0].password: environment variable PLANTKPI_MQTT_PASSWORD is not set`, rather than a source
 * retrying with an empty password. Throws the first SecretError.
 */
export function checkSecrets(section: Record<string, unknown>, env = process.env): void {
  const walk = (v: unknown, at: string): void => {
    if (isSecretRef(v)) {
      resolveSecret(v, at, env);
      return;
    }
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${at}[${i}]`);
    } else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, at === '' ? k : `${at}.${k}`);
  };
  walk(section, '');
}

/** Replaces every known secret value in a text with *** (for log lines that quote server messages). */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}
