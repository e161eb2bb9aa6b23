/**
 * Reads the cells of one sheet of an .xlsx workbook with exceljs, synchronously: the config loader is synchronous
 * (every command loads its config before anything else) and exceljs reads only asynchronously, so it runs in a
 * worker thread while this thread waits on a shared flag; the rows come back by message.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** One row that holds something: its 1-based Excel row number and its cells, column A first. */
export interface SheetRow {
  row: number;
  /** exceljs cell values: string, number, boolean, Date, rich text, formula or hyperlink objects; null when empty */
  cells: unknown[];
}

export interface Sheet {
  name: string;
  rows: SheetRow[];
}

/** how long a workbook may take to read before the load gives up */
const READ_TIMEOUT_MS = 60_000;

// runs in the worker (plain JavaScript: the worker is not under the TypeScript loader)
const WORKER = `
const { workerData } = require('node:worker_threads');
const { file, prefer, port, flag, exceljs } = workerData;
const done = (message) => {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};
(async () => {
  const ExcelJS = require(exceljs);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const wanted = prefer.map((n) => n.toLowerCase());
  const sheet = book.worksheets.find((s) => wanted.includes(s.name.trim().toLowerCase())) ?? book.worksheets[0];
  if (sheet === undefined) return done({ error: 'the workbook has no sheet' });
  const rows = [];
  sheet.eachRow((row, n) => rows.push({ row: n, cells: Array.from(row.values.slice(1), (v) => v ?? null) }));
  done({ sheet: { name: sheet.name, rows } });
})().catch((err) => done({ error: String((err && err.message) || err) }));
`;

/**
 * The rows of the sheet named one of `prefer` (case ignored), else of the first sheet. Throws an Error saying why
 * the workbook cannot be read (no such file, not an xlsx workbook).
 */
export function readSheetSync(file: string, prefer: readonly string[]): Sheet {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const exceljs = createRequire(import.meta.url).resolve('exceljs');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { file, prefer, port: port2, flag, exceljs },
    transferList: [port2],
  });
  try {
    if (Atomics.wait(flag, 0, 0, READ_TIMEOUT_MS) === 'timed-out')
      throw new Error(`reading took longer than ${READ_TIMEOUT_MS / 1000} s`);
    const reply = receiveMessageOnPort(port1)?.message as { sheet?: Sheet; error?: string } | undefined;
    if (reply?.sheet === undefined)
      throw new Error(reply?.error ?? 'the workbook reader ended without a reply');
    return reply.sheet;
  } finally {
    void worker.terminate();
    port1.close();
  }
}
