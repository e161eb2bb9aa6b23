/**
 * A board as Grafana (schema 39) reads it: InfluxQL targets on the provisioned data source, units and decimals from
 * kpi/present.ts, provisional points and rows marked, monthly panels on their own range.
 */
import { FINAL_LABEL, PROVISIONAL_LABEL, STATUS_LABELS, unitStyle } from '../kpi/present.ts';
import {
  BOARD_RANGE,
  type BoardDef,
  type BoardSite,
  MONTH_RANGE,
  type PanelDef,
  type QueryDef,
} from './defs.ts';

const DS = { type: 'influxdb', uid: 'plantkpi-influxdb' };
/** provisional points and rows: an orange that reads "not final yet" */
const PROVISIONAL_COLOR = 'orange';

/** Grafana's unit and decimals for a query's unit: a KPI unit through kpi/present.ts, or `ops:<grafana unit>`. */
export function displayUnit(unit: string): { unit: string; decimals?: number } {
  if (unit.startsWith('ops:')) return { unit: unit.slice(4) };
  const s = unitStyle(unit);
  return { unit: s.grafanaUnit, decimals: s.decimals };
}

type Property = { id: string; value: unknown };
type Override = { matcher: { id: string; options: string }; properties: Property[] };

function unitProperties(unit: string): Property[] {
  const d = displayUnit(unit);
  return [
    { id: 'unit', value: d.unit },
    ...(d.decimals === undefined ? [] : [{ id: 'decimals', value: d.decimals }]),
  ];
}

const refId = (i: number) => String.fromCharCode(65 + i);
const isTable = (p: PanelDef) => p.type === 'table' || p.rankBy !== undefined;

function overrides(p: PanelDef): Override[] {
  const out: Override[] = [];
  const first = p.queries[0]!;
  p.queries.forEach((q, i) => {
    if (q.alarmAbove !== undefined) out.push(alarmOverride(refId(i), q.alarmAbove));
    if (q.provisional) {
      out.push({
        matcher: { id: 'byFrameRefID', options: refId(i) },
        properties: [
          { id: 'custom.drawStyle', value: 'points' },
          { id: 'custom.pointSize', value: 9 },
          { id: 'custom.showPoints', value: 'always' },
          { id: 'color', value: { mode: 'fixed', fixedColor: PROVISIONAL_COLOR } },
        ],
      });
    } else if (i > 0 && q.unit !== first.unit) {
      const matcher = isTable(p)
        ? { id: 'byName', options: q.column ?? refId(i) }
        : { id: 'byFrameRefID', options: refId(i) };
      out.push({ matcher, properties: unitProperties(q.unit) });
    }
    for (const [column, unit] of Object.entries(q.columnUnits ?? {}))
      out.push({ matcher: { id: 'byName', options: column }, properties: unitProperties(unit) });
  });
  if (isTable(p)) {
    out.push(
      labelOverride('暂定 provisional', {
        true: { text: PROVISIONAL_LABEL, color: PROVISIONAL_COLOR },
        false: { text: FINAL_LABEL },
      }),
    );
    const declared = new Set(p.queries.flatMap((q) => Object.keys(q.columnLabels ?? {})));
    // a target's status, unless the panel labels its own status column (a task's, a tracked target's)
    if (!declared.has(STATUS_COLUMN)) {
      const colors = { met: 'green', missed: 'red', no_data: 'text' } as const;
      out.push(
        labelOverride(
          STATUS_COLUMN,
          Object.fromEntries(
            Object.entries(STATUS_LABELS).map(([k, text]) => [
              k,
              { text, color: colors[k as keyof typeof colors] },
            ]),
          ),
        ),
      );
    }
    for (const q of p.queries)
      for (const [column, labels] of Object.entries(q.columnLabels ?? {}))
        out.push(labelOverride(column, labels));
  }
  return out;
}

const STATUS_COLUMN = '状态 status';

/** A series red above `limit` (a balance's loss alarm): a threshold line and area, the line coloured by it. */
function alarmOverride(ref: string, limit: number): Override {
  return {
    matcher: { id: 'byFrameRefID', options: ref },
    properties: [
      {
        id: 'thresholds',
        value: {
          mode: 'absolute',
          steps: [
            { color: 'green', value: null },
            { color: 'red', value: limit },
          ],
        },
      },
      { id: 'color', value: { mode: 'thresholds' } },
      { id: 'custom.gradientMode', value: 'scheme' },
      { id: 'custom.thresholdsStyle', value: { mode: 'line+area' } },
    ],
  };
}

/** A column's values shown as words, in colour (the cell's text) where a colour is given. */
function labelOverride(column: string, labels: Record<string, { text: string; color?: string }>): Override {
  return {
    matcher: { id: 'byName', options: column },
    properties: [
      {
        id: 'mappings',
        value: [
          {
            type: 'value',
            options: Object.fromEntries(
              Object.entries(labels).map(([k, l], index) => [
                k,
                { text: l.text, ...(l.color === undefined ? {} : { color: l.color }), index },
              ]),
            ),
          },
        ],
      },
      { id: 'custom.cellOptions', value: { type: 'color-text' } },
    ],
  };
}

function transformations(p: PanelDef): unknown[] {
  const out: unknown[] = [];
  if (p.merge) out.push({ id: 'merge', options: {} });
  if (p.rankBy) out.push({ id: 'sortBy', options: { sort: [{ field: p.rankBy, desc: !p.rankAscending }] } });
  if (p.type === 'table') out.push({ id: 'organize', options: { excludeByName: { Time: true } } });
  return out;
}

function target(p: PanelDef, q: QueryDef, i: number): Record<string, unknown> {
  return {
    refId: refId(i),
    datasource: DS,
    rawQuery: true,
    resultFormat: isTable(p) ? 'table' : 'time_series',
    query: q.query,
    ...(q.alias ? { alias: q.alias } : {}),
  };
}

function panelJson(p: PanelDef, i: number): Record<string, unknown> {
  return {
    id: i + 1,
    title: p.title,
    type: p.type,
    datasource: DS,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    ...(p.period === 'month' ? { timeFrom: MONTH_RANGE } : {}),
    ...(p.repeat ? { repeat: p.repeat, repeatDirection: 'h', maxPerRow: 3 } : {}),
    fieldConfig: {
      defaults: Object.fromEntries(unitProperties(p.queries[0]!.unit).map((x) => [x.id, x.value])),
      overrides: overrides(p),
    },
    ...(p.type === 'bargauge'
      ? {
          options: {
            orientation: 'horizontal',
            displayMode: 'basic',
            reduceOptions: { values: true, calcs: [], fields: '' },
          },
        }
      : {}),
    transformations: transformations(p),
    targets: p.queries.map((q, k) => target(p, q, k)),
  };
}

/** A Grafana dashboard for a board of `site`. */
export function grafanaJson(b: BoardDef, site: BoardSite): Record<string, unknown> {
  return {
    uid: b.uid,
    title: b.title,
    tags: b.tags,
    timezone: site.timeZone,
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { ...BOARD_RANGE },
    templating: {
      list: (b.variables ?? []).map((v) => ({
        name: v.name,
        label: v.label,
        type: 'query',
        datasource: DS,
        query: v.query,
        refresh: 1,
        includeAll: true,
        multi: true,
        allValue: '.*',
      })),
    },
    panels: b.panels.map(panelJson),
  };
}
