/**
 * A board's queries as Grafana's InfluxDB (InfluxQL) data source sends them: `$timeFilter` from the panel's range
 * (its relative time override `timeFrom`, else the board's time range; Grafana's getInfluxTime: `now-30d` stays
 * relative, `now()`, anything else goes through date math in the board's time zone to epoch ms), `$__interval` from
 * the range and the data source's minimum interval, and template variables at their default (includeAll with no
 * saved choice: All, i.e. the variable's allValue); a repeated panel once per value of its variable.
 */
import { DateTime, type DurationLikeObject } from 'luxon';

export interface BoardJson {
  title: string;
  timezone?: string;
  time: { from: string; to: string };
  panels: PanelJson[];
  templating: {
    list: { name: string; query: string; includeAll?: boolean; allValue?: string; current?: unknown }[];
  };
}

export interface PanelJson {
  title: string;
  /** relative time override: the panel's range is `timeFrom` to now */
  timeFrom?: string;
  /** one copy of the panel per value of this variable */
  repeat?: string;
  targets?: { query: string; refId?: string; alias?: string }[];
}

const UNITS: Record<string, keyof DurationLikeObject> = {
  s: 'seconds',
  m: 'minutes',
  h: 'hours',
  d: 'days',
  w: 'weeks',
  M: 'months',
  y: 'years',
};

/** Grafana's dateMath.parse for `now`, `now-5d`, `now-1M/M`, `now/d` (roundUp: the end of the unit), in `zone`. */
export function dateMath(text: string, roundUp: boolean, nowMs: number, zone: string): number {
  const m = /^now((?:[+-]\d+[smhdwMy])*)(?:\/([smhdwMy]))?$/.exec(text);
  if (!m) throw new Error(`not a relative time Grafana knows here: ${text}`);
  let t = DateTime.fromMillis(nowMs, { zone });
  for (const [, sign, n, unit] of m[1]!.matchAll(/([+-])(\d+)([smhdwMy])/g)) {
    const d = { [UNITS[unit!]!]: Number(n) };
    t = sign === '-' ? t.minus(d) : t.plus(d);
  }
  if (m[2] !== undefined) {
    const unit = UNITS[m[2]]!.replace(/s$/, '') as
      | 'second'
      | 'minute'
      | 'hour'
      | 'day'
      | 'week'
      | 'month'
      | 'year';
    t = roundUp ? t.endOf(unit) : t.startOf(unit);
  }
  return t.toMillis();
}

/** The InfluxDB data source's getInfluxTime. */
function influxTime(raw: string, roundUp: boolean, nowMs: number, zone: string): string {
  if (raw === 'now') return 'now()';
  const rel = /^now-(\d+)([dhms])$/.exec(raw);
  if (rel) return `now() - ${rel[1]}${rel[2]}`;
  return `${dateMath(raw, roundUp, nowMs, zone)}ms`;
}

/** Grafana's kbn.roundInterval, in ms. */
function roundInterval(ms: number): number {
  const steps: [number, number][] = [
    [15, 10],
    [35, 20],
    [75, 50],
    [150, 100],
    [350, 200],
    [750, 500],
    [1500, 1000],
    [3500, 2000],
    [7500, 5000],
    [12500, 10_000],
    [17500, 15_000],
    [25000, 20_000],
    [45000, 30_000],
    [90000, 60_000],
    [210000, 120_000],
    [450000, 300_000],
    [750000, 600_000],
    [1050000, 900_000],
    [1500000, 1_200_000],
    [2700000, 1_800_000],
    [5400000, 3_600_000],
    [9000000, 7_200_000],
    [16200000, 10_800_000],
    [32400000, 21_600_000],
    [86400000, 43_200_000],
    [604800000, 86_400_000],
    [1814400000, 604_800_000],
    [3628800000, 2_592_000_000],
  ];
  for (const [below, to] of steps) if (ms < below) return to;
  return 31_536_000_000;
}

export interface Expansion {
  nowMs: number;
  /** the data source's minimum interval (provisioning's jsonData.timeInterval), ms */
  minIntervalMs: number;
  /** points a panel asks for (its width in pixels); Grafana's default when unknown */
  maxDataPoints?: number;
  /** each template variable's values (its query's result) */
  variables: Record<string, string[]>;
}

/** The board's time zone (Grafana's `browser` is taken as UTC here). */
export function boardZone(board: BoardJson): string {
  return board.timezone && board.timezone !== 'browser' ? board.timezone : 'UTC';
}

/** The raw range a panel queries by default: its relative time override (to now), else the board's range. */
export function panelRange(board: BoardJson, panel?: PanelJson): { from: string; to: string } {
  if (panel?.timeFrom === undefined) return board.time;
  const from = panel.timeFrom.startsWith('now') ? panel.timeFrom : `now-${panel.timeFrom}`;
  return { from, to: 'now' };
}

/** The absolute default range of a panel, epoch ms. */
export function panelRangeMs(
  board: BoardJson,
  panel: PanelJson | undefined,
  nowMs: number,
): [number, number] {
  const { from, to } = panelRange(board, panel);
  const zone = boardZone(board);
  return [dateMath(from, false, nowMs, zone), dateMath(to, true, nowMs, zone)];
}

/** Grafana's escapeRegex, applied to a multi-value variable's values in a query. */
const escapeRegex = (v: string) => v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

export interface PanelQuery {
  /** the panel's title, with the repeated value */
  label: string;
  refId: string;
  query: string;
  /** the provisional points drawn over the values (alias `暂定 provisional…`): empty while every meter is complete */
  provisional: boolean;
}

/** Every query a panel sends on its default range: per target, and per value of the variable it repeats on. */
export function panelQueries(board: BoardJson, panel: PanelJson, x: Expansion): PanelQuery[] {
  const copies = panel.repeat === undefined ? [undefined] : (x.variables[panel.repeat] ?? []);
  return copies.flatMap((value) =>
    (panel.targets ?? []).map((t, i) => ({
      label: `${board.title} / ${panel.title}${value === undefined ? '' : ` [${value}]`}`,
      refId: t.refId ?? String.fromCharCode(65 + i),
      provisional: t.alias?.startsWith('暂定 provisional') ?? false,
      query: expandQuery(
        board,
        value === undefined ? t.query : t.query.replaceAll(`$${panel.repeat}`, escapeRegex(value)),
        x,
        panel,
      ),
    })),
  );
}

/** The query Grafana sends for `query` on `panel`'s (or, without a panel, `board`'s) default time range. */
export function expandQuery(board: BoardJson, query: string, x: Expansion, panel?: PanelJson): string {
  const zone = boardZone(board);
  const { from, to } = panelRange(board, panel);
  const fromMs = dateMath(from, false, x.nowMs, zone);
  const toMs = dateMath(to, true, x.nowMs, zone);
  const intervalMs = Math.max(x.minIntervalMs, roundInterval((toMs - fromMs) / (x.maxDataPoints ?? 1000)));
  let q = query
    .replaceAll(
      '$timeFilter',
      `time >= ${influxTime(from, false, x.nowMs, zone)} and time <= ${influxTime(to, true, x.nowMs, zone)}`,
    )
    .replaceAll('$__interval', `${Math.round(intervalMs / 1000)}s`);
  for (const v of board.templating.list) {
    const value =
      v.includeAll && v.current === undefined && v.allValue !== undefined
        ? v.allValue
        : `(${(x.variables[v.name] ?? []).join('|')})`;
    q = q.replaceAll(`$${v.name}`, value);
  }
  return q;
}
