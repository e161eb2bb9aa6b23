/**
 * `plantkpi records backup --config FILE [--data DIR] --out FILE|-` and
 * `plantkpi records restore --config FILE [--data DIR] --from FILE|- [--force]`: the records store (PostgreSQL when the
 * config has `records.url`, else DATA/records) to one portable file and back; a backup of either engine restores
 * into either (records/backup-format.ts). `-` is stdout / stdin, for `docker compose run -T ... > file`.
 * Exit codes: 0 done; 2 usage, a --data without a records store to back up, no --out folder or --from file; 3 config;
 * 4 the file refused whole (not a backup, truncated, damaged, from a newer plantkpi, its audit log edited);
 * 6 the store is busy (the embedded folder's lock held past 10 s) or its server does not answer; 7 the target has
 * contents and --force was not given. A refused restore changes nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, MissingInputError, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import {
  backupRecords,
  countsOf,
  describeCounts,
  describeVerify,
  restoreRecords,
} from '../records/backup.ts';
import { encodeBackup, parseBackup } from '../records/backup-format.ts';
import { MIGRATIONS } from '../records/migrations/index.ts';
import { describeTarget, type RecordsTarget, recordsTarget } from '../records/open.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import type { Io, Parsed } from './args.ts';

const DEFAULT_DATA = './data';

/** The records store the config and --data name. */
function target(values: Record<string, string | undefined>): RecordsTarget {
  const configFile = values.config;
  if (configFile === undefined)
    throw new UsageError(
      '缺少 --config (--config is required: it says whether the records are in PostgreSQL or DATA/records)',
    );
  return recordsTarget(loadPlantConfig(configFile).config, values.data ?? DEFAULT_DATA);
}

/** `parse` reads the subcommand's options (cli/main.ts gives the ones cli/usage.ts declares for it). */
export async function cmdRecords(
  args: string[],
  io: Io,
  parse: (a: string[]) => Parsed,
  nowMs = Date.now(),
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'backup') return backup(parse(rest), io, nowMs);
  if (sub === 'restore') return restore(parse(rest), io);
  throw new UsageError(`records 没有子命令 has no subcommand '${sub}': backup, restore`);
}

async function backup(o: Parsed, io: Io, nowMs: number): Promise<number> {
  if (o.positionals.length > 0) throw new UsageError(`多余的参数 unexpected '${o.positionals[0]}'`);
  const out = o.values.out;
  if (out === undefined) throw new UsageError('缺少 --out (--out FILE is required, - for stdout)');
  const t = target(o.values);
  // a mistyped --data must not read as an empty store, backed up as such
  if ('dir' in t && !existsSync(t.dir))
    throw new MissingInputError(
      t.dir,
      `--data ${o.values.data ?? DEFAULT_DATA}: 没有记录库 no records store in ${t.dir}: ` +
        '请给出作业使用的数据目录 give the data directory the jobs use, 或带 records.url 的 --config or --config with records.url',
    );
  if (out !== '-' && !existsSync(path.dirname(path.resolve(out))))
    throw new MissingInputError(
      out,
      `--out ${out}: 目录不存在 the folder ${path.dirname(out)} does not exist; 请先创建 create it first`,
    );
  const b = await backupRecords(t, { nowMs });
  const text = encodeBackup(b);
  if (out === '-') io.out(text);
  else writeFileAtomic(out, text);
  const last = b.rows.audit_log.at(-1)?.hash;
  // the summary goes where the backup does not
  (out === '-' ? io.err : io.out)(
    `records backup: ${describeTarget(t)} (${b.header.engine}, ${b.header.migrations.at(-1)}) -> ${out === '-' ? 'stdout' : out}: ` +
      `${describeCounts(countsOf(b))}${last ? `, last hash ${last}` : ''}; audit log ${describeVerify(b.header.audit)}\n`,
  );
  if (!b.header.audit.ok)
    io.err(
      `plantkpi: warning: the audit log is broken (${describeVerify(b.header.audit)}); the backup keeps it as it is, and a restore of it reports the same\n`,
    );
  return EXIT.ok;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function restore(o: Parsed, io: Io): Promise<number> {
  if (o.positionals.length > 0) throw new UsageError(`多余的参数 unexpected '${o.positionals[0]}'`);
  const from = o.values.from;
  if (from === undefined) throw new UsageError('缺少 --from (--from FILE is required, - for stdin)');
  const t = target(o.values);
  if (from !== '-' && !existsSync(from))
    throw new MissingInputError(from, `--from ${from}: 文件不存在 no such file`);
  // the whole file is checked before the store is touched
  const name = from === '-' ? 'stdin' : from;
  const b = parseBackup(from === '-' ? await readStdin() : readFileSync(from), name, Object.keys(MIGRATIONS));
  const r = await restoreRecords(t, b, { force: o.values.force !== undefined, name });
  const had = r.wasEmpty ? '' : `; replaced ${describeCounts(r.replaced)}`;
  io.out(
    `records restore: ${name} (${b.header.engine}, ${b.header.migrations.at(-1)}, taken ${new Date(b.header.createdAtMs).toISOString()}) -> ${describeTarget(t)}: ` +
      `${describeCounts(r.restored)}${had}; audit log ${describeVerify(r.audit)}\n`,
  );
  if (!r.audit.ok)
    io.err(
      `plantkpi: warning: the audit log was already broken at the source when it was backed up (${describeVerify(r.audit)}); it was restored as it was, and 'plantkpi audit --verify' reports it\n`,
    );
  return EXIT.ok;
}
