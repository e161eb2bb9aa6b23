/** `plantkpi import`: streams a readings CSV into a store in bounded batches; broken lines are reported, not fatal. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Point, SeriesStore } from '../../store/port.ts';
import { type CsvProblem, type ParseOptions, ReadingsParser } from './parse.ts';

export interface ImportReport {
  linesRead: number;
  pointsWritten: number;
  /** readings per signal */
  signals: Record<string, number>;
  problems: CsvProblem[];
}

export interface ImportOptions extends ParseOptions {
  /** readings written per store write: memory stays bounded for any file size */
  batchSize?: number;
}

export async function importLines(
  lines: AsyncIterable<string> | Iterable<string>,
  store: SeriesStore,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const parser = new ReadingsParser(opts);
  const batchSize = opts.batchSize ?? 50_000;
  const report: ImportReport = { linesRead: 0, pointsWritten: 0, signals: {}, problems: [] };
  let batch: Point[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await store.write(batch);
    report.pointsWritten += batch.length;
    batch = [];
  };
  for await (const raw of lines) {
    const r = parser.line(raw);
    if (r === null) continue;
    if ('problem' in r) {
      report.problems.push(r.problem);
      continue;
    }
    batch.push(r.point);
    report.signals[r.point.signal] = (report.signals[r.point.signal] ?? 0) + 1;
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  const empty = parser.finish();
  if (empty) report.problems.push(empty);
  report.linesRead = parser.linesRead;
  return report;
}

export async function importCsvFile(
  file: string,
  store: SeriesStore,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  return importLines(lines, store, opts);
}
