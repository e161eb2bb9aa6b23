/**
 * The sink writes a scorecard into a real private InfluxDB 1.6 (kpi/scorecard/lines.ts): every measurement reads
 * back with its tags and fields, integer fields are typed integer (InfluxDB refuses a field whose type changes, so a
 * float `rank` would break the next write), and a recompute of the period overwrites its points instead of adding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL } from '../kpi/scorecard/testdata/small-scorecard.ts';
import { InfluxKpiSink, openSink } from '../kpi/sink.ts';
import { InfluxSchema } from '../store/influx/schema.ts';
import { tempDir } from './helpers.ts';
import { type InfluxServer, startInflux } from './services/influxd.ts';

const DB = 'scorecard';
const TZ = 'Asia/Shanghai';
/** 2026-10-01 00:00 in Shanghai */
const START = Date.UTC(2026, 8, 30, 16);
const tmp = tempDir('plantkpi-scorecard-influx-');
let influx: InfluxServer;

beforeAll(async () => {
  influx = await startInflux();
  await influx.query(`CREATE DATABASE ${DB}`);
}, 60_000);
afterAll(async () => {
  await influx?.destroy();
  tmp.cleanup();
});

interface Series {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

async function select(q: string): Promise<Series[]> {
  const r = (await influx.query(q, DB)) as { results: { error?: string; series?: Series[] }[] };
  if (r.results[0]!.error) throw new Error(`${r.results[0]!.error}: ${q}`);
  return r.results[0]!.series ?? [];
}

/** Rows as objects, keyed by column. */
async function rows(q: string): Promise<Record<string, unknown>[]> {
  return (await select(q)).flatMap((s) =>
    s.values.map((v) => ({ ...s.tags, ...Object.fromEntries(s.columns.map((c, i) => [c, v[i]])) })),
  );
}

const sink = () =>
  openSink(
    { site: { id: 'S', timeZone: TZ }, influx: InfluxSchema.parse({ url: influx.url, database: DB }) },
    tmp.dir,
  );

describe('InfluxKpiSink.writeScorecard', () => {
  it('writes the four measurements, stamped at the period start, nulls absent', async () => {
    const s = sink();
    expect(s).toBeInstanceOf(InfluxKpiSink);
    await s.writeScorecard(SMALL, 'month');
    const rank = await rows(
      `SELECT "rank", "ranked", "margin_pct", "period" FROM "scorecard_rank" GROUP BY "scope_id", "group"`,
    );
    expect(rank).toEqual([
      {
        scope_id: 'A 2',
        group: 'areas',
        time: START,
        rank: null,
        ranked: 0,
        margin_pct: null,
        period: '2026-10',
      },
      {
        scope_id: 'A-1',
        group: 'areas',
        time: START,
        rank: 1,
        ranked: 1,
        margin_pct: 2.5,
        period: '2026-10',
      },
    ]);
    const points = await rows(
      `SELECT "points", "manual_points", "rolled_up_points" FROM "scorecard_points" WHERE "period_kind" = 'month' GROUP BY "scope_type", "scope_id"`,
    );
    expect(points).toEqual([
      { scope_type: 'area', scope_id: 'A 2', time: START, points: 0, manual_points: 0, rolled_up_points: 0 },
      { scope_type: 'area', scope_id: 'A-1', time: START, points: 12, manual_points: 0, rolled_up_points: 0 },
      {
        scope_type: 'branch',
        scope_id: 'B-1',
        time: START,
        points: 17.5,
        manual_points: 5.5,
        rolled_up_points: 12,
      },
    ]);
    const tasks = await rows(
      `SELECT "status", "status_code", "due", "closed_period", "on_time" FROM "task_status" GROUP BY "task", "kind"`,
    );
    // series in key order: kind=pledge before kind=task
    expect(tasks).toEqual([
      {
        task: 'P-1',
        kind: 'pledge',
        time: START,
        status: 'overdue',
        status_code: 2,
        due: '2026-09-30',
        closed_period: null,
        on_time: null,
      },
      {
        task: 'K-1',
        kind: 'task',
        time: START,
        status: 'closed',
        status_code: 1,
        due: '2026-12-31',
        closed_period: '2026-10',
        on_time: true,
      },
    ]);
    const track = await rows(
      `SELECT "ytd_actual", "progress_pct", "target_max", "yoy_pct", "unit" FROM "target_track" GROUP BY "target_period", "scope_id"`,
    );
    expect(track).toEqual([
      {
        target_period: '2026',
        scope_id: 'B-1',
        time: START,
        ytd_actual: 910,
        progress_pct: 90.8,
        target_max: 1200,
        yoy_pct: null,
        unit: 'tce',
      },
    ]);
  });

  it('integer fields are stored as integers, the others as floats, strings and booleans', async () => {
    const types = new Map<string, string>();
    for (const s of await select('SHOW FIELD KEYS'))
      for (const [field, type] of s.values) types.set(`${s.name}.${field}`, type as string);
    expect(types.get('scorecard_rank.rank')).toBe('integer');
    expect(types.get('scorecard_rank.ranked')).toBe('integer');
    expect(types.get('task_status.status_code')).toBe('integer');
    expect(types.get('scorecard_rank.margin_pct')).toBe('float');
    expect(types.get('scorecard_points.points')).toBe('float');
    expect(types.get('task_status.on_time')).toBe('boolean');
    expect(types.get('target_track.progress_pct')).toBe('float');
    expect(types.get('target_track.status')).toBe('string');
  });

  it('a recompute overwrites the period: the same number of points, the new values', async () => {
    const again = {
      ...SMALL,
      points: SMALL.points.map((p) => ({ ...p, points: p.points + 1 })),
      ranking: SMALL.ranking.map((r) => ({ ...r, rank: 1 })),
    };
    await sink().writeScorecard(again, 'month');
    const [count] = await select(`SELECT count("points") FROM "scorecard_points"`);
    expect(count!.values[0]![1]).toBe(3);
    const [ranked] = await select(`SELECT count("ranked"), sum("rank") FROM "scorecard_rank"`);
    expect(ranked!.values[0]!.slice(1)).toEqual([2, 2]);
    const branch = await rows(`SELECT "points" FROM "scorecard_points" WHERE "scope_id" = 'B-1'`);
    expect(branch).toEqual([{ time: START, points: 18.5 }]);
  });
});
