/**
 * Topic templates: `plant/{unit}/{meter}/energy` subscribes to `plant/+/+/energy` and captures unit and meter from
 * each topic; a trailing `{rest...}` becomes `#`. Plain MQTT wildcards work too (nothing captured).
 */
export interface TopicTemplate {
  /** the MQTT subscription filter */
  filter: string;
  /** a `$share/<group>/` subscription: several clients share its messages */
  shared?: boolean;
  /** captures named parts of a concrete topic; null when it does not match */
  match(topic: string): Record<string, string> | null;
}

export function parseTopicTemplate(template: string): TopicTemplate {
  // a shared subscription `$share/<group>/<filter>`: the broker delivers topics of <filter>, without the prefix
  const shared = /^\$share\/([^/+#]+)\/(.+)$/.exec(template);
  if (template.startsWith('$share/') && !shared)
    throw new Error(`'${template}': a shared subscription is $share/<group>/<filter>`);
  const inner = shared ? parseTopicTemplate(shared[2]!) : null;
  if (inner) return { filter: `$share/${shared![1]}/${inner.filter}`, shared: true, match: inner.match };
  const parts = template.split('/');
  const names: (string | null)[] = [];
  const filterParts = parts.map((p, i) => {
    const multi = /^\{(\w+)\.\.\.\}$/.exec(p);
    if (multi) {
      if (i !== parts.length - 1)
        throw new Error(`'{${multi[1]}...}' must be the last level of '${template}'`);
      names.push(multi[1]!);
      return '#';
    }
    const single = /^\{(\w+)\}$/.exec(p);
    if (single) {
      names.push(single[1]!);
      return '+';
    }
    if (/[{}]/.test(p))
      throw new Error(`'${p}' in '${template}': a placeholder takes a whole level, like {meter}`);
    if (p === '#' && i !== parts.length - 1) throw new Error(`'#' must be the last level of '${template}'`);
    names.push(p === '+' || p === '#' ? '' : null);
    return p;
  });
  const filter = filterParts.join('/');
  return {
    filter,
    match(topic) {
      const levels = topic.split('/');
      const out: Record<string, string> = {};
      for (let i = 0; i < filterParts.length; i++) {
        const f = filterParts[i]!;
        if (f === '#') {
          if (names[i]) out[names[i]!] = levels.slice(i).join('/');
          return out;
        }
        const level = levels[i];
        if (level === undefined) return null;
        if (f === '+') {
          if (names[i]) out[names[i]!] = level;
        } else if (f !== level) return null;
      }
      return levels.length === filterParts.length ? out : null;
    },
  };
}

/** Fills `{name}` placeholders from captures: `{unit}.{meter}` -> `ELY.E-1`. Unknown names are an error. */
export function fillTemplate(template: string, captures: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = captures[name];
    if (v === undefined) throw new Error(`'{${name}}' is not captured by the topic`);
    return v;
  });
}
