/** A small Prometheus text-format registry: counters and gauges with labels. */
export type Labels = Record<string, string>;

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, { labels: Labels; value: number }>;
  collect?: () => { labels: Labels; value: number }[];
}

const key = (l: Labels) =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(',');

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export class Metrics {
  private readonly families = new Map<string, Family>();

  private family(name: string, help: string, type: Family['type']): Family {
    let f = this.families.get(name);
    if (f === undefined) {
      f = { help, type, values: new Map() };
      this.families.set(name, f);
    }
    return f;
  }

  counter(name: string, help: string) {
    const f = this.family(name, help, 'counter');
    const bound = new WeakMap<Labels, { labels: Labels; value: number }>();
    return {
      inc: (labels: Labels = {}, by = 1) => {
        // a caller that passes the same labels object each time (a source's hot path) skips building the key
        let cur = bound.get(labels);
        if (cur === undefined) {
          const k = key(labels);
          cur = f.values.get(k) ?? { labels, value: 0 };
          f.values.set(k, cur);
          bound.set(labels, cur);
        }
        cur.value += by;
      },
      get: (labels: Labels = {}) => f.values.get(key(labels))?.value ?? 0,
    };
  }

  /** A gauge read when /metrics is scraped. */
  gauge(name: string, help: string, collect: () => { labels: Labels; value: number }[]): void {
    this.family(name, help, 'gauge').collect = collect;
  }

  render(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) {
      out.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`);
      const samples = f.collect ? f.collect() : [...f.values.values()];
      for (const s of samples) {
        const ls = Object.entries(s.labels)
          .map(([k, v]) => `${k}="${esc(v)}"`)
          .join(',');
        out.push(`${name}${ls ? `{${ls}}` : ''} ${s.value}`);
      }
    }
    return `${out.join('\n')}\n`;
  }
}
