/**
 * Where computed KPI rows go: InfluxDB (measurements `kpi`, `kpi_target`, `completeness`, so Grafana shows them) or
 * files beside the embedded store; a period's scorecard too (InfluxDB: scorecard_rank, scorecard_points,
 * task_status, target_track, see kpi/scorecard/lines.ts; files: `DATA/kpi/scorecard/<period>.json`).
 * A period written again replaces its points (same tags and time), never doubles them.
 *   measurement `kpi`  tags: kpi, scope_type, scope_id, period_kind   time: period start
 *   fields: value (float), provisional (bool), unit, period (the label)
 *   measurement `kpi_target`  same tags and time
 *   fields: target_max, target_min, actual, margin_pct (kpi/targets.ts marginPct), unit (the KPI's), status, met (0/1),
 *   provisional (bool), period
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { pointLine } from '../store/influx/line-protocol.ts';
import { makeWriteTarget } from '../store/influx/make-target.ts';
import type { WriteTarget } from '../store/influx/targets.ts';
import type { StoreConfig } from '../store/open.ts';
import type { PeriodResult } from './rows.ts';
import type { Scorecard } from './scorecard/build.ts';
import { scorecardLines } from './scorecard/lines.ts';

export interface KpiSink {
  write(result: PeriodResult, kind: string): Promise<void>;
  /** a period's scorecard (`kind`: the period's kind, month); written again, it replaces the period's points */
  writeScorecard(scorecard: Scorecard, kind: string): Promise<void>;
}

/** InfluxDB takes at most this many lines per write request here. */
const BATCH_LINES = 5000;

export const KPI_MEASUREMENT = 'kpi';

export const TARGET_MEASUREMENT = 'kpi_target';
export const COMPLETENESS_MEASUREMENT = 'completeness';

/**
 * The period's points: KPI rows (`kpi`), target rows (`kpi_target`: target_max/target_min, actual, margin_pct (see
 * kpi/targets.ts marginPct), the KPI's unit, status, met 0/1, provisional) and completeness per signal
 * (`completeness`: ratio, present, expected), all stamped with the period start.
 */
export function kpiLines(result: PeriodResult, kind: string, site: string): string[] {
  const unitOf = new Map(result.kpis.map((r) => [`${r.kpi}|${r.scope_type}|${r.scope_id}`, r.unit]));
  const kpis = result.kpis.map((r) =>
    pointLine({
      measurement: KPI_MEASUREMENT,
      tags: { site, kpi: r.kpi, scope_type: r.scope_type, scope_id: r.scope_id, period_kind: kind },
      fields: { value: r.value, provisional: r.provisional, unit: r.unit, period: r.period },
      timeMs: result.startMs,
    }),
  );
  const targets = result.targets.map((t) =>
    pointLine({
      measurement: TARGET_MEASUREMENT,
      tags: { site, kpi: t.kpi, scope_type: t.scope_type, scope_id: t.scope_id, period_kind: kind },
      fields: {
        ...(t.target_max !== undefined ? { target_max: t.target_max } : {}),
        ...(t.target_min !== undefined ? { target_min: t.target_min } : {}),
        ...(t.actual !== null ? { actual: t.actual } : {}),
        ...(t.margin_pct !== null ? { margin_pct: t.margin_pct } : {}),
        ...unit(unitOf.get(`${t.kpi}|${t.scope_type}|${t.scope_id}`)),
        status: t.status,
        met: t.status === 'met' ? 1 : 0,
        provisional: t.provisional,
        period: t.period,
      },
      timeMs: result.startMs,
    }),
  );
  const quality = result.quality.map((q) =>
    pointLine({
      measurement: COMPLETENESS_MEASUREMENT,
      tags: { site, signal: q.signal, period_kind: kind },
      fields: { ratio: q.completeness, present: q.present, expected: q.expected },
      timeMs: result.startMs,
    }),
  );
  return [...kpis, ...targets, ...quality];
}

function unit(u: string | undefined): { unit?: string } {
  return u === undefined ? {} : { unit: u };
}

export class InfluxKpiSink implements KpiSink {
  constructor(
    private readonly target: WriteTarget,
    private readonly site: string,
    /** the plant's IANA zone: a scorecard's period label is read in it, for the start its points are stamped at */
    private readonly timeZone: string,
  ) {}

  async write(result: PeriodResult, kind: string): Promise<void> {
    await this.writeLines(kpiLines(result, kind, this.site));
  }

  async writeScorecard(scorecard: Scorecard, kind: string): Promise<void> {
    await this.writeLines(scorecardLines(scorecard, kind, this.site, this.timeZone));
  }

  private async writeLines(lines: readonly string[]): Promise<void> {
    for (let i = 0; i < lines.length; i += BATCH_LINES)
      await this.target.write(lines.slice(i, i + BATCH_LINES));
  }
}

/** `DATA/kpi/<kind>/<period>.json` and `DATA/kpi/scorecard/<period>.json`, replaced atomically. */
export class FileKpiSink implements KpiSink {
  constructor(private readonly dir: string) {}

  file(kind: string, period: string): string {
    return path.join(this.dir, 'kpi', kind, `${period.replace(/[^\w.-]/g, '_')}.json`);
  }

  async write(result: PeriodResult, kind: string): Promise<void> {
    this.writeJson(this.file(kind, result.period), result);
  }

  /** One file per period label (a month's and a day's labels differ), so `kind` is not in the path. */
  async writeScorecard(scorecard: Scorecard, _kind: string): Promise<void> {
    this.writeJson(this.file(SCORECARD_DIR, scorecard.period), scorecard);
  }

  read(kind: string, period: string): PeriodResult | null {
    return this.readJson<PeriodResult>(this.file(kind, period));
  }

  readScorecard(period: string): Scorecard | null {
    return this.readJson<Scorecard>(this.file(SCORECARD_DIR, period));
  }

  private writeJson(file: string, value: unknown): void {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, JSON.stringify(value));
  }

  private readJson<T>(file: string): T | null {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch {
      return null;
    }
  }
}

/** The folder under `DATA/kpi/` the scorecards are filed in (beside the period kinds' folders). */
const SCORECARD_DIR = 'scorecard';

/** What of the plant config the sink needs: the store's, and the zone a scorecard's period is read in. */
export interface SinkConfig extends StoreConfig {
  site: { id: string; timeZone: string };
}

/**
 * The one place that opens the KPI sink from a plant config: InfluxDB when the config has `influx:` (its secrets
 * from `env`), else files beside the embedded store (`dataDir/kpi/...`; give the same folder as to openStore).
 */
export function openSink(config: SinkConfig, dataDir: string, env = process.env): KpiSink {
  if (config.influx)
    return new InfluxKpiSink(makeWriteTarget(config.influx, env), config.site.id, config.site.timeZone);
  return new FileKpiSink(dataDir);
}
