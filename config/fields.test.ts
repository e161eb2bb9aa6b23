import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configFields } from './fields.ts';
import { PlantConfigSchema, plantJsonSchema } from './schema.ts';

describe('every config field is described', () => {
  it('in the zod schema: no field path without a .describe()', () => {
    const fields = configFields(PlantConfigSchema);
    expect(fields.length).toBeGreaterThan(200);
    const undescribed = fields.filter((f) => !f.description?.trim()).map((f) => f.path);
    expect(undescribed, 'add a .describe() to these fields').toEqual([]);
  });

  it('in the JSON Schema for editors: every property carries its description', () => {
    const missing: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) {
        for (const x of node) walk(x, at);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      for (const [k, p] of Object.entries((n.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        const path = at === '' ? k : `${at}.${k}`;
        if (typeof p.description !== 'string') missing.push(path);
        walk(p, path);
      }
      for (const key of ['anyOf', 'oneOf', 'allOf']) walk(n[key], at);
      if (n.items !== undefined) walk(n.items, `${at}[]`);
      if (typeof n.additionalProperties === 'object') walk(n.additionalProperties, `${at}.<key>`);
    };
    walk(plantJsonSchema(), '');
    expect(missing).toEqual([]);
  });

  it('the walk finds fields inside lists, unions, records and optional/default/prefault wrappers', () => {
    const leaf = z.number();
    const schema = z.object({
      a: z
        .array(z.object({ b: leaf }).prefault({ b: 0 }))
        .default([])
        .describe('A'),
      c: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('x').describe('X'), d: leaf.optional() }),
          z.object({ kind: z.literal('y'), e: leaf.describe('E').default(1) }),
        ])
        .optional()
        .describe('C'),
      f: z.record(z.string(), z.object({ g: leaf.nullable() })).describe('F'),
      h: z
        .object({ i: leaf.describe('inner') })
        .describe('outer')
        .optional(),
    });
    const fields = configFields(schema);
    const undescribed = fields.filter((f) => f.description === undefined).map((f) => f.path);
    expect(undescribed).toEqual(['a[].b', 'c.kind', 'c.d', 'f.<key>.g']);
    const e = fields.find((f) => f.path === 'c.e');
    expect(e).toMatchObject({ default: '1', required: false, variants: ['y'], description: 'E' });
    expect(fields.find((f) => f.path === 'a[].b')).toMatchObject({ type: 'number', required: true });
    expect(fields.find((f) => f.path === 'h')?.description).toBe('outer');
  });
});
