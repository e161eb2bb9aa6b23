/** The CLI's commands that touch the store: import, kpi and the reference demo. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, InputError, KpiError, PlantkpiError, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import { importCsvFile } from '../ingest/csv/import.ts';
import { withSavings } from '../kpi/baseline/period.ts';
import { compilePlant } from '../kpi/plant.ts';
import { scopeNames } from '../kpi/present.ts';
import { labelNames, type PeriodResult } from '../kpi/rows.ts';
import { runPeriod } from '../kpi/run.ts';
import { openStore } from '../store/open.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { dataDirToRead, type Io, type Parsed } from './args.ts';
import { compareWithExpected } from './expected.ts';
import { formatResults, type Names, type OutputFormat } from './format.ts';
import { hasNoReadings, noReadingsWarning, storeDescription } from './no-readings.ts';
import { progressTo } from './progress.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_DATA = './data';

function need(o: Parsed, name: string): string {
  const v = o.values[name];
  if (v === undefined) throw new UsageError(`缺少 --${name} (--${name} is required)`);
  return v;
}

export async function cmdImport(o: Parsed, io: Io): Promise<number> {
  const file = o.positionals[0];
  if (file === undefined) throw new UsageError('缺少 CSV 文件 import needs a CSV FILE');
  const { config } = loadPlantConfig(need(o, 'config'));
  const store = await openStore(config, o.values.data ?? DEFAULT_DATA);
  try {
    const report = await importCsvFile(file, store, {
      defaultTimeZone: config.site.timeZone,
      knownSignals: new Set(config.signals.map((s) => s.id)),
    });
    const perSignal = Object.entries(report.signals)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ');
    io.out(
      `${file}: ${report.pointsWritten} readings imported from ${report.linesRead} lines (${perSignal})\n`,
    );
    if (report.problems.length > 0) {
      const shown = report.problems.slice(0, 50).map((p) => `  ${file}:${p.line}: ${p.message}: ${p.text}`);
      const more = report.problems.length > 50 ? `\n  ... and ${report.problems.length - 50} more` : '';
      throw new InputError(
        `${report.problems.length} line(s) rejected; every other line was imported\n${shown.join('\n')}${more}`,
      );
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export interface KpiRun {
  results: PeriodResult[];
  names: Names;
  /** where the readings were read, for messages */
  store: string;
  /** baselines left out of the period's savings, and why */
  notes: string[];
}

export async function cmdKpi(o: Parsed): Promise<KpiRun> {
  const { config } = loadPlantConfig(need(o, 'config'));
  const period = need(o, 'period');
  const plant = compilePlant(config);
  // read before the store is opened: a malformed period is a usage error (PeriodError)
  const p = parsePeriod(period, plant.timeZone);
  const dataDir = dataDirToRead(o.values.data ?? DEFAULT_DATA, config);
  const store = await openStore(config, dataDir);
  try {
    const names: Names = {
      labels: labelNames(config),
      scopes: scopeNames(plant),
      signals: new Map(config.signals.flatMap((s) => (s.name ? [[s.id, s.name] as const] : []))),
    };
    // the period's KPIs with its savings among them, as the jobs compute them (kpi/baseline/period.ts)
    const { result, notes } = await withSavings(store, plant, await runPeriod(store, plant, p), p);
    return { results: [result], names, store: storeDescription(config, store, dataDir), notes };
  } catch (err) {
    // ours carry their exit code (a data error 5, a store busy or out of reach 6); anything unforeseen while
    // computing is a failed computation (5)
    if (err instanceof PlantkpiError) throw err;
    throw new KpiError((err as Error).message);
  } finally {
    await store.close();
  }
}

/**
 * `plantkpi kpi`: the rows in the --format asked for, on stdout. A period without a single reading in the store is
 * printed all the same, with a warning on stderr and exit 8 (cli/no-readings.ts).
 */
export async function cmdKpiPrint(o: Parsed, io: Io): Promise<number> {
  const format = (o.values.format ?? 'table') as OutputFormat;
  if (!['table', 'json', 'csv'].includes(format))
    throw new UsageError(`--format 只能是 takes table, json 或 or csv (got '${format}')`);
  const { results, names, store, notes } = await cmdKpi(o);
  io.out(formatResults(results, format, names));
  for (const n of notes) io.err(`注意 note: ${n}\n`);
  const empty = results.filter(hasNoReadings);
  for (const r of empty) io.err(noReadingsWarning(r.period, store));
  return empty.length > 0 ? EXIT.noReadings : EXIT.ok;
}

/** The golden scenario: the reference plant from its readings to KPIs checked against expected.json. */
export async function cmdReference(o: Parsed, io: Io): Promise<number> {
  const refDir = path.join(ROOT, 'test', 'fixtures', 'reference-plant');
  const csv = o.values.csv ?? path.join(refDir, 'readings.csv');
  const configFile = o.values.config ?? path.join(ROOT, 'config', 'examples', 'reference-plant.yaml');
  if (!existsSync(csv))
    throw new UsageError(`找不到读数文件 readings not found at ${csv}; 请给出 pass --csv FILE`);
  const data = o.values.data ?? path.join(DEFAULT_DATA, 'reference');
  rmSync(data, { recursive: true, force: true });
  io.out(`参考工厂 Reference plant: importing ${csv} into ${data}\n`);
  const code = await cmdImport({ values: { config: configFile, data }, positionals: [csv] }, io);
  if (code !== EXIT.ok) return code;
  const results: PeriodResult[] = [];
  let names: Names = {};
  for (const period of ['2026-10', '2026-10-05']) {
    const r = await cmdKpi({ values: { config: configFile, data, period }, positionals: [] });
    results.push(...r.results);
    names = r.names;
  }
  io.out(formatResults(results, 'table', names));
  const expectedFile = path.join(refDir, 'expected.json');
  if (o.values.csv === undefined && existsSync(expectedFile)) {
    const check = compareWithExpected(JSON.parse(readFileSync(expectedFile, 'utf8')), results, 1e-6);
    io.out(
      `与 expected.json 对照 Checked against expected.json: ${check.matched}/${check.total} rows match within 1e-6\n`,
    );
    for (const m of check.mismatches) io.out(`  MISMATCH ${m}\n`);
    return check.mismatches.length === 0 ? EXIT.ok : EXIT.failure;
  }
  return EXIT.ok;
}

/** The main job: a simulated magnesium site for a month, collected, computed, summarised and exported. */
export async function cmdDemo(o: Parsed, io: Io): Promise<number> {
  const configFile = o.values.config ?? path.join(ROOT, 'config', 'examples', 'magnesium-site.yaml');
  const days = Number(o.values.days ?? 31);
  if (!Number.isInteger(days) || days < 1 || days > 31)
    throw new UsageError(`--days 取 1 到 31 takes 1 to 31 (got '${o.values.days}')`);
  const dataDir = o.values.data ?? path.join(DEFAULT_DATA, 'demo');
  const known = ['rollover', 'replacement', 'outage', 'bad-payloads'] as const;
  const asked = (o.values.faults ?? known.join(',')).split(',').filter((f) => f !== '' && f !== 'none');
  for (const f of asked) {
    if (!(known as readonly string[]).includes(f))
      throw new UsageError(`--faults 取 takes ${known.join(', ')} 或 or none (got '${f}')`);
  }
  const faults = new Set(
    asked.filter((f) => f !== 'bad-payloads') as ('rollover' | 'replacement' | 'outage')[],
  );
  if (o.values['influx-database'] !== undefined && o.values.influx === undefined)
    throw new UsageError(
      '--influx-database NAME 只能与 --influx URL 同用 (--influx-database NAME goes with --influx URL)',
    );
  const serve = o.values.serve === 'true';
  if (!serve && (o.values.port !== undefined || o.values.host !== undefined))
    throw new UsageError('--port 与 --host 只能与 --serve 同用 (--port and --host go with --serve)');
  // checked before the month is simulated, not after
  const listen = serve ? (await import('./serve.ts')).listenAddress(o) : undefined;
  const { runDemo } = await import('../sim/demo/run.ts');
  const { demoSummary } = await import('../sim/demo/summary.ts');
  const t0 = Date.now();
  // a bar redrawn on a terminal; a plain line per bar into a log
  const progress = progressTo(io);
  io.out(`镁业基地模拟 Simulated magnesium site: ${days} day(s) of October 2026, data in ${dataDir}\n`);
  const r = await runDemo({
    configFile,
    dataDir,
    days,
    seed: Number(o.values.seed ?? 2026),
    paceMs: 10,
    badPayloadEvery: asked.includes('bad-payloads') ? 50 : 0,
    faults,
    mqttUrl: o.values.mqtt,
    influx:
      o.values.influx === undefined
        ? undefined
        : { url: o.values.influx, database: o.values['influx-database'] ?? 'plantkpi' },
    redisUrl: o.values.redis,
    nowMs: Date.now(),
    progress,
  });
  progress.flush();
  const { compilePlant } = await import('../kpi/plant.ts');
  io.out(
    `采集 Collected: ${r.stored.toLocaleString('en-US')} readings stored ` +
      `(${r.published.readings.toLocaleString('en-US')} over MQTT, ${r.published.opcuaWrites.toLocaleString('en-US')} over OPC UA); ` +
      `${r.deadLettered} malformed payloads dead-lettered\n\n`,
  );
  const plant = compilePlant(r.config);
  io.out(demoSummary(r.month, plant));
  if (r.savings !== null) {
    const { demoSavingsSummary } = await import('../sim/demo/summary.ts');
    io.out(`\n${demoSavingsSummary(r.savings, plant)}`);
  }
  if (r.scorecard !== null) {
    const { demoScorecardSummary } = await import('../sim/demo/scorecard-summary.ts');
    io.out(`\n${demoScorecardSummary(r.scorecard, plant)}`);
  }
  io.out(
    r.exportDir
      ? `\n导出 Export: ${r.exportDir}\n`
      : '\n(导出只在整月 The export is written for the whole month: --days 31)\n',
  );
  io.out(`用时 Took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  if (listen === undefined) return EXIT.ok;
  // the portal on what the demo left, its own handles closed (runDemo closes the store and the records)
  const { serveDemo } = await import('./demo-serve.ts');
  const manage = `plantkpi user list --config ${configFile} --data ${r.storeDir}`;
  io.out('\n');
  return serveDemo({ config: r.config, plant, storeDir: r.storeDir, ...listen, manage }, io);
}
