/**
 * Real data for the page tests: the reference plant's October 2026 (test/fixtures/reference-plant) imported into an
 * embedded store in a temporary folder and computed as `plantkpi scorecard` does, with a few tasks added to its config
 * so that every case shows: an open pledge of a branch, a pledge a person closed, an overdue manual task whose title
 * is hostile HTML, an open manual task of a team, and a manual award whose reason is hostile too. Key task K-1 stays
 * closed by its KPI, as in expected-scorecard.json.
 */
import path from 'node:path';
import { parseDocument } from 'yaml';
import { loadPlantConfig, parsePlantConfig } from '../../../config/load.ts';
import { importCsvFile } from '../../../ingest/csv/import.ts';
import { compilePlant, type Plant } from '../../../kpi/plant.ts';
import type { PeriodResult } from '../../../kpi/rows.ts';
import { runDays } from '../../../kpi/run.ts';
import type { Scorecard } from '../../../kpi/scorecard/build.ts';
import { computeScorecard } from '../../../kpi/scorecard/compute.ts';
import { openStore } from '../../../store/open.ts';
import { REFERENCE, REFERENCE_CONFIG, tempDir } from '../../../test/helpers.ts';
import { parsePeriod } from '../../../transforms/periods.ts';
import type { PageContext, Role } from '../types.ts';

export const HOSTILE = `<script>alert(1)</script> "onmouseover=alert(2) x='y' 锅炉保温整改`;

export const EXTRA_TASKS = [
  {
    id: 'P-1',
    title: '电解党支部承诺完成槽控系统升级 Cell control upgrade pledged',
    kind: 'pledge',
    owner: { type: 'branch', id: 'B-ELY' },
    due: '2026-12-31',
    points: 3,
  },
  {
    id: 'P-2',
    title: '电解一区承诺十月无非计划停机 No unplanned stop in October',
    kind: 'pledge',
    owner: { type: 'area', id: 'A-ELY-1' },
    due: '2026-10-31',
    points: 2,
  },
  {
    id: 'K-2',
    title: HOSTILE,
    kind: 'task',
    owner: { type: 'area', id: 'A-BLR' },
    due: '2026-10-10',
    points: 2,
  },
  {
    id: 'K-3',
    title: '突击队完成冷凝水回收改造 Condensate recovery retrofit',
    kind: 'task',
    owner: { type: 'team', id: 'T-BLR' },
    due: '2026-12-31',
    points: 4,
  },
];

export interface ReferenceData {
  plant: Plant;
  scorecard: Scorecard;
  result: PeriodResult;
  days: PeriodResult[];
  periods: string[];
}

export async function referenceData(): Promise<ReferenceData> {
  const { text } = loadPlantConfig(REFERENCE_CONFIG);
  const doc = parseDocument(text);
  for (const t of EXTRA_TASKS) doc.addIn(['tasks'], t);
  const config = parsePlantConfig(doc.toString(), REFERENCE_CONFIG);
  const plant = compilePlant(config);
  const tmp = tempDir('plantkpi-pages-');
  const store = await openStore(config, tmp.dir);
  try {
    await importCsvFile(path.join(REFERENCE, 'readings.csv'), store, {
      defaultTimeZone: config.site.timeZone,
      knownSignals: new Set(config.signals.map((s) => s.id)),
    });
    const { scorecard, result } = await computeScorecard(store, plant, plant.scorecard, '2026-10', {
      closures: [
        {
          task: 'P-2',
          period: '2026-10',
          atMs: Date.parse('2026-10-30T10:00:00+08:00'),
          by: '张三 zhangsan',
          evidence: '十月停机记录为零,设备科确认 No unplanned stop on record',
        },
      ],
      awards: [
        {
          scope_type: 'area',
          scope_id: 'A-BLR',
          period: '2026-10',
          points: 1.5,
          source: 'manual',
          ref: 'award-1',
          reason: `抢修表彰 ${HOSTILE}`,
          by: '李四 lisi',
          at: '2026-10-28T09:00:00+08:00',
        },
      ],
    });
    const days = await runDays(store, plant, parsePeriod('2026-10', plant.timeZone));
    return { plant, scorecard, result, days, periods: ['2026-10', '2026-09', '2026-08'] };
  } finally {
    await store.close();
    tmp.cleanup();
  }
}

/** A signed-in context for the tests: the role, and the branch of a secretary or a branch's viewer. */
export function contextFor(role: Role, branch: string | null, extra: Partial<PageContext> = {}): PageContext {
  const names: Record<Role, [string, string]> = {
    energy_manager: ['wang', '王工 Wang'],
    branch_secretary: ['zhang', '张书记 Zhang'],
    viewer: ['liu', '刘 Liu'],
  };
  const [username, displayName] = names[role];
  return {
    user: { username, displayName, role, branch },
    csrfToken: 'csrf-token-0123456789',
    period: '2026-10',
    periods: ['2026-10', '2026-09', '2026-08'],
    ...extra,
  };
}
