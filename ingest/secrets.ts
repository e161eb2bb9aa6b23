/**
 * Secrets (passwords, tokens, key passphrases) never sit in the YAML: the config names an environment variable
 * (`passwordEnv`) or a file (`passwordFile`, e.g. a Docker secret). Values are never logged.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const SecretRef = z
  .object({
    /** environment variable holding the secret */
    env: z.string().min(1).optional(),
    /** file holding the secret (trailing newline removed) */
    file: z.string().min(1).optional(),
  })
  .refine((s) => (s.env === undefined) !== (s.file === undefined), {
    message: 'give exactly one of env or file',
  })
  .describe('a secret from the environment or a file, never written in the YAML');

export type SecretRefT = z.infer<typeof SecretRef>;

export class SecretError extends Error {}

export function resolveSecret(
  ref: SecretRefT | undefined,
  what: string,
  env = process.env,
): string | undefined {
  if (ref === undefined) return undefined;
  if (ref.env !== undefined) {
    const v = env[ref.env];
    if (v === undefined) throw new SecretError(`${what}: environment variable ${ref.env} is not set`);
    return v;
  }
  try {
    return readFileSync(ref.file!, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new SecretError(
      `${what}: cannot read secret file ${ref.file}: ${(err as NodeJS.ErrnoException).code}`,
    );
  }
}

/** Replaces every known secret value in a text with *** (for log lines that quote server messages). */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}
