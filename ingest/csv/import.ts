/** `plantkpi import`: streams a readings CSV into a store in bounded batches; broken lines are reported, not fatal. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SeriesStore } from '../../store/port.ts';
import { type CsvProblem, type ParseOptions, parseReadingsCsv } from './parse.ts';

export interface ImportReport {
  /** physical lines read, the header and blank lines included */
  linesRead: number;
  pointsWritten: number;
  /** readings written per signal */
  signals: Record<string, number>;
  /** the refused lines, in file order (at most maxProblems of them) */
  problems: CsvProblem[];
  /** refused lines beyond maxProblems, counted but not listed */
  problemsNotListed: number;
}

export interface ImportOptions extends ParseOptions {
  /** problems listed in the report; further ones are only counted (default 10,000) */
  maxProblems?: number;
}

/** Imports readings lines (without line ends) into the store, one store write per batch. */
export async function importLines(
  lines: AsyncIterable<string> | Iterable<string>,
  store: SeriesStore,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const maxProblems = opts.maxProblems ?? 10_000;
  const perSignal = new Map<string, number>();
  const report: ImportReport = {
    linesRead: 0,
    pointsWritten: 0,
    signals: {},
    problems: [],
    problemsNotListed: 0,
  };
  for await (const batch of parseReadingsCsv(lines, opts)) {
    if (batch.points.length > 0) await store.write(batch.points);
    report.pointsWritten += batch.points.length;
    for (const p of batch.points) perSignal.set(p.signal, (perSignal.get(p.signal) ?? 0) + 1);
    for (const p of batch.problems) {
      if (report.problems.length < maxProblems) report.problems.push(p);
      else report.problemsNotListed++;
    }
    report.linesRead = batch.linesRead;
  }
  report.signals = Object.fromEntries([...perSignal].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return report;
}

/** Imports a readings CSV file (UTF-8, with or without a BOM, LF or CRLF line ends) into the store. */
export async function importCsvFile(
  file: string,
  store: SeriesStore,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    return await importLines(lines, store, opts);
  } finally {
    lines.close();
    input.destroy();
  }
}
