/**
 * The main job, shortened to two simulated days: what `plantkpi demo` prints agrees with the KPIs the same code
 * computes afterwards from the readings the demo stored; nothing published was lost on the way.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadPlantConfig } from '../config/load.ts';
import { compilePlant } from '../kpi/plant.ts';
import { runPeriod } from '../kpi/run.ts';
import { computeScorecard } from '../kpi/scorecard/compute.ts';
import { scorecardRecords } from '../kpi/scorecard/settle.ts';
import { openRecords } from '../records/open.ts';
import { runDemo } from '../sim/demo/run.ts';
import { demoScorecardSummary } from '../sim/demo/scorecard-summary.ts';
import { demoSummary } from '../sim/demo/summary.ts';
import { EmbeddedStore } from '../store/embedded/store.ts';
import { InfluxStore } from '../store/influx/store.ts';
import { V1WriteTarget } from '../store/influx/targets.ts';
import { cli, ROOT, tempDir } from './helpers.ts';
import { startInflux } from './services/influxd.ts';
import { startMosquitto } from './services/mosquitto.ts';
import { startRedis } from './services/redis.ts';

const tmp = tempDir('plantkpi-demo-');
afterAll(() => tmp.cleanup());

describe('plantkpi demo', () => {
  it('prints KPIs that equal those recomputed from the stored readings, and loses no reading', async () => {
    const data = path.join(tmp.dir, 'demo');
    // what reaches the process's stdout other than through the command's io: node-opcua prints with console.log
    // (e.g. 'Creating default certificate' for the collector's new PKI) unless its logger is routed to the log
    const logged = vi.spyOn(console, 'log');
    const written = vi.spyOn(process.stdout, 'write');
    let r: Awaited<ReturnType<typeof cli>>;
    let printed: string[];
    try {
      r = await cli('demo', '--days', '2', '--data', data);
    } finally {
      printed = [...logged.mock.calls, ...written.mock.calls].map((c) => c.map(String).join(' '));
      logged.mockRestore();
      written.mockRestore();
    }
    expect(printed).toEqual([]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const m =
      /Collected: ([\d,]+) readings stored \(([\d,]+) over MQTT, ([\d,]+) over OPC UA\); (\d+) malformed payloads dead-lettered/.exec(
        r.out,
      );
    expect(m, r.out).not.toBeNull();
    const n = (s: string) => Number(s.replaceAll(',', ''));
    expect(n(m![1]!)).toBe(n(m![2]!) + n(m![3]!));
    expect(n(m![4]!)).toBe(1);

    const config = loadPlantConfig(path.join(ROOT, 'config', 'examples', 'magnesium-site.yaml')).config;
    const plant = compilePlant(config);
    const store = await EmbeddedStore.open(path.join(data, 'store'));
    const again = await runPeriod(store, plant, '2026-10-01..2026-10-03');
    await store.close();
    expect(r.out).toContain(demoSummary(again, plant));
    expect(r.out).toMatch(/A-ELY 电解党员责任区 Electrolysis area: 1,7\d\d\.\d{2} kgce\/t/);
    expect(r.out).toMatch(/PK-1 铸锭机 Ingot casting machine: OEE \d{2}\.\d % \(开动率 A \d{2,3}\.\d %/);
    // the output is no terminal: the simulation's bar is one plain line in its last state, no \r redraws
    expect(r.out).not.toContain('\r');
    // the scorecard is a month's: a part of one prints none
    expect(r.out).not.toContain('党支部评比 Branch scorecards');
    expect(r.out.match(/^模拟 Simulating \[#+\] 100% {2}day 2 of 2$/gm)).toHaveLength(1);
    expect(again.kpis.filter((k) => k.provisional).map((k) => `${k.scope_id} ${k.kpi}`)).toEqual([]);
  }, 120_000);
});

describe('plantkpi demo options', () => {
  it('--influx-database without --influx is a usage error, exit 2, before anything starts', async () => {
    const data = path.join(tmp.dir, 'no-influx');
    const r = await cli('demo', '--days', '1', '--data', data, '--influx-database', 'x');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--influx-database NAME goes with --influx URL/);
    expect(existsSync(data)).toBe(false);
  });
});

describe('plantkpi demo against external services', () => {
  it('given --mqtt, --influx and --redis URLs, it runs against them: readings and KPI points in InfluxDB, jobs on Redis', async () => {
    const [influx, redis, broker] = await Promise.all([startInflux(), startRedis(), startMosquitto()]);
    try {
      const r = await cli(
        'demo',
        '--days',
        '2',
        '--data',
        path.join(tmp.dir, 'ext'),
        '--mqtt',
        broker.url,
        '--influx',
        influx.url,
        '--redis',
        redis.url,
      );
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/作业 Jobs on Redis: 3\/3/);
      const q = async (text: string) => {
        const j = (await influx.query(text, 'plantkpi')) as {
          results: { series?: { values: [number, number][] }[] }[];
        };
        return j.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
      };
      const stored = Number(/Collected: ([\d,]+) readings stored/.exec(r.out)![1]!.replaceAll(',', ''));
      expect(await q(`SELECT count("value") FROM "reading" WHERE time >= '2026-09-30T15:59:59Z'`)).toBe(
        stored,
      );
      expect(await q('SELECT count("value") FROM "reading"')).toBe(stored); // nothing stamped outside the simulation
      expect(await q(`SELECT count("value") FROM "kpi" WHERE "period_kind" = 'day'`)).toBeGreaterThan(100);
      const store = new InfluxStore(
        { url: influx.url, database: 'plantkpi', site: 'MG-SITE' },
        new V1WriteTarget({ url: influx.url, database: 'plantkpi' }),
      );
      const config = loadPlantConfig(path.join(ROOT, 'config', 'examples', 'magnesium-site.yaml')).config;
      const plant = compilePlant(config);
      expect(r.out).toContain(demoSummary(await runPeriod(store, plant, '2026-10-01..2026-10-03'), plant));
    } finally {
      await Promise.all([influx.destroy(), redis.destroy(), broker.destroy()]);
    }
  }, 180_000);
});

describe('plantkpi demo, the whole month', () => {
  it("settles the month's scorecard into the records and prints each branch's, as recomputed from what it stored", async () => {
    const data = path.join(tmp.dir, 'month');
    const r = await runDemo({
      configFile: path.join(ROOT, 'config', 'examples', 'magnesium-site.yaml'),
      dataDir: data,
      days: 31,
      seed: 2026,
      paceMs: 10,
      badPayloadEvery: 0,
      faults: new Set(['rollover', 'replacement', 'outage']),
      nowMs: Date.now(),
      progress: () => {},
    });
    expect(r.scorecard).not.toBeNull();
    const plant = compilePlant(r.config);
    // the month tells a coherent story (issue 13 point 6), in the seed's numbers
    const kpi = (name: string, type = 'site', id = 'MG-SITE') =>
      r.month.kpis.find((k) => k.kpi === name && k.scope_type === type && k.scope_id === id)?.value;
    // waste-heat steam is a flow of its own: 2,974 t × 2.5 GJ/t, 14.5 % of the steam heat supplied
    expect(kpi('heat.recovered')).toBeCloseTo(7434.7, 0);
    expect(kpi('heat.recovery_rate')).toBeCloseTo(14.5, 0);
    expect(kpi('heat.displaced_fuel')).toBeCloseTo(281.9, 0);
    expect(kpi('emissions.co2.avoided')).toBeCloseTo(501.9, 0);
    expect(kpi('heat.recovered', 'area', 'A-BLR')).toBe(kpi('heat.recovered'));
    // so the boiler's intensity counts its own steam: 78 Nm3/t (94.7 kgce/t) before the team, 76 after
    expect(kpi('output.steam')).toBeCloseTo(17_476.8, 0);
    expect(kpi('intensity.energy', 'area', 'A-BLR')).toBeCloseTo(93.92, 1);
    expect(kpi('intensity.energy', 'team', 'T-BLR')).toBeCloseTo(92.29, 1);
    // the magnesium balance holds: 3,290 t cast of 3,186 t primary and 175 t bought
    expect(kpi('output.ingot')).toBeCloseTo(3290.1, 0);
    expect(kpi('output.mg')).toBeCloseTo(3186.1, 0);
    expect(kpi('output.ingot')!).toBeLessThanOrEqual(kpi('output.mg')! + 175);
    // the main incomer's loss, the stack within its limits
    expect(kpi('balance.EB-MAIN.loss_pct')).toBeCloseTo(0.6, 1);
    expect(kpi('balance.EB-MAIN.alarm')).toBe(0);
    for (const p of ['so2', 'nox', 'particulate']) expect(kpi(`emissions.${p}.exceedance_hours`)).toBe(0);
    expect(kpi('emissions.nox.mass')).toBeCloseTo(1433, -1);
    // the team's savings against its baseline of the days before it started
    const saved = (name: string) =>
      r.savings?.rows.find((x) => x.kpi === name && x.scope_id === 'T-BLR')?.value;
    expect(saved('savings.energy')).toBeCloseTo(25_057, -2);
    expect(saved('savings.tce')).toBeCloseTo(30.43, 0);
    expect(r.savings?.baselines[0]?.pass).toBe(true);
    const store = await EmbeddedStore.open(path.join(data, 'store'));
    const records = await openRecords({ dir: path.join(data, 'store', 'records') });
    try {
      // the closure the month's KPIs proved is recorded, by the demo, as the monthly job records it
      const closures = await records.closures();
      expect(closures.map((c) => [c.task, c.period, c.source, c.by])).toEqual([
        ['K-1', '2026-10', 'kpi', 'demo'],
      ]);
      const again = await computeScorecard(
        store,
        plant,
        plant.scorecard,
        '2026-10',
        await scorecardRecords(records),
      );
      const text = demoScorecardSummary(again.scorecard, plant);
      expect(demoScorecardSummary(r.scorecard!, plant)).toBe(text);
      expect(text).toMatch(/任务 task K-1 .*: 已销号 closed 2026-10/);
      expect(text).toMatch(/承诺 pledge P-2 .*截止 due 2026-09-30: 已逾期 overdue/);
      // the boards' rows: the embedded store's sink keeps the scorecard beside the KPI rows
      expect(
        JSON.parse(readFileSync(path.join(data, 'store', 'kpi', 'scorecard', '2026-10.json'), 'utf8')).tasks,
      ).toEqual(again.scorecard.tasks);
      // the month's export carries the same scorecard: the site's workbook has its sheets, each branch its own CSV
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(data, 'exports', '2026-10', 'plantkpi-MG-SITE-2026-10.xlsx'));
      const sheets = wb.worksheets.map((w) => w.name);
      expect(sheets.slice(0, 3)).toEqual(['汇总 Summary', '排名 Ranking', '积分 Points']);
      // the recovered heat is among the site's KPI rows, by the numbers the month computed
      const siteRows: unknown[][] = [];
      wb.getWorksheet('厂区 Site')!.eachRow((row) => {
        siteRows.push((row.values as unknown[]).slice(1));
      });
      for (const name of [
        'heat.recovered',
        'heat.recovery_rate',
        'heat.displaced_fuel',
        'emissions.co2.avoided',
      ]) {
        const row = siteRows.find((v) => v[3] === name);
        expect(row, name).toBeDefined();
        expect(Number(row![5])).toBeCloseTo(kpi(name)!, 1);
      }
      const pwr = readFileSync(
        path.join(data, 'exports', '2026-10', 'branches', 'B-PWR', 'plantkpi-B-PWR-2026-10-scorecard.csv'),
        'utf8',
      );
      expect(pwr).toMatch(/\ntask,K-1,team,T-BLR,[^\n]*,已销号 closed,2026-10,/);
      // the ledger the settlement wrote is the scorecard's computed ledger
      const ledger = await records.ledger();
      expect(ledger.filter((e) => e.period === '2026-10').reduce((a, e) => a + e.points, 0)).toBe(
        again.scorecard.ledger.reduce((a, e) => a + e.points, 0),
      );
    } finally {
      await records.close();
      await store.close();
    }
  }, 240_000);
});
