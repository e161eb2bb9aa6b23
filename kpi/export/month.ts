/**
 * The monthly export: an Excel workbook (workbook.ts: summary, daily values, factors used, the KPI rows per scope
 * kind, targets and data quality; given the month's scorecard, its ranking, points, tasks and target tracking after
 * the summary), CSV (UTF-8 with BOM, values rounded per unit, csv.ts), with the scorecard a scorecard CSV
 * (kpi/scorecard/present.ts), Arrow IPC (full precision), the same set per branch holding only the branch's scopes,
 * meters and scorecard rows (slice.ts), and a manifest with the config hash, the factors used, completeness per meter
 * and the generation time. CSV and Arrow bytes are a function of the data, the config (and the records the scorecard
 * reads) alone, so a month exported again from the same data is identical; their hashes are in the manifest. Every
 * file is written to a temporary file and renamed into place (a symlink planted at its path is replaced, never
 * written through).
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Bool, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { writeFileAtomic } from '../../store/atomic-write.ts';
import type { Plant } from '../plant.ts';
import { scopeNames } from '../present.ts';
import type { KpiRow, PeriodResult } from '../rows.ts';
import type { Scorecard } from '../scorecard/build.ts';
import { scorecardCsv } from '../scorecard/present.ts';
import { resultsCsv } from './csv.ts';
import { type FactorUsed, factorsUsed } from './factors.ts';
import { branchSlice, type FileSlice, siteSlice } from './slice.ts';
import { workbook } from './workbook.ts';

export interface ExportOptions {
  dir: string;
  configHash: string;
  /** the month's days (runDays in kpi/run.ts), for the daily sheet */
  days: readonly PeriodResult[];
  /** generation time for the manifest (the files themselves do not carry it) */
  nowMs?: number;
  /** the month's scorecard (kpi/scorecard/compute.ts); absent: no scorecard sheets or CSV */
  scorecard?: Scorecard;
}

export interface ExportManifest {
  site: string;
  period: string;
  timeZone: string;
  configHash: string;
  generatedAt: string;
  factorsUsed: FactorUsed[];
  completeness: { signal: string; completeness: number; present: number; expected: number }[];
  files: { path: string; sha256: string | null }[];
}

function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Plain Utf8 columns (not dictionaries, whose ids depend on the process), so the bytes depend on the rows alone. */
function arrowOf(rows: readonly KpiRow[]): Uint8Array {
  const text = (f: (r: KpiRow) => string) => vectorFromArray(rows.map(f), new Utf8());
  return tableToIPC(
    new Table({
      kpi: text((r) => r.kpi),
      scope_type: text((r) => r.scope_type),
      scope_id: text((r) => r.scope_id),
      period: text((r) => r.period),
      value: vectorFromArray(Float64Array.from(rows.map((r) => r.value))),
      unit: text((r) => r.unit),
      provisional: vectorFromArray(
        rows.map((r) => r.provisional),
        new Bool(),
      ),
    }),
    'file',
  );
}

export async function exportMonth(
  result: PeriodResult,
  plant: Plant,
  o: ExportOptions,
): Promise<ExportManifest> {
  const site = plant.site.id;
  const root = path.join(o.dir, result.period);
  const files: ExportManifest['files'] = [];
  const put = (rel: string, data: Buffer | Uint8Array | string, hashed: boolean) => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, data);
    files.push({ path: rel, sha256: hashed ? sha256(Buffer.from(data as Uint8Array)) : null });
  };
  const names = scopeNames(plant);
  const factorsOf = (f: FileSlice) => factorsUsed(plant, f.carriers, result.startMs, result.endMs);
  const writeSet = async (prefix: string, f: FileSlice) => {
    put(`${prefix}.xlsx`, await workbook(f, plant, factorsOf(f)), false);
    put(`${prefix}.csv`, resultsCsv([f.month], plant.names, names), true);
    put(`${prefix}.arrow`, arrowOf(f.month.kpis), true);
    if (f.scorecard) put(`${prefix}-scorecard.csv`, scorecardCsv(f.scorecard, plant), true);
  };
  const whole = siteSlice(plant, result, o.days, o.scorecard);
  await writeSet(`plantkpi-${site}-${result.period}`, whole);
  for (const b of plant.branches) {
    await writeSet(
      path.join('branches', b.id, `plantkpi-${b.id}-${result.period}`),
      branchSlice(plant, b, result, o.days, o.scorecard),
    );
  }
  const manifest: ExportManifest = {
    site,
    period: result.period,
    timeZone: result.timeZone,
    configHash: o.configHash,
    generatedAt: new Date(o.nowMs ?? Date.now()).toISOString(),
    factorsUsed: factorsOf(whole),
    completeness: result.quality.map((q) => ({
      signal: q.signal,
      completeness: q.completeness,
      present: q.present,
      expected: q.expected,
    })),
    files,
  };
  mkdirSync(root, { recursive: true });
  writeFileAtomic(path.join(root, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
