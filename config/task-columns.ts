/**
 * The columns of a task file (task-files.ts) and how one row becomes the object a `tasks:` entry of the YAML is.
 * The columns come from TaskSchema itself: one per field, nested fields joined by `_` (`owner.id` -> `owner_id`),
 * so a field added to the schema is a column at once; only their zh-CN labels are written here.
 */
import { configFields } from './fields.ts';
import { TaskSchema } from './schema-responsibility.ts';
import { ID_KIND } from './suggest.ts';

export interface TaskColumn {
  /** the English key written in the header cell, e.g. `owner_id` */
  key: string;
  /** the field in a `tasks:` entry, e.g. ['owner', 'id'] */
  field: string[];
  /** the zh-CN label that may stand before the key, e.g. 责任方 */
  zh: string;
  /** a number field (points, close_max ...): text such as "5" is read as a number */
  numeric: boolean;
}

const ZH: Record<string, string> = {
  id: '编号',
  title: '标题',
  kind: '类型',
  owner_type: '责任方类型',
  owner_id: '责任方',
  from: '起始',
  due: '截止',
  points: '积分',
  close_kpi: '销号指标',
  close_every: '周期',
  close_max: '上限',
  close_min: '下限',
  close_consecutive: '连续',
};

/** zh-CN words a cell may hold instead of the value, by column: 任务 for task, 党支部 for branch ... */
const ZH_VALUES: Record<string, Record<string, string>> = {
  kind: { 任务: 'task', 重点任务: 'task', 承诺: 'pledge' },
  owner_type: Object.fromEntries(Object.entries(ID_KIND).map(([type, name]) => [name.zh, type])),
  close_every: { 日: 'day', 天: 'day', 月: 'month' },
};

export const TASK_COLUMNS: readonly TaskColumn[] = configFields(TaskSchema)
  .filter((f) => f.type !== 'object')
  .map((f) => {
    const key = f.path.replaceAll('.', '_');
    return {
      key,
      field: f.path.split('.'),
      zh: ZH[key] ?? '',
      numeric: f.type === 'number' || f.type === 'integer',
    };
  });

/** The column a header cell names: its English key at the end (`截止 due`), or its zh-CN label alone (`截止`). */
export function headerKey(cell: string): string {
  const text = cell.trim();
  const english = /(?:^|[^A-Za-z_])([A-Za-z][A-Za-z_]*)$/.exec(text);
  if (english) return english[1]!.toLowerCase();
  return TASK_COLUMNS.find((c) => c.zh === text)?.key ?? text;
}

/** A cell as plain text or a number, undefined when empty; or what is wrong with it. */
export type CellValue = string | number | boolean | undefined | { problem: string };

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * An exceljs cell value (or a CSV field) made plain. An Excel date cell is a calendar date with no zone: exceljs
 * hands it over as that date and time in UTC, so its UTC fields are the local date, written as text that the config
 * reads in the site's time zone like any date of the YAML.
 */
export function plainCell(v: unknown): CellValue {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return { problem: 'an invalid date' };
    const date = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    const secs = v.getUTCHours() * 3600 + v.getUTCMinutes() * 60 + v.getUTCSeconds();
    if (secs === 0) return date;
    return `${date}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}`;
  }
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText))
    return plainCell(o.richText.map((r: { text?: string }) => r.text ?? '').join(''));
  if ('error' in o) return { problem: `the cell shows the error ${String(o.error)}` };
  if ('formula' in o || 'sharedFormula' in o) {
    if (o.result === undefined)
      return { problem: 'a formula without a saved result: open the file in Excel and save it' };
    return plainCell(o.result);
  }
  if ('text' in o) return plainCell(o.text);
  return { problem: `a cell value plantkpi cannot read (${JSON.stringify(v)})` };
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const SLASH_DATE = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;

/** A plain cell as the value of its column: numbers for number fields, text for the rest, zh-CN words mapped. */
export function columnValue(column: TaskColumn, v: string | number | boolean): unknown {
  if (column.numeric) return typeof v === 'string' && NUMBER.test(v) ? Number(v) : v;
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string') return text;
  // Excel writes a date cell as 2026/12/31 when it saves a CSV in a zh-CN locale
  const slash = SLASH_DATE.exec(text);
  if (slash) return `${slash[1]}-${pad(Number(slash[2]))}-${pad(Number(slash[3]))}`;
  return ZH_VALUES[column.key]?.[text] ?? text;
}
