/**
 * The readings CSV: a header `signal,time,value`, then one reading per line. Times are ISO 8601 with an offset
 * (or Z); a time without one is read in `defaultTimeZone` when given, else refused. A broken line is reported with
 * its 1-based line number, its text and the reason, and skipped; every other line is kept.
 */
import { DateTime } from 'luxon';
import type { Point } from '../../store/port.ts';

export interface CsvProblem {
  /** 1-based line number in the file */
  line: number;
  message: string;
  /** the offending text (cut at 200 characters) */
  text: string;
}

export interface ParseOptions {
  defaultTimeZone?: string;
  knownSignals?: ReadonlySet<string>;
}

const HEADER = 'signal,time,value';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

/** Splits one CSV line into fields; double quotes may wrap a field, "" inside is a quote. */
export function splitCsvLine(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
    i++;
  }
  if (quoted) return null;
  out.push(cur);
  return out;
}

export type LineResult = { point: Point } | { problem: CsvProblem } | null;

export class ReadingsParser {
  private lineNo = 0;
  private sawHeader = false;
  constructor(private readonly opts: ParseOptions = {}) {}

  /** One physical line (without its newline); null for blank lines and the header. */
  line(raw: string): LineResult {
    this.lineNo++;
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const problem = (message: string): LineResult => ({
      problem: { line: this.lineNo, message, text: text.slice(0, 200) },
    });
    if (!this.sawHeader) {
      if (text.trim() === '') return null;
      this.sawHeader = true;
      if (text.trim().replace(/\s*,\s*/g, ',') !== HEADER) {
        return problem(`the header must be '${HEADER}'`);
      }
      return null;
    }
    if (text.trim() === '') return null;
    const fields = splitCsvLine(text);
    if (fields === null) return problem('unterminated quote');
    if (fields.length !== 3) return problem(`expected 3 fields (signal,time,value), found ${fields.length}`);
    const [signal, time, value] = fields.map((f) => f.trim()) as [string, string, string];
    if (signal === '') return problem('empty signal');
    if (this.opts.knownSignals && !this.opts.knownSignals.has(signal)) {
      return problem(`unknown signal '${signal}' (not in the plant config)`);
    }
    if (!ISO.test(time)) return problem(`time '${time}' is not ISO 8601 (e.g. 2026-10-01T00:00:00+08:00)`);
    let dt: DateTime;
    if (HAS_OFFSET.test(time)) dt = DateTime.fromISO(time, { setZone: true });
    else if (this.opts.defaultTimeZone) dt = DateTime.fromISO(time, { zone: this.opts.defaultTimeZone });
    else return problem(`time '${time}' has no offset and no time zone is configured`);
    if (!dt.isValid) return problem(`time '${time}' is not a valid instant (${dt.invalidReason})`);
    if (value === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) {
      return problem(`value '${value}' is not a number`);
    }
    const v = Number(value);
    if (!Number.isFinite(v)) return problem(`value '${value}' is not a finite number`);
    return { point: { signal, timeMs: dt.toMillis(), value: v } };
  }

  get linesRead(): number {
    return this.lineNo;
  }

  /** A file without even a header line. */
  finish(): CsvProblem | null {
    return this.sawHeader ? null : { line: 0, message: `empty file: no '${HEADER}' header`, text: '' };
  }
}
