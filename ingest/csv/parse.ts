/**
 * The readings CSV: a header `signal,time,value`, then one reading per line. Times are ISO 8601 with an offset
 * (or Z); a time without one is read in `defaultTimeZone` when given, else refused. A broken line is reported with
 * its 1-based line number, its text and the reason, and skipped; every other line is kept.
 */
import type { IANAZone } from 'luxon';
import { splitCsvLine } from '../../config/csv.ts';
import type { Reading } from '../../store/port.ts';
import { parseIsoTime, timeZone } from './time.ts';

export interface CsvProblem {
  /** 1-based line number in the file (0: the file as a whole) */
  line: number;
  message: string;
  /** the offending line (cut at 200 characters) */
  text: string;
}

export interface ParseOptions {
  /** IANA zone for times without an offset; without it such a time is a broken line */
  defaultTimeZone?: string;
  /** when given, a reading of any other signal is a broken line */
  knownSignals?: ReadonlySet<string>;
  /** points per yielded batch (default 50,000) */
  batchSize?: number;
}

/** Points parsed since the previous batch, and the lines refused meanwhile. */
export interface ParsedBatch {
  points: Reading[];
  problems: CsvProblem[];
  /** physical lines read so far, the header and blank lines included */
  linesRead: number;
}

export const HEADER = 'signal,time,value';
const MAX_TEXT = 200;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A line without its line end (and, on line 1, without a UTF-8 byte order mark). */
function clean(raw: string, lineNo: number): string {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  return lineNo === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function problem(lineNo: number, text: string, message: string): CsvProblem {
  return { line: lineNo, message, text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}...` : text };
}

export function isHeader(text: string): boolean {
  const f = splitCsvLine(text);
  return Array.isArray(f) && f.join(',') === HEADER;
}

export interface LineContext {
  zone?: IANAZone;
  knownSignals?: ReadonlySet<string>;
}

/** One data line (already cleaned, not blank) as a point, or the reason it is refused. */
export function parseReadingLine(text: string, lineNo: number, ctx: LineContext): Reading | CsvProblem {
  const fields = splitCsvLine(text);
  if (!Array.isArray(fields)) return problem(lineNo, text, fields.error);
  if (fields.length !== 3) {
    return problem(lineNo, text, `expected 3 fields (signal,time,value), found ${fields.length}`);
  }
  const [signal, time, value] = fields.map((f) => f.trim()) as [string, string, string];
  if (signal === '') return problem(lineNo, text, 'empty signal');
  if (ctx.knownSignals !== undefined && !ctx.knownSignals.has(signal)) {
    return problem(lineNo, text, `unknown signal '${signal}' (not in the plant config)`);
  }
  const t = parseIsoTime(time, ctx.zone);
  if ('error' in t) return problem(lineNo, text, t.error);
  if (!NUMBER.test(value)) return problem(lineNo, text, `value '${value}' is not a number`);
  const v = Number(value);
  if (!Number.isFinite(v)) return problem(lineNo, text, `value '${value}' is not a finite number`);
  return { signal, timeMs: t.ms, value: v };
}

/**
 * Parses readings lines (without their line ends) into batches of at most batchSize points (and at most
 * batchSize problems, so a file of nothing but broken lines stays bounded too). Blank lines are
 * skipped; the first other line must be the header, else that is the one problem reported and nothing is read.
 * Throws before reading when an option is wrong.
 */
export async function* parseReadingsCsv(
  lines: AsyncIterable<string> | Iterable<string>,
  opts: ParseOptions = {},
): AsyncGenerator<ParsedBatch> {
  const batchSize = opts.batchSize ?? 50_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a whole number >= 1, got ${batchSize}`);
  }
  const ctx: LineContext = { knownSignals: opts.knownSignals };
  if (opts.defaultTimeZone !== undefined) ctx.zone = timeZone(opts.defaultTimeZone);
  let lineNo = 0;
  let sawHeader = false;
  let points: Reading[] = [];
  let problems: CsvProblem[] = [];
  for await (const raw of lines) {
    const text = clean(raw, ++lineNo);
    if (text.trim() === '') continue;
    if (!sawHeader) {
      if (!isHeader(text)) {
        yield {
          points: [],
          problems: [problem(lineNo, text, `the first line must be the header '${HEADER}'`)],
          linesRead: lineNo,
        };
        return;
      }
      sawHeader = true;
      continue;
    }
    const r = parseReadingLine(text, lineNo, ctx);
    if ('message' in r) problems.push(r);
    else points.push(r);
    if (points.length >= batchSize || problems.length >= batchSize) {
      yield { points, problems, linesRead: lineNo };
      points = [];
      problems = [];
    }
  }
  if (!sawHeader) problems.push({ line: 0, message: `empty file: no '${HEADER}' header`, text: '' });
  yield { points, problems, linesRead: lineNo };
}
