/**
 * The one CSV tokenizer: fields split at commas, a field may be wrapped in double quotes (`""` inside is a quote).
 * The readings importer (ingest/csv) reads one line at a time, where a quote cannot span lines; the task files
 * (task-files.ts) read whole records, where a quoted field may hold commas and line ends. It lives here, with its
 * lowest user, so that config/ stays a leaf.
 */

/** The fields of a record, or why it cannot be split. */
export type CsvFields = string[] | { error: string };

interface Split {
  fields: CsvFields;
  /** the index just after the record's line end (or the text's length) */
  end: number;
}

/**
 * Splits the record that starts at `start`: fields up to a line end outside quotes (a quoted field keeps its line
 * ends). Text after a closing quote is an error, and so is a quote still open at the end of the text.
 */
function splitRecord(text: string, start: number): Split {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let wasQuoted = false;
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') cur += c;
      else if (text[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = false;
    } else if (c === '\n') {
      break;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
      wasQuoted = false;
    } else if (c === '"' && cur.trim() === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      cur = '';
    } else if (wasQuoted && c.trim() !== '') {
      const next = text.indexOf('\n', i);
      return {
        fields: { error: `text after a closing quote in field ${out.length + 1}` },
        end: next < 0 ? text.length : next + 1,
      };
    } else if (!wasQuoted) cur += c;
  }
  if (quoted) return { fields: { error: 'unterminated quote' }, end: text.length };
  out.push(cur);
  return { fields: out, end: i + 1 };
}

/** Splits one CSV line (without its line end) into fields. */
export function splitCsvLine(line: string): CsvFields {
  if (!line.includes('"')) return line.split(',');
  return splitRecord(line, 0).fields;
}

/** A record of a CSV text: its first line's 1-based number and its fields (or why it cannot be split). */
export interface CsvRecord {
  line: number;
  fields: CsvFields;
}

/**
 * The records of a whole CSV text (UTF-8 already decoded; a byte order mark, CRLF line ends and blank lines are
 * dropped). A quoted field may span lines. A quote left open to the end of the text is reported on the line it
 * opened, and reading goes on from the next line, so that one stray quote hides no other problem.
 */
export function csvRecords(text: string): CsvRecord[] {
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const records: CsvRecord[] = [];
  let line = 1;
  let at = 0;
  while (at < body.length) {
    let { fields, end } = splitRecord(body, at);
    if (!Array.isArray(fields) && fields.error === 'unterminated quote') {
      const next = body.indexOf('\n', at);
      end = next < 0 ? body.length : next + 1;
      fields = { error: `unterminated quote: a quoted field opened on line ${line} is never closed` };
    }
    const consumed = body.slice(at, end);
    const blank = Array.isArray(fields) && fields.every((f) => f.trim() === '');
    if (!blank) records.push({ line, fields });
    line += (consumed.match(/\n/g) ?? []).length;
    at = end;
  }
  return records;
}
