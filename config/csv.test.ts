import { describe, expect, it } from 'vitest';
import { csvRecords, splitCsvLine } from './csv.ts';

describe('csvRecords: whole CSV texts, quoted fields across lines', () => {
  it('numbers each record by its first line; drops a BOM, CRLF and blank records', () => {
    const text = '\uFEFFa,b\r\n"x, ""y""\r\nz",2\r\n\r\n,\n3,"4"\n';
    expect(csvRecords(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, "y"\nz', '2'] },
      { line: 6, fields: ['3', '4'] },
    ]);
  });

  it('a quote never closed is reported on its line and reading goes on with the next line', () => {
    expect(csvRecords('a,b\n1,"open\n2,3\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: { error: 'unterminated quote: a quoted field opened on line 2 is never closed' } },
      { line: 3, fields: ['2', '3'] },
    ]);
  });

  it('text after a closing quote spoils that record only', () => {
    expect(csvRecords('"a"b,c\nd\n')).toEqual([
      { line: 1, fields: { error: 'text after a closing quote in field 1' } },
      { line: 2, fields: ['d'] },
    ]);
  });

  it('splitCsvLine (the readings importer) keeps its one-line rules', () => {
    expect(splitCsvLine('E-1,"2026-10-01T00:00:00Z",1')).toEqual(['E-1', '2026-10-01T00:00:00Z', '1']);
    expect(splitCsvLine('"open,1')).toEqual({ error: 'unterminated quote' });
  });
});
