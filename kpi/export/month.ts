/**
 * The monthly export: an Excel workbook (sheets for site, branches, areas, teams, equipment, targets and data
 * quality, headers zh-CN with English), CSV (UTF-8 with BOM), Arrow IPC, the same set per branch, and a manifest
 * with the config hash, the factors used, completeness per meter and the generation time. CSV and Arrow bytes are a
 * function of the data and the config alone, so a month exported again from the same data is identical; their
 * hashes are in the manifest. Every file is written to a temporary file and renamed into place (a symlink planted at
 * its path is replaced, never written through).
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Bool, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { writeFileAtomic } from '../../store/atomic-write.ts';
import type { Plant } from '../plant.ts';
import { type KpiRow, kpiLabel, type PeriodResult, type ScopeKind } from '../rows.ts';
import { resultsCsv } from './csv.ts';

export interface ExportOptions {
  dir: string;
  configHash: string;
  /** generation time for the manifest (the files themselves do not carry it) */
  nowMs?: number;
}

export interface ExportManifest {
  site: string;
  period: string;
  timeZone: string;
  configHash: string;
  generatedAt: string;
  factorsUsed: {
    carrier: string;
    kind: string;
    series: string;
    region: string;
    value: number;
    unit: string;
    source: string;
    from: string | null;
    to: string | null;
  }[];
  completeness: { signal: string; completeness: number; present: number; expected: number }[];
  files: { path: string; sha256: string | null }[];
}

/** Sheet name, scope kinds on it, header row. */
export const SHEETS: { name: string; kinds: ScopeKind[] }[] = [
  { name: '厂区 Site', kinds: ['site', 'committee'] },
  { name: '党支部 Branches', kinds: ['general_branch', 'branch'] },
  { name: '责任区 Areas', kinds: ['area'] },
  { name: '突击队 Teams', kinds: ['team'] },
  { name: '设备 Equipment', kinds: ['equipment'] },
];
export const KPI_HEADERS = [
  '范围类型 Scope type',
  '范围 Scope',
  '名称 Name',
  '指标 KPI',
  '指标名称 KPI name',
  '数值 Value',
  '单位 Unit',
  '暂定 Provisional',
];
export const TARGET_HEADERS = [
  '范围类型 Scope type',
  '范围 Scope',
  '名称 Name',
  '指标 KPI',
  '目标上限 At most',
  '目标下限 At least',
  '实际 Actual',
  '状态 Status',
];
export const QUALITY_HEADERS = [
  '信号 Signal',
  '完整率 Completeness',
  '实有 Present',
  '应有 Expected',
  '说明 Notes',
];

function names(plant: Plant): Map<string, string> {
  const m = new Map<string, string>();
  const scopes = [plant.site, plant.committee, ...plant.branches, ...plant.generalBranches];
  for (const s of [...scopes, ...plant.areas, ...plant.teams]) m.set(`${s.type}|${s.id}`, s.name ?? s.id);
  for (const e of plant.equipment.values()) m.set(`equipment|${e.id}`, e.name ?? e.id);
  return m;
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

async function workbook(result: PeriodResult, plant: Plant, periodEndMs: number): Promise<Buffer> {
  const n = names(plant);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'plantkpi';
  wb.created = new Date(periodEndMs);
  wb.modified = new Date(periodEndMs);
  const header = (ws: ExcelJS.Worksheet, cols: string[]) => {
    ws.addRow(cols).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    ws.columns.forEach((col) => {
      col.width = 18;
    });
  };
  for (const sheet of SHEETS) {
    const ws = wb.addWorksheet(sheet.name);
    header(ws, KPI_HEADERS);
    for (const r of result.kpis.filter((k) => sheet.kinds.includes(k.scope_type))) {
      ws.addRow([
        r.scope_type,
        r.scope_id,
        n.get(`${r.scope_type}|${r.scope_id}`) ?? '',
        r.kpi,
        kpiLabel(r.kpi, plant.names),
        r.value,
        r.unit,
        r.provisional ? '是 yes' : '',
      ]);
    }
  }
  const targets = wb.addWorksheet('目标 Targets');
  header(targets, TARGET_HEADERS);
  for (const t of result.targets) {
    const status =
      t.status === 'met' ? '达标 met' : t.status === 'missed' ? '未达标 missed' : '无数据 no data';
    targets.addRow([
      t.scope_type,
      t.scope_id,
      n.get(`${t.scope_type}|${t.scope_id}`) ?? '',
      t.kpi,
      t.target_max ?? null,
      t.target_min ?? null,
      t.actual,
      status,
    ]);
  }
  const quality = wb.addWorksheet('数据质量 Quality');
  header(quality, QUALITY_HEADERS);
  for (const q of result.quality)
    quality.addRow([q.signal, q.completeness, q.present, q.expected, q.notes.join('; ')]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The branch's own rows: the branch, its areas, its teams, and the equipment of its areas. */
function branchSlice(result: PeriodResult, plant: Plant, branch: string): PeriodResult {
  const areas = new Set(plant.areas.filter((a) => a.parent === branch).map((a) => a.id));
  const teams = new Set(plant.teams.filter((t) => t.parent === branch).map((t) => t.id));
  const equipment = new Set(
    plant.areas.filter((a) => areas.has(a.id)).flatMap((a) => a.equipment.map((e) => e.id)),
  );
  const mine = (type: ScopeKind, id: string) =>
    (type === 'branch' && id === branch) ||
    (type === 'area' && areas.has(id)) ||
    (type === 'team' && teams.has(id)) ||
    (type === 'equipment' && equipment.has(id));
  return {
    ...result,
    kpis: result.kpis.filter((r) => mine(r.scope_type, r.scope_id)),
    targets: result.targets.filter((t) => mine(t.scope_type, t.scope_id)),
  };
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
  const writeSet = async (prefix: string, r: PeriodResult) => {
    put(`${prefix}.xlsx`, await workbook(r, plant, result.endMs), false);
    put(`${prefix}.csv`, resultsCsv([r], plant.names), true);
    put(`${prefix}.arrow`, arrowOf(r.kpis), true);
  };
  await writeSet(`plantkpi-${site}-${result.period}`, result);
  for (const b of plant.branches) {
    await writeSet(
      path.join('branches', b.id, `plantkpi-${b.id}-${result.period}`),
      branchSlice(result, plant, b.id),
    );
  }
  const used = new Set(
    [...plant.signals.values()].map((s) => s.carrier).filter((c): c is string => c !== undefined),
  );
  const factorsUsed: ExportManifest['factorsUsed'] = [];
  for (const carrier of used) {
    for (const kind of ['tce', 'co2'] as const) {
      const seen = new Set<string>();
      for (const f of plant.library.factors) {
        if (f.carrier !== carrier || f.kind !== kind || f.fromMs >= result.endMs || f.toMs <= result.startMs)
          continue;
        // used when it is the factor the engine resolves at the start of its validity inside the period
        const r = plant.factor(carrier, kind, Math.max(result.startMs, f.fromMs));
        if (r.factor !== f || seen.has(f.source)) continue;
        seen.add(f.source);
        factorsUsed.push({
          carrier,
          kind,
          series: f.series,
          region: f.region,
          value: f.value,
          unit: f.unit,
          source: f.source,
          from: f.from ?? null,
          to: f.to ?? null,
        });
      }
    }
  }
  const manifest: ExportManifest = {
    site,
    period: result.period,
    timeZone: result.timeZone,
    configHash: o.configHash,
    generatedAt: new Date(o.nowMs ?? Date.now()).toISOString(),
    factorsUsed,
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
