/** The bench's table: min / median / max over the runs, the target with PASS or MISS (on the median), × raw. */

export interface Target {
  op: '>=' | '<=' | '<';
  value: number;
}

export interface RowSpec {
  figure: string;
  values: number[];
  /** decimals shown (default 0) */
  digits?: number;
  target?: Target;
  /** the raw ceiling's median: prints median / baseline */
  baseline?: number;
  /** the MQTT ceiling's median (the same mode, without the collector): prints median / it */
  mqttBaseline?: number;
}

const W = { case: 36, figure: 22, num: 11, target: 16, ratio: 8 };

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmt = (x: number, digits = 0) =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '-';

function meets(x: number, t: Target): boolean {
  return t.op === '>=' ? x >= t.value : t.op === '<=' ? x <= t.value : x < t.value;
}

export class Table {
  private readonly lines: string[] = [];
  private readonly misses: string[] = [];
  private readonly alarms: string[] = [];

  constructor() {
    this.lines.push(
      'case'.padEnd(W.case) +
        'figure'.padEnd(W.figure) +
        ['min', 'median', 'max'].map((h) => h.padStart(W.num)).join('') +
        '   ' +
        'target'.padEnd(W.target) +
        '× raw'.padEnd(W.ratio) +
        '× mqtt',
    );
  }

  /** rows of one case; the first column shows the case's lines (label, then notes) beside its rows */
  addCase(label: string[], rows: RowSpec[], notes: string[] = []): void {
    const left = [...label];
    const col = () => (left.shift() ?? '').padEnd(W.case);
    for (const r of rows) {
      const m = median(r.values);
      const nums = [Math.min(...r.values), m, Math.max(...r.values)]
        .map((x) => fmt(x, r.digits).padStart(W.num))
        .join('');
      let target = '';
      if (r.target) {
        const ok = meets(m, r.target);
        target = `${r.target.op} ${fmt(r.target.value)} ${ok ? 'PASS' : 'MISS'}`;
        if (!ok)
          this.misses.push(
            `${label[0]}: ${r.figure} ${fmt(m, r.digits)} (target ${r.target.op} ${fmt(r.target.value)})`,
          );
      }
      const ratio = (base?: number) => (base ? (m / base).toFixed(3) : '');
      const ratios = `${ratio(r.baseline).padEnd(W.ratio)}${ratio(r.mqttBaseline)}`;
      this.lines.push(
        `${col()}${r.figure.padEnd(W.figure)}${nums}   ${target.padEnd(W.target)}${ratios}`.trimEnd(),
      );
    }
    for (const n of notes) this.lines.push(`${col()}${n}`.trimEnd());
    while (left.length) this.lines.push(col().trimEnd());
  }

  /** data lost (or a run failed): printed loudly after the table, and the bench exits non-zero */
  alarm(text: string): void {
    this.alarms.push(text);
  }

  print(header: string[]): boolean {
    console.log(['', ...header, '', ...this.lines, ''].join('\n'));
    console.log(
      this.misses.length
        ? `targets missed (on the median):\n  ${this.misses.join('\n  ')}`
        : 'all targets met',
    );
    if (this.alarms.length) {
      const bar = '!'.repeat(100);
      console.log(`\n${bar}\n!!! ${this.alarms.join('\n!!! ')}\n${bar}`);
    }
    return this.alarms.length === 0;
  }
}
