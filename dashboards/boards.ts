/**
 * The Grafana boards, declared once: `npm run dashboards` writes dashboards/boards/*.json from here, and a test
 * checks the shipped files are current and runs every panel query against a real InfluxDB.
 * Data: measurements `kpi` and `kpi_target` (tags kpi, scope_type, scope_id, period_kind), `completeness`,
 * `reading`, `collector` and `job` (see README). Titles are zh-CN with English beside.
 */
export interface PanelDef {
  title: string;
  type: 'timeseries' | 'barchart' | 'table' | 'stat' | 'bargauge';
  query: string;
  unit?: string;
}

export interface BoardDef {
  uid: string;
  title: string;
  tags: string[];
  variables?: { name: string; label: string; query: string }[];
  panels: PanelDef[];
}

const day = `"period_kind" = 'day' AND $timeFilter`;
const month = `"period_kind" = 'month' AND $timeFilter`;

export const BOARDS: BoardDef[] = [
  {
    uid: 'plantkpi-energy',
    title: '能耗总览 Energy overview',
    tags: ['plantkpi', 'energy'],
    panels: [
      {
        title: '各能源品种消耗 Energy per carrier (daily)',
        type: 'timeseries',
        query: `SELECT sum("value") FROM "kpi" WHERE "scope_type" = 'site' AND "kpi" =~ /^energy\\./ AND "kpi" != 'energy.total' AND "kpi" != 'energy.specific' AND ${day} GROUP BY time(1d), "kpi" fill(none)`,
      },
      {
        title: '综合能耗 Comprehensive energy, tce (daily)',
        type: 'timeseries',
        unit: 'tce',
        query: `SELECT sum("value") FROM "kpi" WHERE "scope_type" = 'site' AND "kpi" = 'energy.total' AND ${day} GROUP BY time(1d) fill(none)`,
      },
      {
        title: '单位产品综合能耗趋势 Energy intensity trend, kgce per unit (daily)',
        type: 'timeseries',
        query: `SELECT mean("value") FROM "kpi" WHERE "scope_type" = 'area' AND "kpi" = 'intensity.energy' AND ${day} GROUP BY time(1d), "scope_id" fill(none)`,
      },
      {
        title: '能耗大户 Top consumers, tce',
        type: 'bargauge',
        unit: 'tce',
        query: `SELECT sum("value") FROM "kpi" WHERE "scope_type" = 'area' AND "kpi" = 'energy.total' AND ${day} GROUP BY "scope_id"`,
      },
    ],
  },
  {
    uid: 'plantkpi-carbon',
    title: '碳排放 Carbon',
    tags: ['plantkpi', 'carbon'],
    panels: [
      {
        title: '范围一与范围二排放 CO2 scope 1 and scope 2, tCO2 (daily)',
        type: 'timeseries',
        unit: 'tCO2',
        query: `SELECT sum("value") FROM "kpi" WHERE "scope_type" = 'site' AND "kpi" =~ /^emissions\\.co2\\.scope/ AND ${day} GROUP BY time(1d), "kpi" fill(none)`,
      },
      {
        title: '碳排放强度 Carbon intensity, tCO2 per unit (monthly)',
        type: 'table',
        query: `SELECT last("value") AS "intensity" FROM "kpi" WHERE "kpi" = 'intensity.carbon' AND ${month} GROUP BY "scope_type", "scope_id"`,
      },
      {
        title: '强度与目标 Intensity against target',
        type: 'table',
        query: `SELECT last("actual") AS "actual", last("target_max") AS "at most", last("target_min") AS "at least", last("status") AS "status" FROM "kpi_target" WHERE "kpi" =~ /^intensity\\./ AND ${month} GROUP BY "scope_type", "scope_id", "kpi"`,
      },
    ],
  },
  {
    uid: 'plantkpi-equipment',
    title: '设备效率 Equipment efficiency',
    tags: ['plantkpi', 'oee'],
    panels: [
      {
        title: '设备综合效率 OEE (daily)',
        type: 'timeseries',
        unit: 'percentunit',
        query: `SELECT mean("value") FROM "kpi" WHERE "scope_type" = 'equipment' AND "kpi" = 'oee' AND ${day} GROUP BY time(1d), "scope_id" fill(none)`,
      },
      {
        title: '开动率、性能与合格品率 Availability, performance, quality (monthly)',
        type: 'table',
        query: `SELECT last("value") FROM "kpi" WHERE "scope_type" = 'equipment' AND "kpi" =~ /^oee/ AND ${month} GROUP BY "scope_id", "kpi"`,
      },
      {
        title: '单位产品电耗 Specific energy, kWh per unit (monthly)',
        type: 'table',
        query: `SELECT last("value") FROM "kpi" WHERE "scope_type" = 'equipment' AND "kpi" =~ /^(energy\\.specific|oee)$/ AND ${month} GROUP BY "scope_id", "kpi"`,
      },
    ],
  },
  {
    uid: 'plantkpi-branches',
    title: '党支部与党员责任区 Branches and responsibility areas',
    tags: ['plantkpi', 'party'],
    variables: [
      {
        name: 'branch',
        label: '党支部 Branch',
        query: `SHOW TAG VALUES FROM "kpi" WITH KEY = "scope_id" WHERE "scope_type" = 'branch'`,
      },
      {
        name: 'area',
        label: '责任区 Area',
        query: `SHOW TAG VALUES FROM "kpi" WITH KEY = "scope_id" WHERE "scope_type" = 'area'`,
      },
    ],
    panels: [
      {
        title: '支部综合能耗 Branch comprehensive energy, tce (daily)',
        type: 'timeseries',
        query: `SELECT sum("value") FROM "kpi" WHERE "scope_type" = 'branch' AND "scope_id" =~ /^$branch$/ AND "kpi" = 'energy.total' AND ${day} GROUP BY time(1d), "scope_id" fill(none)`,
      },
      {
        title: '责任区单位产品能耗 Area energy intensity (daily)',
        type: 'timeseries',
        query: `SELECT mean("value") FROM "kpi" WHERE "scope_type" = 'area' AND "scope_id" =~ /^$area$/ AND "kpi" = 'intensity.energy' AND ${day} GROUP BY time(1d), "scope_id" fill(none)`,
      },
      {
        title: '目标达成 Target attainment (monthly)',
        type: 'table',
        query: `SELECT last("actual") AS "actual", last("target_max") AS "at most", last("status") AS "status" FROM "kpi_target" WHERE "scope_type" =~ /^(branch|area)$/ AND ${month} GROUP BY "scope_type", "scope_id", "kpi"`,
      },
      {
        title: '责任区排名 Area ranking by energy intensity (monthly)',
        type: 'bargauge',
        query: `SELECT last("value") FROM "kpi" WHERE "scope_type" = 'area' AND "kpi" = 'intensity.energy' AND ${month} GROUP BY "scope_id"`,
      },
    ],
  },
  {
    uid: 'plantkpi-teams',
    title: '党员突击队 Assault teams',
    tags: ['plantkpi', 'party'],
    panels: [
      {
        title: '突击队能耗与产量 Team energy and output (monthly)',
        type: 'table',
        query: `SELECT last("value") FROM "kpi" WHERE "scope_type" = 'team' AND ("kpi" = 'energy.total' OR "kpi" =~ /^output\\./ OR "kpi" = 'intensity.energy') AND ${month} GROUP BY "scope_id", "kpi"`,
      },
      {
        title: '突击队强度趋势 Team energy intensity (daily)',
        type: 'timeseries',
        query: `SELECT mean("value") FROM "kpi" WHERE "scope_type" = 'team' AND "kpi" = 'intensity.energy' AND ${day} GROUP BY time(1d), "scope_id" fill(none)`,
      },
      {
        title: '突击队目标 Team results against target',
        type: 'table',
        query: `SELECT last("value") FROM "kpi" WHERE "scope_type" = 'team' AND "kpi" =~ /^(intensity|emissions)\\./ AND ${month} GROUP BY "scope_id", "kpi"`,
      },
    ],
  },
  {
    uid: 'plantkpi-pipeline',
    title: '数据管道健康 Pipeline health',
    tags: ['plantkpi', 'ops'],
    panels: [
      {
        title: '读数 Readings stored per interval',
        type: 'timeseries',
        query: `SELECT count("value") FROM "reading" WHERE $timeFilter GROUP BY time($__interval) fill(none)`,
      },
      {
        title: '缓存 Spool bytes and age (s)',
        type: 'timeseries',
        query: `SELECT last("spool_bytes") AS "bytes", last("spool_age_s") AS "age s" FROM "collector" WHERE $timeFilter GROUP BY time($__interval) fill(none)`,
      },
      {
        title: '死信与重试 Dead letters and retries',
        type: 'stat',
        query: `SELECT last("dead_lettered") AS "dead letters", last("retries") AS "retries", last("reconnects") AS "reconnects" FROM "collector" WHERE $timeFilter`,
      },
      {
        title: '作业结果 Job outcomes',
        type: 'table',
        query: `SELECT count("duration_ms") AS "jobs", mean("duration_ms") AS "mean ms" FROM "job" WHERE $timeFilter GROUP BY "status", "kind"`,
      },
      {
        title: '数据完整率 Completeness per meter (daily)',
        type: 'timeseries',
        unit: 'percentunit',
        query: `SELECT min("ratio") FROM "completeness" WHERE ${day} GROUP BY time(1d), "signal" fill(none)`,
      },
    ],
  },
];

/** A Grafana dashboard (schema 39) for a board: InfluxQL targets on the provisioned data source. */
export function grafanaJson(b: BoardDef): Record<string, unknown> {
  const ds = { type: 'influxdb', uid: 'plantkpi-influxdb' };
  return {
    uid: b.uid,
    title: b.title,
    tags: b.tags,
    timezone: 'Asia/Shanghai',
    schemaVersion: 39,
    version: 1,
    editable: true,
    // monthly points are stamped at the month's start: a default range shorter than 62 days leaves every monthly
    // panel empty for most of the month (now-30d reached the last closed month on its first day or two only)
    time: { from: 'now-90d', to: 'now' },
    templating: {
      list: (b.variables ?? []).map((v) => ({
        name: v.name,
        label: v.label,
        type: 'query',
        datasource: ds,
        query: v.query,
        refresh: 1,
        includeAll: true,
        multi: true,
        allValue: '.*',
      })),
    },
    panels: b.panels.map((p, i) => ({
      id: i + 1,
      title: p.title,
      type: p.type,
      datasource: ds,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { ...(p.unit ? { unit: p.unit } : {}) }, overrides: [] },
      targets: [
        {
          refId: 'A',
          datasource: ds,
          rawQuery: true,
          resultFormat: p.type === 'table' ? 'table' : 'time_series',
          query: p.query,
        },
      ],
    })),
  };
}
