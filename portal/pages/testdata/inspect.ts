/**
 * Reading the pages' HTML back in unit tests, without a DOM: the pages' own regular structure (tables with a caption
 * and a data-label per cell, forms that never nest) is enough. The browser test checks the real DOM.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#96;': '`',
};

/** Text content: tags dropped, entities read back, whitespace collapsed. */
export function text(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|#96);/g, (e) => ENTITIES[e]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The rows of the table with this caption, each as column label -> cell text (and the cell's HTML). */
export function tableRows(
  page: string,
  caption: string,
): { cells: Map<string, string>; html: Map<string, string> }[] {
  const tables = [...page.matchAll(/<table>\s*<caption>([\s\S]*?)<\/caption>([\s\S]*?)<\/table>/g)];
  const t = tables.find((m) => text(m[1]!) === caption);
  if (!t) throw new Error(`no table "${caption}" (have: ${tables.map((m) => text(m[1]!)).join(', ')})`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(t[2]!)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => {
    const cells = new Map<string, string>();
    const html = new Map<string, string>();
    for (const c of r[1]!.matchAll(/<td data-label="([^"]*)"[^>]*>([\s\S]*?)<\/td>/g)) {
      cells.set(text(c[1]!), text(c[2]!));
      html.set(text(c[1]!), c[2]!);
    }
    return { cells, html };
  });
}

export interface FormInfo {
  method: string;
  action: string | undefined;
  enctype: string | undefined;
  /** name -> value of the hidden inputs */
  hidden: Map<string, string>;
  /** names of every field (input, textarea, select) */
  fields: string[];
  html: string;
}

/** The value of each attribute of one start tag. */
export function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const body = tag.replace(/^<[a-zA-Z][\w-]*/, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g))
    out.set(m[1]!.toLowerCase(), text(m[2] ?? m[3] ?? m[4] ?? ''));
  return out;
}

/** Every start tag of the page. */
export function startTags(page: string): string[] {
  return [...page.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
}

export function forms(page: string): FormInfo[] {
  return [...page.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/g)].map((m) => {
    const a = attributes(m[1]!);
    const hidden = new Map<string, string>();
    const fields: string[] = [];
    for (const tag of startTags(m[2]!)) {
      if (!/^<(input|textarea|select)\b/.test(tag)) continue;
      const f = attributes(tag);
      const name = f.get('name');
      if (name === undefined) continue;
      fields.push(name);
      if (f.get('type') === 'hidden') hidden.set(name, f.get('value') ?? '');
    }
    return {
      method: (a.get('method') ?? 'get').toLowerCase(),
      action: a.get('action'),
      enctype: a.get('enctype'),
      hidden,
      fields,
      html: m[0],
    };
  });
}
