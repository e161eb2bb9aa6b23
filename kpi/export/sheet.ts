/**
 * One worksheet as a plant files it: a bold, frozen header (repeated on every printed page), number formats per
 * cell, columns as wide as their widest text (CJK characters count two), long text wrapped, an autofilter, and a
 * landscape A4 page fitted to one page wide with the sheet's name and page numbers in the footer.
 */
import type ExcelJS from 'exceljs';
import { displayWidth, formatValue, PROVISIONAL_LABEL, unitStyle } from '../present.ts';

/** A cell: a value, its Excel number format and the text it shows (for the column's width). */
export interface Cell {
  value: string | number | null;
  numFmt?: string;
  /** what the cell shows, when that is not String(value) */
  text?: string;
}

export type CellInput = Cell | string | number | null;

export interface Column {
  /** zh-CN with English; a '\n' breaks it into lines (a wrapped header) */
  header: string;
  /** wider text wraps at this width (notes, sources) */
  maxWidth?: number;
  /** the header wraps between words: the column need only be as wide as its longest word (and its values) */
  wrapHeader?: boolean;
}

/** Excel's column widths are in '0' widths; a little room for the cell padding and the bold header. */
const PADDING = 2;
const MIN_WIDTH = 6;
/** a column whose header wraps: wide enough that the header stays a few lines tall */
const MIN_WRAPPED_WIDTH = 11;
/** a right-aligned number's indent (one character's width in Excel) */
const INDENT = 1;
/** a bold header word is this much wider than the same word in the body's font */
const BOLD = 1.15;
/** points per line of 11 pt text */
const LINE_PT = 15;

/** A number in a unit: the unit's format, shown as formatValue shows it. */
export function num(value: number | null | undefined, unit: string): Cell {
  if (value === null || value === undefined || !Number.isFinite(value)) return { value: null };
  return { value, numFmt: unitStyle(unit).excelFormat, text: formatValue(value, unit) };
}

/** A fraction shown as a signed percentage (a margin to target). */
export function signedPercent(value: number | null | undefined): Cell {
  if (value === null || value === undefined || !Number.isFinite(value)) return { value: null };
  const text = `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
  return { value, numFmt: '+0.0%;-0.0%;0.0%', text };
}

/** A percentage (100 = the whole) as a fraction, for a percent-formatted cell; null stays null. */
export function fraction(pct: number | null | undefined): number | null {
  return pct === null || pct === undefined ? null : pct / 100;
}

/** The unit beside a value as it is shown: a ratio (unit '1') reads as a percentage. */
export const unitShown = (unit: string) => (unitStyle(unit).percent ? '%' : unit);
/** The provisional mark of a row; a final row shows nothing. */
export const provisional = (p: boolean) => (p ? PROVISIONAL_LABEL : '');
/** Columns of plain headers. */
export const cols = (headers: readonly string[]): Column[] => headers.map((header) => ({ header }));

/** Where a target is, as a number in the KPI's format with its bound before it ("≤ 260.00"). */
export function targetCell(
  t: { target_max?: number | undefined; target_min?: number | undefined },
  unit: string | undefined,
): Cell {
  const fmt = unit === undefined ? '0.###' : unitStyle(unit).excelFormat;
  const show = (x: number) => (unit === undefined ? String(x) : num(x, unit).text!);
  if (t.target_max !== undefined && t.target_min !== undefined)
    return { value: `${show(t.target_min)} – ${show(t.target_max)}` };
  const [sign, x] = t.target_max !== undefined ? ['≤', t.target_max] : ['≥', t.target_min!];
  return { value: x, numFmt: `"${sign} "${fmt}`, text: `${sign} ${show(x)}` };
}

function cellOf(c: CellInput): Cell {
  return c !== null && typeof c === 'object' ? c : { value: c };
}

function textOf(c: Cell): string {
  return c.text ?? (c.value === null ? '' : String(c.value));
}

/** Lines a text takes in a column of `width`: each of its own lines wrapped between words (a longer word alone). */
function linesIn(text: string, width: number, scale = 1): number {
  const room = Math.max(1, width - PADDING);
  let n = 0;
  for (const line of text.split('\n')) {
    let used = 0;
    n++;
    for (const word of line.split(' ')) {
      const w = Math.ceil(displayWidth(word) * scale);
      if (used > 0 && used + 1 + w > room) {
        n++;
        used = 0;
      }
      used += (used > 0 ? 1 : 0) + w;
      if (used > room) {
        n += Math.ceil(used / room) - 1;
        used %= room;
      }
    }
  }
  return n;
}

/** Adds a sheet with its header and rows; a sheet without rows is not added (returns false). */
export function addTable(
  wb: ExcelJS.Workbook,
  name: string,
  columns: readonly Column[],
  rows: readonly (readonly CellInput[])[],
): boolean {
  if (rows.length === 0) return false;
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '&L&A&R&P / &N' },
  });
  const cells = rows.map((r) => r.map(cellOf));
  // numbers sit right (their headers with them), and text after a number column one indent off it (LibreOffice
  // ignores the indent of right-aligned cells, so the gap is made on the text's side too)
  const numeric = columns.map((_, i) => cells.some((r) => typeof r[i]?.value === 'number'));
  const indent = columns.map((_, i) => numeric[i] || (i > 0 && numeric[i - 1] === true));
  const widths = columns.map((col, i) => {
    const head = col.wrapHeader
      ? Math.ceil(BOLD * Math.max(...col.header.split(/[\n ]/).map(displayWidth)))
      : Math.max(...col.header.split('\n').map(displayWidth));
    const body = Math.max(
      0,
      ...cells.map((r) =>
        Math.max(
          0,
          ...textOf(r[i] ?? { value: null })
            .split('\n')
            .map(displayWidth),
        ),
      ),
    );
    const room = PADDING + (indent[i] ? INDENT : 0);
    const least = col.wrapHeader ? MIN_WRAPPED_WIDTH : MIN_WIDTH;
    const w = Math.min(col.maxWidth ?? Number.POSITIVE_INFINITY, Math.max(least, head, body) + room);
    // exceljs leaves out a column 9 wide (its default), and Excel's own default is 8.43
    return w === 9 ? 9.5 : w;
  });
  ws.columns = columns.map((_, i) => ({ width: widths[i]! }));

  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.height = LINE_PT * Math.max(...columns.map((c, i) => linesIn(c.header, widths[i]!, BOLD)));
  header.eachCell((cell, i) => {
    if (indent[i - 1])
      cell.alignment = {
        vertical: 'middle',
        wrapText: true,
        horizontal: numeric[i - 1] ? 'right' : 'left',
        indent: INDENT,
      };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
    cell.border = { bottom: { style: 'thin' } };
  });

  for (const r of cells) {
    const row = ws.addRow(r.map((c) => c.value));
    const wraps = (i: number) => columns[i]!.maxWidth !== undefined;
    const lines = Math.max(1, ...r.map((c, i) => (wraps(i) ? linesIn(textOf(c), widths[i]!) : 1)));
    r.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (c.numFmt !== undefined) cell.numFmt = c.numFmt;
      // a row taller than a line reads from its top
      cell.alignment = {
        ...(lines > 1 ? { vertical: 'top' } : {}),
        ...(wraps(i) ? { wrapText: true } : {}),
        ...(indent[i] ? { horizontal: numeric[i] ? 'right' : 'left', indent: INDENT } : {}),
      };
    });
    if (lines > 1) row.height = LINE_PT * lines;
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return true;
}
