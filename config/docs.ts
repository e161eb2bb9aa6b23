/**
 * The config sections of the READMEs, generated from the zod schema (config/fields.ts): each block sits between
 * `<!-- config:<name>:start -->` and `<!-- config:<name>:end -->` in its README. `npm run schema` rewrites them;
 * config/docs.test.ts fails when one is not current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type ConfigField, configFields } from './fields.ts';
import { PlantConfigSchema } from './schema.ts';

export interface DocBlock {
  name: string;
  /** README path from the repository root */
  file: string;
  /** the fields under this path (`spool`, `sources.mqtt[]`); '' for the whole plant config */
  prefix: string;
  /** instead of a field table: this sample config (path from the repository root), shown as it is */
  sample?: string;
}

/** Sections with their own README: the plant config's table lists their top field and points there. */
export const DOC_BLOCKS: readonly DocBlock[] = [
  { name: 'plant', file: 'config/README.md', prefix: '' },
  { name: 'mqtt', file: 'ingest/mqtt/README.md', prefix: 'sources.mqtt[]' },
  {
    name: 'mqtt-sample',
    file: 'ingest/mqtt/README.md',
    prefix: 'sources.mqtt[]',
    sample: 'ingest/mqtt/sample.yaml',
  },
  { name: 'opcua', file: 'ingest/opcua/README.md', prefix: 'sources.opcua[]' },
  {
    name: 'opcua-sample',
    file: 'ingest/opcua/README.md',
    prefix: 'sources.opcua[]',
    sample: 'ingest/opcua/sample.yaml',
  },
  { name: 'spool', file: 'ingest/README.md', prefix: 'spool' },
  { name: 'collector', file: 'ingest/README.md', prefix: 'collector' },
  { name: 'influx', file: 'store/README.md', prefix: 'influx' },
  { name: 'jobs', file: 'kpi/jobs/README.md', prefix: 'jobs' },
  { name: 'records', file: 'records/README.md', prefix: 'records' },
];

const root = new URL('../', import.meta.url);

/** `path` lies inside `prefix`: `spool.dir` in `spool`, `sources.mqtt[].id` in `sources.mqtt[]` */
const under = (path: string, prefix: string): boolean =>
  path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

function relative(path: string, prefix: string): string {
  const rest = path.slice(prefix.length);
  return rest.startsWith('.') ? rest.slice(1) : rest;
}

/** A description as markdown prose: one line, `<` escaped outside code spans (`energy.<id>` is no HTML tag). */
function prose(text: string): string {
  return text
    .replaceAll('\n', ' ')
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replaceAll('<', '\\<') : part))
    .join('`');
}

/** One field as a list item: `- \`path\` (type, default \`x\`; counter, manual): description` */
function item(f: ConfigField, prefix: string, seeAlso: string | undefined): string {
  const dflt = f.default !== undefined ? `default \`${f.default}\`` : f.required ? 'required' : 'optional';
  const variants = f.variants.length > 0 ? `; ${f.variants.join(', ')}` : '';
  const see = seeAlso === undefined ? '' : `; fields in [${seeAlso}](${seeAlso})`;
  const desc = `${prose(f.description ?? '')}${see}`;
  return `- \`${relative(f.path, prefix)}\` (${f.type}, ${dflt}${variants}): ${desc}`;
}

function intro(prefix: string): string {
  if (prefix === '') return 'Fields of the plant config';
  if (prefix.endsWith('[]')) return `Fields of each \`${prefix.slice(0, -2)}\` entry`;
  return `Fields of \`${prefix}\``;
}

/** The markdown table of one block (without its markers). */
export function renderBlock(block: DocBlock, fields = configFields(PlantConfigSchema)): string {
  if (block.sample !== undefined) {
    const text = readFileSync(new URL(block.sample, root), 'utf8');
    return `<!-- ${block.sample}, copied by \`npm run schema\` (a test parses it) -->\n\`\`\`yaml\n${text.trimEnd()}\n\`\`\``;
  }
  const others = DOC_BLOCKS.filter(
    (b) => b.sample === undefined && b.prefix !== '' && b.prefix !== block.prefix,
  );
  const dir = block.file.split('/').slice(0, -1);
  const link = (file: string): string => {
    const up = dir.map(() => '..');
    return [...up, file].join('/');
  };
  const shown = fields.filter(
    (f) =>
      (block.prefix === '' || under(f.path, block.prefix)) && !others.some((o) => under(f.path, o.prefix)),
  );
  const lines = [
    `<!-- generated from the zod schema by \`npm run schema\`: edit the .describe() texts, not this list -->`,
    `${intro(block.prefix)}${shown.some((f) => f.path.includes('[]', block.prefix.length)) ? ' (a list element is written `[]`)' : ''}:`,
    '',
  ];
  for (const f of shown) {
    // the top field of a section documented elsewhere links there
    const elsewhere = others.filter((o) => o.prefix === f.path || o.prefix === `${f.path}[]`);
    const see =
      block.prefix === '' && elsewhere.length > 0
        ? [...new Set(elsewhere.map((o) => link(o.file)))].join(', ')
        : undefined;
    lines.push(item(f, block.prefix, see));
  }
  return lines.join('\n');
}

function markers(name: string): [string, string] {
  return [`<!-- config:${name}:start -->`, `<!-- config:${name}:end -->`];
}

/** The README text with every block of `blocks` regenerated; throws when a block's markers are missing. */
export function withBlocks(text: string, file: string, blocks: readonly DocBlock[]): string {
  let out = text;
  for (const b of blocks) {
    const [start, end] = markers(b.name);
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${file}: missing ${start} ... ${end}`);
    out = `${out.slice(0, i + start.length)}\n${renderBlock(b)}\n${out.slice(j)}`;
  }
  return out;
}

function byFile(): Map<string, DocBlock[]> {
  const files = new Map<string, DocBlock[]>();
  for (const b of DOC_BLOCKS) files.set(b.file, [...(files.get(b.file) ?? []), b]);
  return files;
}

/** READMEs whose generated blocks are not current. */
export function staleDocs(): string[] {
  const stale: string[] = [];
  for (const [file, blocks] of byFile()) {
    const text = readFileSync(new URL(file, root), 'utf8');
    if (withBlocks(text, file, blocks) !== text) stale.push(file);
  }
  return stale;
}

/** Rewrites the generated blocks of every README; returns the files that changed. */
export function writeDocs(): string[] {
  const changed: string[] = [];
  for (const [file, blocks] of byFile()) {
    const url = new URL(file, root);
    const text = readFileSync(url, 'utf8');
    const next = withBlocks(text, file, blocks);
    if (next !== text) {
      writeFileSync(url, next);
      changed.push(file);
    }
  }
  return changed;
}
