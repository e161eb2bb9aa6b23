import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Point, SeriesStore } from '../../store/port.ts';
import { importCsvFile, importLines } from './import.ts';

const here = path.dirname(new URL(import.meta.url).pathname);

/** A store that records writes: the parser's own tests need no real store (the CLI test uses the embedded one). */
function recorder(): SeriesStore & { points: Point[]; writes: number } {
  const r = {
    points: [] as Point[],
    writes: 0,
    async write(p: readonly Point[]) {
      r.points.push(...p);
      r.writes++;
    },
  };
  return r as unknown as SeriesStore & { points: Point[]; writes: number };
}

describe('readings CSV', () => {
  it('reports every broken line with its number and reason, and keeps every valid line before and after', async () => {
    const store = recorder();
    const rep = await importCsvFile(path.join(here, 'testdata', 'broken.csv'), store, {
      knownSignals: new Set(['E-1']),
    });
    expect(rep.problems.map((p) => [p.line, p.message])).toEqual([
      [3, 'expected 3 fields (signal,time,value), found 2'],
      [4, "time 'yesterday' is not ISO 8601 (e.g. 2026-10-01T00:00:00+08:00)"],
      [5, "value 'abc' is not a number"],
      [6, 'empty signal'],
      [7, "unknown signal 'E-9' (not in the plant config)"],
      [8, "value '1e999' is not a finite number"],
      [9, 'expected 3 fields (signal,time,value), found 4'],
      [10, 'unterminated quote'],
    ]);
    expect(rep.problems[1]!.text).toBe('E-1,yesterday,101');
    expect(store.points.map((p) => p.value)).toEqual([100, 107, 108, 109]);
    expect(store.points[2]!.timeMs).toBe(Date.parse('2026-10-01T08:00:00Z'));
    expect(rep.pointsWritten).toBe(4);
    expect(rep.linesRead).toBe(13);
  });

  it('reads a UTF-8 BOM, CRLF line ends and blank lines', async () => {
    const store = recorder();
    const rep = await importCsvFile(path.join(here, 'testdata', 'bom-crlf.csv'), store);
    expect(rep.problems).toEqual([]);
    expect(store.points).toEqual([
      { signal: 'E-1', timeMs: Date.parse('2026-09-30T16:00:00Z'), value: 100 },
      { signal: 'E-1', timeMs: Date.parse('2026-09-30T17:00:00Z'), value: 110.5 },
    ]);
  });

  it('refuses a time without an offset unless a time zone is given', async () => {
    const lines = ['signal,time,value', 'E-1,2026-10-01T00:00:00,1'];
    expect((await importLines(lines, recorder())).problems[0]!.message).toMatch(/no offset/);
    const store = recorder();
    await importLines(lines, store, { defaultTimeZone: 'Asia/Shanghai' });
    expect(store.points[0]!.timeMs).toBe(Date.parse('2026-09-30T16:00:00Z'));
  });

  it('refuses a wrong header and an empty file', async () => {
    expect((await importLines(['time,signal,value'], recorder())).problems[0]).toMatchObject({ line: 1 });
    expect((await importLines([], recorder())).problems[0]!.message).toMatch(/empty file/);
  });

  it('writes in bounded batches', async () => {
    const store = recorder();
    const lines = [
      'signal,time,value',
      ...Array.from({ length: 25 }, (_, i) => `E-1,2026-10-01T00:00:${String(i).padStart(2, '0')}Z,${i}`),
    ];
    await importLines(lines, store, { batchSize: 10 });
    expect(store.writes).toBe(3);
    expect(store.points).toHaveLength(25);
  });
});
