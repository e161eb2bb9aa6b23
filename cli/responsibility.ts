/**
 * The responsibility loop's human decisions, each audited in the records database:
 *   plantkpi task close ID --config F --by NAME --evidence TEXT [--period P] [--data DIR]   a manual task or pledge 销号
 *   plantkpi task reopen ID --config F --by NAME --reason TEXT [--data DIR]                 a closure undone, with why
 *   plantkpi points award --config F --scope TYPE:ID --points N --period P --by NAME --reason TEXT [--data DIR]
 * A task closed by its KPI rule is not closed by hand (its KPIs decide; a wrong closure is reopened).
 */
import { EXIT, MissingInputError, RefusedError, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import type { PlantConfig } from '../config/schema.ts';
import { ID_KIND, unknownId } from '../config/suggest.ts';
import { compilePlant, type Plant } from '../kpi/plant.ts';
import type { ScopeKind } from '../kpi/rows.ts';
import { recordsTarget } from '../records/open.ts';
import type { RecordsStore } from '../records/port.ts';
import { openSharedRecords } from '../records/shared.ts';
import { parsePeriod } from '../transforms/periods.ts';
import { type Io, isDirectory, type Parsed } from './args.ts';

const DEFAULT_DATA = './data';

function need(o: Parsed, name: string, what: string): string {
  const v = o.values[name];
  if (v === undefined || v.trim() === '')
    throw new UsageError(`缺少 --${name} (--${name} is required: ${what})`);
  return v;
}

/** The records store of the config and --data; the data directory must exist (a mistyped one is no new store). */
async function withRecords<T>(
  o: Parsed,
  config: PlantConfig,
  fn: (r: RecordsStore) => Promise<T>,
): Promise<T> {
  const data = o.values.data ?? DEFAULT_DATA;
  const target = recordsTarget(config, data);
  if ('dir' in target && !isDirectory(data))
    throw new MissingInputError(
      data,
      `--data ${data}: 目录不存在 no such directory: 请给出作业使用的数据目录 give the data directory the jobs use`,
    );
  const records = await openSharedRecords(target);
  try {
    return await fn(records);
  } finally {
    await records.close();
  }
}

function oneId(o: Parsed, what: string): string {
  const [id, ...extra] = o.positionals;
  if (id === undefined)
    throw new UsageError(`缺少${what}编号 ${what === '任务' ? 'a task' : 'an'} ID is required`);
  if (extra.length > 0) throw new UsageError(`多余的参数 unexpected '${extra[0]}'`);
  return id;
}

function findTask(plant: Plant, id: string) {
  const task = plant.scorecard.tasks.find((t) => t.id === id);
  if (!task)
    throw new UsageError(
      unknownId(
        { zh: '任务', en: 'task' },
        id,
        plant.scorecard.tasks.map((t) => t.id),
      ),
    );
  return task;
}

export async function cmdTask(
  args: string[],
  io: Io,
  parse: (a: string[]) => Parsed,
  nowMs = Date.now(),
): Promise<number> {
  const [sub, ...rest] = args;
  const o = parse(rest);
  const { config } = loadPlantConfig(need(o, 'config', 'the plant config'));
  const plant = compilePlant(config);
  const id = oneId(o, '任务');
  const task = findTask(plant, id);
  const by = need(o, 'by', 'who decides');
  if (sub === 'close') {
    if (task.rule)
      throw new RefusedError(
        `${id} 由指标规则销号 is closed by its KPI rule (${task.rule.kpi}), not by hand: its KPIs decide; a wrong closure is undone with plantkpi task reopen`,
      );
    const evidence = need(o, 'evidence', 'what proves it');
    const period = parsePeriod(o.values.period ?? monthOf(nowMs, plant.timeZone), plant.timeZone);
    // a closure made after its period counts in that period (the evidence is of that period)
    const effectiveMs = Math.min(nowMs, period.endMs - 1);
    const r = await withRecords(o, config, (s) =>
      s.closeTask({ task: id, period: period.label, source: 'manual', effectiveMs, by, evidence }),
    );
    if (!r.made)
      throw new RefusedError(
        `${id} 已销号 is already closed (${r.closure.period}, by ${r.closure.by}): reopen it first (plantkpi task reopen)`,
      );
    const kind = task.kind === 'pledge' ? '承诺已践诺 pledge kept' : '任务已销号 task closed';
    io.out(`${kind}: ${id} ${task.title} (${period.label}, ${by}; 已记入审计 audited)\n`);
    return EXIT.ok;
  }
  if (sub === 'reopen') {
    const reason = need(o, 'reason', 'why the closure is undone');
    const was = await withRecords(o, config, (s) => s.reopenTask(id, by, reason));
    io.out(
      was
        ? `任务已重开 task reopened: ${id} (${by}: ${reason}; 已记入审计 audited)\n`
        : `任务未销号 task ${id} was not closed; 决定已记入审计 the decision is audited\n`,
    );
    return EXIT.ok;
  }
  throw new UsageError(`task 没有子命令 has no subcommand '${sub}': close, reopen`);
}

const SCOPE_KINDS: readonly ScopeKind[] = ['area', 'team', 'branch', 'general_branch'];

export async function cmdPoints(args: string[], io: Io, parse: (a: string[]) => Parsed): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'award') throw new UsageError(`points 没有子命令 has no subcommand '${sub}': award`);
  const o = parse(rest);
  const { config } = loadPlantConfig(need(o, 'config', 'the plant config'));
  const plant = compilePlant(config);
  const scopeText = need(o, 'scope', 'TYPE:ID, e.g. area:A-ELY-1');
  const [type, id] = scopeText.split(':') as [string, string | undefined];
  if (!SCOPE_KINDS.includes(type as ScopeKind) || id === undefined)
    throw new UsageError(`--scope ${scopeText}: 应为 use TYPE:ID with TYPE one of ${SCOPE_KINDS.join(', ')}`);
  const scopes = {
    area: plant.areas,
    team: plant.teams,
    branch: plant.branches,
    general_branch: plant.generalBranches,
  }[type as 'area'];
  if (!scopes.some((s) => s.id === id))
    throw new UsageError(
      `--scope: ${unknownId(
        ID_KIND[type as ScopeKind],
        id,
        scopes.map((s) => s.id),
      )}`,
    );
  const pointsText = need(o, 'points', 'a number, negative for a deduction');
  const points = Number(pointsText);
  if (!Number.isFinite(points) || pointsText.trim() === '')
    throw new UsageError(`--points ${pointsText}: 应为数字 not a number`);
  const period = parsePeriod(need(o, 'period', 'the period it counts in, e.g. 2026-10'), plant.timeZone);
  const by = need(o, 'by', 'who awards');
  const reason = need(o, 'reason', 'why');
  const rec = await withRecords(o, config, (s) =>
    s.award({ period: period.label, scope_type: type, scope_id: id, points, by, reason }),
  );
  io.out(
    `积分已记 points recorded: ${type}:${id} ${points > 0 ? '+' : ''}${points} (${period.label}, ${by}: ${reason}; ${rec.id}, 已记入审计 audited)\n`,
  );
  return EXIT.ok;
}

function monthOf(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(
    new Date(ms),
  );
}
