import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../store/embedded/store.ts';
import type { Reading, SeriesStore } from '../../store/port.ts';
import { importCsvFile, importLines } from './import.ts';
import { type ParsedBatch, parseReadingsCsv } from './parse.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, 'testdata', name);
const REFERENCE = path.resolve(here, '..', '..', 'test', 'fixtures', 'reference-plant', 'readings.csv');
const ms = (iso: string) => Date.parse(iso);

describe('readings CSV import', () => {
  const dirs: string[] = [];
  const freshStore = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'plantkpi-csv-'));
    dirs.push(dir);
    return EmbeddedStore.open(dir);
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const all = async (store: SeriesStore, signal: string) => {
    const r = await store.readRange(signal, 0, ms('2100-01-01T00:00:00Z'));
    return [...r.times].map((t, i) => [new Date(t).toISOString(), r.values[i]]);
  };

  it('reports every broken line with its number, text and reason, and keeps every valid line around them', async () => {
    const store = await freshStore();
    const rep = await importCsvFile(fixture('broken.csv'), store, { knownSignals: new Set(['E-1']) });
    expect(rep.problems.map((p) => [p.line, p.message])).toEqual([
      [3, 'expected 3 fields (signal,time,value), found 2'],
      [4, "time 'yesterday' is not ISO 8601 (e.g. 2026-10-01T00:00:00+08:00)"],
      [5, "value 'abc' is not a number"],
      [6, 'empty signal'],
      [7, "unknown signal 'E-9' (not in the plant config)"],
      [8, "value '1e999' is not a finite number"],
      [9, 'expected 3 fields (signal,time,value), found 4'],
      [10, 'unterminated quote'],
      [12, "time '2026-02-30T00:00:00+08:00' is not a valid date and time"],
      [13, "time '2026-10-01T07:30:00' has no offset (add one, e.g. +08:00, or give a default time zone)"],
      [14, "value 'NaN' is not a number"],
      [15, "value '' is not a number"],
    ]);
    expect(rep.problems[1]!.text).toBe('E-1,yesterday,101');
    expect(rep.problems[7]!.text).toBe('"E-1,2026-10-01T06:00:00+08:00,106');
    expect(await all(store, 'E-1')).toEqual([
      ['2026-09-30T16:00:00.000Z', 100],
      ['2026-09-30T23:00:00.000Z', 107],
      ['2026-10-01T01:00:00.000Z', 109],
      ['2026-10-01T08:00:00.000Z', 108],
    ]);
    expect(await store.signals()).toEqual(['E-1']);
    expect(rep).toMatchObject({
      linesRead: 17,
      pointsWritten: 4,
      signals: { 'E-1': 4 },
      problemsNotListed: 0,
    });
  });

  it('reads a UTF-8 BOM, CRLF line ends, blank lines and a trailing newline', async () => {
    const store = await freshStore();
    const rep = await importCsvFile(fixture('bom-crlf.csv'), store);
    expect(rep.problems).toEqual([]);
    expect(rep.linesRead).toBe(6);
    expect(await all(store, 'E-1')).toEqual([
      ['2026-09-30T16:00:00.000Z', 100],
      ['2026-09-30T17:00:00.000Z', 110.5],
    ]);
  });

  it('reads quoted fields with doubled quotes, milliseconds, +0800 offsets and signed values', async () => {
    const store = await freshStore();
    const rep = await importCsvFile(fixture('quoted.csv'), store);
    expect(rep.problems).toEqual([
      { line: 4, message: 'text after a closing quote in field 1', text: '"x"y,2026-10-01T00:00:00Z,1' },
    ]);
    expect(await store.signals()).toEqual(['plain', 'tank "A", level', '电表/1']);
    expect(await all(store, 'tank "A", level')).toEqual([['2026-10-01T00:00:00.000Z', 1.5]]);
    expect(await all(store, '电表/1')).toEqual([['2026-10-01T00:00:00.250Z', -2000]]);
    expect(await all(store, 'plain')).toEqual([['2026-09-30T16:00:00.000Z', 7]]);
  });

  it('reads a last line without a newline', async () => {
    const store = await freshStore();
    const rep = await importCsvFile(fixture('no-final-newline.csv'), store);
    expect(rep).toMatchObject({ linesRead: 3, pointsWritten: 2, problems: [] });
  });

  it('refuses a file whose first line is not the header, importing nothing', async () => {
    const store = await freshStore();
    const rep = await importCsvFile(fixture('bad-header.csv'), store);
    expect(rep.problems).toEqual([
      {
        line: 1,
        message: "the first line must be the header 'signal,time,value'",
        text: 'time,signal,value',
      },
    ]);
    expect(rep.pointsWritten).toBe(0);
    expect(await store.signals()).toEqual([]);
  });

  it('refuses an empty file; a header alone is an empty import', async () => {
    const store = await freshStore();
    expect((await importCsvFile(fixture('empty.csv'), store)).problems).toEqual([
      { line: 0, message: "empty file: no 'signal,time,value' header", text: '' },
    ]);
    expect(await importLines(['signal,time,value'], store)).toMatchObject({ linesRead: 1, problems: [] });
  });

  it('reads times without an offset only in a given IANA zone', async () => {
    const store = await freshStore();
    const lines = [
      'signal,time,value',
      'E-1,2026-10-01T00:00:00,1',
      'B-1,2026-03-29T02:30:00,2', // Berlin: clocks go from 02:00 to 03:00
      'B-1,2026-10-25T02:30:00,3', // Berlin: 02:00-03:00 happens twice; the first is meant
    ];
    expect((await importLines(lines.slice(0, 2), store)).problems[0]!.message).toMatch(/has no offset/);
    await importLines(lines.slice(0, 2), store, { defaultTimeZone: 'Asia/Shanghai' });
    expect(await all(store, 'E-1')).toEqual([['2026-09-30T16:00:00.000Z', 1]]);
    const rep = await importLines([lines[0]!, ...lines.slice(2)], store, {
      defaultTimeZone: 'Europe/Berlin',
    });
    expect(rep.problems.map((p) => [p.line, p.message])).toEqual([
      [2, "time '2026-03-29T02:30:00' does not exist in Europe/Berlin (clocks moved forward over it)"],
    ]);
    expect(await all(store, 'B-1')).toEqual([['2026-10-25T00:30:00.000Z', 3]]);
    await expect(importLines(lines, store, { defaultTimeZone: 'Mars/Olympus' })).rejects.toThrow(
      /defaultTimeZone 'Mars\/Olympus' is not an IANA time zone/,
    );
  });

  it('yields bounded batches of points and of problems', async () => {
    const good = (i: number) => `E-1,2026-10-01T00:00:${String(i).padStart(2, '0')}Z,${i}`;
    const lines = ['signal,time,value', ...Array.from({ length: 25 }, (_, i) => good(i)), 'broken'];
    const batches: ParsedBatch[] = [];
    for await (const b of parseReadingsCsv(lines, { batchSize: 10 })) batches.push(b);
    expect(batches.map((b) => [b.points.length, b.problems.length, b.linesRead])).toEqual([
      [10, 0, 11],
      [10, 0, 21],
      [5, 1, 27],
    ]);
    const bad = ['signal,time,value', ...Array.from({ length: 25 }, () => 'x,y')];
    const sizes: number[] = [];
    for await (const b of parseReadingsCsv(bad, { batchSize: 10 })) sizes.push(b.problems.length);
    expect(sizes).toEqual([10, 10, 5]);
    await expect(parseReadingsCsv(lines, { batchSize: 0 }).next()).rejects.toThrow(/batchSize/);
  });

  it('writes one store write per batch', async () => {
    const store = await freshStore();
    const writes: number[] = [];
    const counting: SeriesStore = Object.assign(Object.create(store) as SeriesStore, {
      write: (pts: readonly Reading[]) => {
        writes.push(pts.length);
        return store.write(pts);
      },
    });
    const lines = ['signal,time,value', ...Array.from({ length: 25 }, (_, i) => `E-${i % 3},${i}`)];
    const csv = lines.map((l, i) => (i === 0 ? l : `${l.split(',')[0]},2026-10-01T00:00:${10 + i}Z,${i}`));
    const rep = await importLines(csv, counting, { batchSize: 10 });
    expect(writes).toEqual([10, 10, 5]);
    expect(rep.signals).toEqual({ 'E-0': 9, 'E-1': 8, 'E-2': 8 });
    expect(await store.count('E-0', 0, ms('2027-01-01T00:00:00Z'))).toBe(9);
  });

  it('lists at most maxProblems problems and counts the rest', async () => {
    const lines = [
      'signal,time,value',
      ...Array.from({ length: 7 }, () => 'x'),
      'E-1,2026-10-01T00:00:00Z,1',
    ];
    const rep = await importLines(lines, await freshStore(), { maxProblems: 3 });
    expect(rep.problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(rep.problemsNotListed).toBe(4);
    expect(rep.pointsWritten).toBe(1);
  });

  it('imports the reference plant: 5,960 readings of 8 signals', async () => {
    const store = await freshStore();
    const rep = await importCsvFile(REFERENCE, store);
    expect(rep.problems).toEqual([]);
    expect(rep.linesRead).toBe(5961);
    expect(rep.pointsWritten).toBe(5960);
    expect(Object.keys(rep.signals)).toHaveLength(8);
    expect(Object.values(rep.signals).every((n) => n === 745)).toBe(true);
    const signals = await store.signals();
    expect(signals).toEqual(Object.keys(rep.signals));
    let stored = 0;
    for (const s of signals) stored += await store.count(s, 0, ms('2100-01-01T00:00:00Z'));
    expect(stored).toBe(5960);
    const at = ms('2026-10-16T02:00:00+08:00');
    expect(await store.lastAtOrBefore('E-ELY', at)).toEqual({ timeMs: at, value: 2031.25 });
  });
});
