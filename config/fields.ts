/**
 * Walks a zod config schema into one row per field (path, type, default, description): the source of the
 * generated config tables in the READMEs (docs.ts) and of the test that every field is described.
 * Goes through objects, arrays, records, unions (a discriminated union's variants are merged by path) and the
 * optional/default/prefault/nullable wrappers; the outermost description of a wrapper chain wins, as in
 * z.toJSONSchema.
 */
import type { z } from 'zod';

export interface ConfigField {
  /** dotted path, `[]` for list elements and `.<key>` for record entries: `sources.mqtt[].subscriptions[].topic` */
  path: string;
  /** short type: `string`, `integer`, `json / sparkplug / plain`, `list of objects`, ... */
  type: string;
  /** the default: a string as it is, anything else as JSON; undefined when there is none */
  default: string | undefined;
  /** neither optional nor defaulted */
  required: boolean;
  /** the `.describe()` text, undefined when the field has none */
  description: string | undefined;
  /** the discriminator values of the union variants that have this field (empty: all) */
  variants: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: zod's internal definitions are untyped across schema kinds
type Def = any;
const def = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'nonoptional']);

interface Unwrapped {
  core: z.ZodType;
  description: string | undefined;
  /** the outermost default or prefault; undefined when there is none */
  defaultValue: unknown;
  optional: boolean;
}

function unwrap(schema: z.ZodType): Unwrapped {
  let s = schema;
  let description: string | undefined;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    description ??= s.description;
    const d = def(s);
    if (!WRAPPERS.has(d.type)) break;
    if ((d.type === 'default' || d.type === 'prefault') && defaultValue === undefined) {
      defaultValue = d.defaultValue;
      optional = true;
    }
    if (d.type === 'optional') optional = true;
    s = d.innerType;
  }
  return { core: s, description, defaultValue, optional };
}

const literal = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function unionOptions(core: z.ZodType): z.ZodType[] {
  return (def(core).options as z.ZodType[]).map((o) => unwrap(o).core);
}

/** A short type name for a field's core schema. */
export function typeName(core: z.ZodType): string {
  const d = def(core);
  switch (d.type) {
    case 'number':
      return (core as z.ZodNumber).isInt ? 'integer' : 'number';
    case 'enum':
      return Object.values(d.entries as Record<string, unknown>)
        .map(literal)
        .join(' / ');
    case 'literal':
      return (d.values as unknown[]).map(literal).join(' / ');
    case 'array': {
      const el = typeName(unwrap(d.element).core);
      return el === 'object' ? 'list of objects' : `list of ${el}`;
    }
    case 'record':
      return `map of ${typeName(unwrap(d.keyType).core)} to ${typeName(unwrap(d.valueType).core)}`;
    case 'union': {
      const opts = unionOptions(core);
      if (opts.every((o) => def(o).type === 'object')) return 'object';
      return opts.map(typeName).join(' / ');
    }
    default:
      return d.type;
  }
}

function defaultText(u: Unwrapped): string | undefined {
  const v = u.defaultValue;
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The fields inside a schema that holds fields (an object, a list of objects, a union of objects). */
function childrenOf(core: z.ZodType, path: string): ConfigField[] {
  const d = def(core);
  switch (d.type) {
    case 'object':
      return objectFields(core, path);
    case 'array':
      return childrenOf(unwrap(d.element).core, `${path}[]`);
    case 'record':
      return childrenOf(unwrap(d.valueType).core, `${path}.<key>`);
    case 'union':
      return unionFields(core, path);
    default:
      return [];
  }
}

function objectFields(core: z.ZodType, prefix: string): ConfigField[] {
  const rows: ConfigField[] = [];
  const shape = def(core).shape as Record<string, z.ZodType>;
  for (const [key, field] of Object.entries(shape)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const u = unwrap(field);
    rows.push({
      path,
      type: typeName(u.core),
      default: defaultText(u),
      required: !u.optional,
      description: u.description,
      variants: [],
    });
    rows.push(...childrenOf(u.core, path));
  }
  return rows;
}

/** A discriminated union's key, and each option's value of it. */
function discriminator(core: z.ZodType, options: z.ZodType[]): { key: string; values: string[] } | undefined {
  const key = def(core).discriminator as string | undefined;
  if (key === undefined) return undefined;
  const values = options.map((o) => {
    const lit = def(unwrap((def(o).shape as Record<string, z.ZodType>)[key] as z.ZodType).core);
    return (lit.values as unknown[]).map(literal).join(' / ');
  });
  return { key, values };
}

/** Fields of a union of objects, merged by path; a field that differs between variants gets one row per kind. */
function unionFields(core: z.ZodType, path: string): ConfigField[] {
  const options = unionOptions(core);
  if (!options.every((o) => def(o).type === 'object')) return [];
  const disc = discriminator(core, options);
  const merged = new Map<string, ConfigField[]>();
  options.forEach((o, i) => {
    for (const row of objectFields(o, path)) {
      const variant = disc?.values[i] ?? String(i + 1);
      if (disc !== undefined && row.path === `${path === '' ? '' : `${path}.`}${disc.key}`) {
        const before = merged.get(row.path)?.[0];
        row.type = disc.values.join(' / ');
        // one variant without a description leaves the whole row without one, so that the test names it
        row.description =
          (before !== undefined && before.description === undefined) || row.description === undefined
            ? undefined
            : `${before?.description === undefined ? '' : `${before.description}; `}${variant}: ${row.description}`;
        merged.set(row.path, [row]);
        continue;
      }
      const same = merged
        .get(row.path)
        ?.find(
          (r) =>
            r.type === row.type &&
            r.default === row.default &&
            r.required === row.required &&
            r.description === row.description,
        );
      if (same) same.variants.push(variant);
      else merged.set(row.path, [...(merged.get(row.path) ?? []), { ...row, variants: [variant] }]);
    }
  });
  const all = options.length;
  return [...merged.values()].flat().map((r) => (r.variants.length === all ? { ...r, variants: [] } : r));
}

/** Every field of a config schema, depth first in declaration order, paths under `prefix`. */
export function configFields(schema: z.ZodType, prefix = ''): ConfigField[] {
  return childrenOf(unwrap(schema).core, prefix);
}
