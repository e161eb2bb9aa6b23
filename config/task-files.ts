/**
 * Key tasks and pledges kept in files (`taskFiles:`), one per row, as plant staff keep their 挂图作战 list in Excel:
 * CSV (UTF-8) or xlsx. Each row becomes the object a `tasks:` entry of the YAML is and is checked by the same
 * TaskSchema; the rows that pass are added after the YAML's tasks, before the whole-document checks. Problems name
 * the file as the config writes it, the row (Excel's row number, the CSV's line) and the column's header.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csvRecords } from './csv.ts';
import type { Problem } from './problems.ts';
import type { PlantConfig } from './schema.ts';
import { checkSchema } from './schema-issues.ts';
import { type TaskConfig, TaskSchema } from './schema-responsibility.ts';
import { didYouMean } from './suggest.ts';
import { columnValue, headerKey, plainCell, TASK_COLUMNS, type TaskColumn } from './task-columns.ts';
import { type TaskPlace, yamlTaskPlace } from './validate-responsibility.ts';
import { readSheetSync } from './xlsx.ts';

/** the sheets read first, when a workbook has one of these names; else its first sheet */
export const TASK_SHEETS = ['任务', 'Tasks'] as const;

export interface FileTask {
  task: TaskConfig;
  /** where the task or one of its fields (`owner.id`) is: `tasks.xlsx row 7, column 责任方 owner_id` */
  place: (field?: string) => string;
}

interface Table {
  /** what a row is called: Excel's rows, the CSV's lines */
  unit: 'row' | 'line';
  rows: { n: number; cells: unknown[] | { error: string } }[];
}

const columnLetter = (j: number): string =>
  (j >= 26 ? columnLetter(Math.floor(j / 26) - 1) : '') + String.fromCharCode(65 + (j % 26));

/** The rows of a task file; throws an Error saying why it cannot be read. */
function readTable(file: string): Table {
  if (/\.xlsx$/i.test(file)) {
    const sheet = readSheetSync(file, TASK_SHEETS);
    return { unit: 'row', rows: sheet.rows.map((r) => ({ n: r.row, cells: r.cells })) };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw new Error('not UTF-8 text: in Excel save it as "CSV UTF-8 (逗号分隔)", not "CSV (逗号分隔)" (GBK)');
  }
  return { unit: 'line', rows: csvRecords(text).map((r) => ({ n: r.line, cells: r.fields })) };
}

/** The tasks of one file and the problems of its rows; `shown` is the path as the config writes it. */
export function readTaskFile(file: string, shown: string): { tasks: FileTask[]; problems: Problem[] } {
  const table = readTable(file);
  const problems: Problem[] = [];
  const tasks: FileTask[] = [];
  const at = (n: number, column?: string) =>
    `${shown} ${table.unit} ${n}${column === undefined ? '' : `, column ${column}`}`;
  const [head, ...rows] = table.rows;
  if (head === undefined)
    return { tasks, problems: [{ path: shown, message: '空文件 empty file: no header row' }] };
  if (!Array.isArray(head.cells))
    return { tasks, problems: [{ path: at(head.n), message: head.cells.error }] };

  // the header: which column each cell names
  const name = (j: number) => (table.unit === 'row' ? columnLetter(j) : String(j + 1));
  const headers: string[] = [];
  const columns: (TaskColumn | undefined)[] = [];
  const known = TASK_COLUMNS.map((c) => c.key);
  head.cells.forEach((cell, j) => {
    const text = plainCell(cell);
    headers[j] =
      typeof text === 'string' || typeof text === 'number' ? String(text).replace(/\s+/g, ' ') : '';
    if (headers[j] === '') return;
    const key = headerKey(headers[j]!);
    const column = TASK_COLUMNS.find((c) => c.key === key);
    if (column === undefined) {
      const hint = didYouMean(key, known) || ` (可用列 known columns: ${known.join(', ')})`;
      problems.push({ path: at(head.n, headers[j]), message: `未知列 unknown column '${key}'${hint}` });
    } else if (columns.includes(column)) {
      problems.push({ path: at(head.n, headers[j]), message: `重复列 column '${key}' appears twice` });
    } else columns[j] = column;
  });
  const columnOf = (key: string) => columns.findIndex((c) => c?.key === key);
  const missing = new Set<string>();

  for (const { n, cells } of rows) {
    if (!Array.isArray(cells)) {
      problems.push({ path: at(n), message: cells.error });
      continue;
    }
    const raw: Record<string, unknown> = {};
    let broken = false;
    cells.forEach((cell, j) => {
      const v = plainCell(cell);
      if (v === undefined) return;
      const column = columns[j];
      if (typeof v === 'object') {
        problems.push({ path: at(n, headers[j] || name(j)), message: v.problem });
        broken = true;
      } else if (column !== undefined) {
        const [first, second] = column.field as [string, string?];
        if (second === undefined) raw[first] = columnValue(column, v);
        else raw[first] = { ...(raw[first] as object), [second]: columnValue(column, v) };
      } else if (!headers[j]) {
        problems.push({ path: at(n, name(j)), message: '无表头 a value in a column without a header' });
        broken = true;
      }
    });
    if (Object.keys(raw).length === 0 && !broken) continue;
    const checked = checkSchema(TaskSchema, raw);
    if (!checked.ok) {
      for (const p of checked.problems) {
        const key = p.path.replaceAll('.', '_');
        const j = columnOf(key);
        if (j >= 0) problems.push({ path: at(n, headers[j]), message: p.message });
        else if (p.path === '(root)') problems.push({ path: at(n), message: p.message });
        else missing.add(key);
      }
      continue;
    }
    if (broken) continue;
    const place = (field?: string) => {
      const j = field === undefined ? -1 : columnOf(field.replaceAll('.', '_'));
      return at(n, j >= 0 ? headers[j] : undefined);
    };
    tasks.push({ task: checked.data, place });
  }
  for (const key of missing) {
    const zh = TASK_COLUMNS.find((c) => c.key === key)?.zh;
    problems.push({ path: at(head.n), message: `缺少列 missing column '${zh ? `${zh} ` : ''}${key}'` });
  }
  return { tasks, problems };
}

/**
 * The config with the tasks of its `taskFiles` added after its own (paths relative to the config file's folder),
 * the problems of those files, and where each task is, for the whole-document checks.
 */
export function withTaskFiles(
  config: PlantConfig,
  configFile: string,
): { config: PlantConfig; problems: Problem[]; taskPlace: TaskPlace } {
  if (config.taskFiles.length === 0) return { config, problems: [], taskPlace: yamlTaskPlace };
  const dir = path.dirname(path.resolve(configFile));
  const problems: Problem[] = [];
  const fromFiles: FileTask[] = [];
  config.taskFiles.forEach((shown, i) => {
    const file = path.resolve(dir, shown);
    try {
      const read = readTaskFile(file, shown);
      fromFiles.push(...read.tasks);
      problems.push(...read.problems);
    } catch (err) {
      problems.push({
        path: `taskFiles[${i}]`,
        message: `无法读取 cannot read '${shown}' (${file}): ${(err as Error).message}`,
      });
    }
  });
  const own = config.tasks.length;
  return {
    config: { ...config, tasks: [...config.tasks, ...fromFiles.map((t) => t.task)] },
    problems,
    taskPlace: (i, field) => (i < own ? yamlTaskPlace(i, field) : fromFiles[i - own]!.place(field)),
  };
}
