/**
 * A zod parse of a config section turned into Problems: one per issue, and one per unknown key (every config object
 * is strict), each with its path and, for a misspelt key or value, "did you mean" from what that object or field
 * accepts. The known keys come from the strict object that refused the key (zod hands it to the error map), so the
 * schema declarations stay the one source of what a config may hold.
 */
import type { z } from 'zod';
import { formatPath, type Problem } from './problems.ts';
import { didYouMean } from './suggest.ts';

/** A key a strict object refused: the object's path and the key. */
export interface UnknownKey {
  at: readonly PropertyKey[];
  key: string;
}

export type SchemaCheck<T> =
  | { ok: true; data: T }
  | { ok: false; problems: Problem[]; unknownKeys: UnknownKey[]; otherProblems: number };

/** `未知字段 unknown key 'stateSignl' — 是否应为 did you mean 'stateSignal'?`, else the keys the object takes. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  if (hint !== '' || known.length === 0) return `未知字段 unknown key '${key}'${hint}`;
  return `未知字段 unknown key '${key}' (可用字段 known keys: ${known.join(', ')})`;
}

const shown = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

/** Parses `raw` with `schema`; on failure every problem at once. */
export function checkSchema<S extends z.ZodType>(schema: S, raw: unknown): SchemaCheck<z.output<S>> {
  // the keys each strict object takes, by the object's path: zod gives the refusing object to the error map only
  const knownAt = new Map<string, string[]>();
  const parsed = schema.safeParse(raw, {
    error: (iss) => {
      const path = formatPath(iss.path ?? []);
      if (iss.code === 'unrecognized_keys') {
        const shape = (iss.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
        knownAt.set(path, Object.keys(shape ?? {}));
        return undefined;
      }
      if (iss.code === 'invalid_value' && typeof iss.input === 'string') {
        const values = iss.values.map((v) => String(v));
        return `取值无效 invalid value ${shown(iss.input)}${didYouMean(iss.input, values)} (可选 expected one of: ${values.join(' / ')})`;
      }
      if (iss.code === 'invalid_union' && 'discriminator' in iss && typeof iss.discriminator === 'string') {
        const options = ((iss as { options?: unknown[] }).options ?? []).map((v) => String(v));
        const given = (iss.input as Record<string, unknown> | undefined)?.[iss.discriminator];
        if (given === undefined)
          return `缺少字段 missing key '${iss.discriminator}' (可选 expected one of: ${options.join(' / ')})`;
        const hint = typeof given === 'string' ? didYouMean(given, options) : '';
        return `取值无效 invalid value ${shown(given)}${hint} (可选 expected one of: ${options.join(' / ')})`;
      }
      return undefined;
    },
  });
  if (parsed.success) return { ok: true, data: parsed.data };
  const problems: Problem[] = [];
  const unknownKeys: UnknownKey[] = [];
  let otherProblems = 0;
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownAt.get(formatPath(issue.path)) ?? [];
      for (const key of issue.keys) {
        unknownKeys.push({ at: issue.path, key });
        problems.push({ path: formatPath([...issue.path, key]), message: unknownKeyMessage(key, known) });
      }
      continue;
    }
    otherProblems++;
    problems.push({ path: formatPath(issue.path), message: issue.message });
  }
  return { ok: false, problems, unknownKeys, otherProblems };
}

/**
 * A copy of `raw` without the given keys (and with no object shared between two places, as YAML aliases can make
 * them): what the schema would accept if the unknown keys were simply deleted.
 */
export function withoutKeys(raw: unknown, keys: readonly UnknownKey[]): unknown {
  const copy = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(copy);
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]));
    }
    return v;
  };
  const out = copy(raw);
  for (const { at, key } of keys) {
    let node: unknown = out;
    for (const step of at) node = (node as Record<PropertyKey, unknown> | undefined)?.[step];
    if (node !== null && typeof node === 'object') delete (node as Record<string, unknown>)[key];
  }
  return out;
}
