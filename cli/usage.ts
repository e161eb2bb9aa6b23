/**
 * Every `plantkpi` command once: its usage, what it does and its options, zh-CN with English. The parser takes the
 * known options from here (cli/args.ts), the help is printed from here (`plantkpi --help`, `plantkpi CMD --help`),
 * and a mistyped option or command is answered from here ("did you mean").
 */
import { EXIT, type ExitCode } from '../config/errors.ts';
import { displayWidth } from '../kpi/present.ts';
import { SERVE_COMMAND } from './usage-serve.ts';
import { USER_COMMANDS } from './usage-users.ts';

export interface OptionSpec {
  /** the value's placeholder (FILE, DIR, N); none for a bare flag */
  arg?: string;
  zh: string;
  en: string;
}

export interface CommandSpec {
  /** 'kpi', or a command with its subcommand: 'records backup' */
  name: string;
  /** what follows `plantkpi NAME` in the usage line(s) */
  usage: string;
  zh: string;
  en: string;
  /** more help, each line zh-CN or English (printed as written) */
  notes?: readonly string[];
  options: Readonly<Record<string, OptionSpec>>;
}

const config: OptionSpec = { arg: 'FILE', zh: '工厂配置文件', en: 'the plant config' };
const data: OptionSpec = {
  arg: 'DIR',
  zh: '内置存储的目录（默认 ./data）',
  en: "the embedded store's directory (default ./data)",
};
const seed: OptionSpec = {
  arg: 'N',
  zh: '模拟的随机种子（默认 2026）',
  en: 'the simulation seed (default 2026)',
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'validate',
    usage: 'FILE',
    zh: '检查工厂配置，列出每处问题及其路径',
    en: 'check a plant config; every problem with its path',
    options: {},
  },
  {
    name: 'import',
    usage: 'FILE.csv --config FILE [--data DIR]',
    zh: '把 signal,time,value 读数导入存储',
    en: 'import signal,time,value readings into the store',
    options: {
      config,
      data: { ...data, zh: '内置存储的目录，没有就创建', en: 'the store; created if missing' },
    },
  },
  {
    name: 'kpi',
    usage: '--config FILE --period P [--data DIR] [--format table|json|csv]',
    zh: '某期间的指标与目标行',
    en: 'KPI and target rows of a period',
    notes: [
      '期间中存储里没有任何读数时：照常输出，stderr 有警告，退出码 8',
      'A period without a single reading in the store: the rows as usual, a warning on stderr, exit 8',
      '配置了能耗基准时，日含日基准的节能量，月（季、年）含全部基准的节能量与累计节能量；无法拟合的基准在 stderr 说明',
      'A plant with baselines: a day carries its day baselines’ savings, a month (quarter, year) every baseline’s with the cumulative savings; a baseline that cannot be fitted is said on stderr',
    ],
    options: {
      config,
      period: {
        arg: 'P',
        zh: '期间：2026-10 | 2026-10-05 | 2026-10-05T08 | FROM..TO（日期或 ISO 时间）',
        en: 'the period: a month, a day, an hour, or FROM..TO (dates or ISO date-times)',
      },
      data,
      format: {
        arg: 'table|json|csv',
        zh: '输出格式（默认 table：供人阅读的表格）',
        en: 'output format (default table, for people)',
      },
    },
  },
  {
    name: 'demo',
    usage:
      '[--days N] [--seed N] [--faults rollover,replacement,outage,bad-payloads|none] [--data DIR]\n' +
      '[--mqtt URL] [--influx URL [--influx-database NAME]] [--redis URL]\n' +
      '[--serve [--port 8080] [--host 127.0.0.1]]',
    zh: '模拟镁业基地 2026 年 10 月：OPC UA 与 MQTT -> 采集 -> 存储 -> 指标、汇总与导出',
    en: 'a simulated magnesium site for October 2026: OPC UA and MQTT -> collector -> store -> KPIs, summary, export',
    options: {
      days: { arg: 'N', zh: '模拟天数 1..31（默认 31）', en: 'days to simulate, 1..31 (default 31)' },
      seed,
      faults: {
        arg: 'LIST',
        zh: '注入的故障（默认全部）',
        en: 'faults to inject (default all): rollover, replacement, outage, bad-payloads, or none',
      },
      data: { ...data, zh: '数据目录（默认 ./data/demo）', en: 'the data directory (default ./data/demo)' },
      config: { ...config, zh: '工厂配置（默认镁业基地示例）', en: 'the plant config (default the example)' },
      mqtt: { arg: 'URL', zh: '使用这个 MQTT 代理', en: 'use this MQTT broker' },
      influx: { arg: 'URL', zh: '存入这个 InfluxDB 1.x', en: 'store in this InfluxDB 1.x' },
      'influx-database': {
        arg: 'NAME',
        zh: 'InfluxDB 数据库（默认 plantkpi）',
        en: 'its database (default plantkpi)',
      },
      redis: { arg: 'URL', zh: '在这个 Redis 上运行指标作业', en: 'run the KPI jobs on this Redis' },
      serve: {
        zh: '算完后在演示数据上运行党支部门户，打印演示用户及本次随机密码；Ctrl-C 退出',
        en: 'then serve the branch portal on its data, with demo users and passwords new each run',
      },
      port: { arg: 'N', zh: '门户端口（默认 8080）', en: "the portal's port (default 8080)" },
      host: {
        arg: 'ADDR',
        zh: '门户监听地址（默认 127.0.0.1）',
        en: 'the address it listens on (default 127.0.0.1)',
      },
    },
  },
  {
    name: 'simulate',
    usage:
      '[--mqtt URL [--mqtt-user NAME --mqtt-password-env VAR]] [--opcua-port N]\n' +
      '[--opcua-host NAME] [--catch-up-days N] [--seed N] [--wait-for URL] [--pki DIR]',
    zh: '模拟基地作为服务：快速回放最近几天，然后实时发布（MQTT 与 OPC UA）',
    en: 'the simulated site as a service: replays the last days fast, then publishes in real time',
    options: {
      mqtt: {
        arg: 'URL',
        zh: 'MQTT 代理（默认 mqtt://127.0.0.1:1883）',
        en: 'the broker (default mqtt://127.0.0.1:1883)',
      },
      'mqtt-user': { arg: 'NAME', zh: 'MQTT 用户', en: 'the MQTT user' },
      'mqtt-password-env': { arg: 'VAR', zh: '存放密码的环境变量', en: 'the variable holding its password' },
      'opcua-port': { arg: 'N', zh: 'OPC UA 端口（默认 4840）', en: 'the OPC UA port (default 4840)' },
      'opcua-host': { arg: 'NAME', zh: 'OPC UA 主机名', en: 'the OPC UA host name' },
      'catch-up-days': { arg: 'N', zh: '回放的天数（默认 31）', en: 'days replayed first (default 31)' },
      seed,
      'wait-for': {
        arg: 'URL',
        zh: '等这个地址回应 200 再开始回放（采集器的 /health）',
        en: "start the replay once URL answers 200 (the collector's /health)",
      },
      pki: {
        arg: 'DIR',
        zh: 'OPC UA 证书目录（默认 ./pki/sim）',
        en: 'the OPC UA certificates (default ./pki/sim)',
      },
    },
  },
  {
    name: 'reference',
    usage: '[--data DIR] [--csv FILE] [--config FILE]',
    zh: '参考工厂：导入，计算 2026-10 与 2026-10-05 的指标，与 expected.json 对照',
    en: 'the reference plant: import, then KPIs for 2026-10 and 2026-10-05, checked against expected.json',
    options: {
      data: {
        ...data,
        zh: '数据目录（默认 ./data/reference，先清空）',
        en: 'the data directory (emptied first)',
      },
      csv: { arg: 'FILE', zh: '读数文件（默认参考读数）', en: 'the readings (default the reference ones)' },
      config: {
        ...config,
        zh: '工厂配置（默认参考工厂）',
        en: 'the plant config (default the reference one)',
      },
    },
  },
  {
    name: 'schema',
    usage: '[--out FILE]',
    zh: '工厂配置的 JSON Schema，供编辑器使用',
    en: 'JSON Schema of the plant config, for editors',
    options: { out: { arg: 'FILE', zh: '写入文件（默认 stdout）', en: 'write it there (default stdout)' } },
  },
  {
    name: 'worker',
    usage: '--config FILE [--data DIR] [--concurrency N]',
    zh: '运行 Redis（BullMQ）上的指标作业；可以开任意多个',
    en: 'run KPI jobs from Redis (BullMQ); as many as wanted',
    options: {
      config,
      data,
      concurrency: { arg: 'N', zh: '同时运行的作业数（默认 1）', en: 'jobs run at once (default 1)' },
    },
  },
  {
    name: 'scheduler',
    usage: '--config FILE [--data DIR] [--once 1]',
    zh: '安装每小时/每天/每月的调度（幂等），并把配置变更需要的重算入队',
    en: 'install the hourly/daily/monthly schedulers (idempotent) and enqueue the recomputes a config change calls for',
    options: {
      config,
      data,
      once: { arg: '1', zh: '安装后退出，不常驻', en: 'exit once installed instead of staying' },
    },
  },
  {
    name: 'backfill',
    usage: '--config FILE --from DATE --to DATE|now [--kinds day,month] [--reopen "reason"] [--data DIR]',
    zh: '把 [from, to) 触及的每个已结束的整期间入队；月份与月度作业一样关账（导出后锁定）',
    en: 'enqueue every whole, ended period the range [from, to) touches; months are closed (exported, then locked)',
    options: {
      config,
      from: { arg: 'DATE', zh: '起始日期或 ISO 时间', en: 'the start: a date or an ISO date-time' },
      to: { arg: 'DATE|now', zh: '结束（不含）', en: 'the end (exclusive)' },
      kinds: {
        arg: 'LIST',
        zh: '期间种类：hour, day, month（默认 day,month）',
        en: 'period kinds (default day,month)',
      },
      reopen: {
        arg: 'REASON',
        zh: '重新打开已锁定的月份并重算（记入审计）',
        en: 'reopen locked months and recompute them (audited)',
      },
      data,
    },
  },
  {
    name: 'export',
    usage: '--config FILE --period 2026-10 [--data DIR] [--out DIR]',
    zh: '月度导出（xlsx、CSV、Arrow，分支部，manifest）',
    en: 'the monthly export (xlsx, CSV, Arrow, per branch, manifest)',
    notes: [
      '月份中存储里没有任何读数时：照常导出，stderr 有警告，退出码 8',
      'A month without a single reading in the store: exported as usual, a warning on stderr, exit 8',
      '配置了责任体系（评比、积分、任务）时，工作簿附排名、积分、任务等表，并另存记分卡 CSV（只读记录，不结算）',
      'A plant with a responsibility loop (ranking, points, tasks): its workbooks get the scorecard sheets and a scorecard CSV (records read, not settled)',
      '配置了能耗基准时，范围表与 CSV 含该月节能量（savings.*）与基准拟合（baseline.*），同月度作业',
      'A plant with baselines: the scope sheets and the CSV carry the month’s savings (savings.*) and the fit (baseline.*), as the monthly job writes them',
    ],
    options: {
      config,
      period: { arg: 'MONTH', zh: '月份，如 2026-10', en: 'the month, e.g. 2026-10' },
      data,
      out: {
        arg: 'DIR',
        zh: '导出目录（默认 jobs.exportDir）',
        en: 'the export folder (default jobs.exportDir)',
      },
    },
  },
  {
    name: 'scorecard',
    usage: '--config FILE --period P [--data DIR] [--branch ID] [--format table|json|csv]',
    zh: '某期间的评比、积分与任务（挂图作战、承诺践诺）',
    en: 'ranking, points and key tasks and pledges of a period',
    options: {
      config,
      period: { arg: 'P', zh: '期间，如 2026-10', en: 'the period, e.g. 2026-10' },
      data,
      branch: {
        arg: 'ID',
        zh: '只看这个党支部（及其责任区、突击队）',
        en: 'this branch only (its areas and teams)',
      },
      format: {
        arg: 'table|json|csv',
        zh: '输出格式（默认 table）',
        en: 'output format (default table)',
      },
    },
  },
  SERVE_COMMAND,
  {
    name: 'savings',
    usage: '--config FILE --period P [--data DIR] [--format table|json]',
    zh: '按基准（ISO 50006）计算节能量：校正基准能耗 − 实际能耗，折标煤与减排量，及累计',
    en: 'savings against each baseline (ISO 50006): adjusted baseline − actual, in tce and tCO2, and cumulative',
    notes: [
      '基准模型的 R²、CV(RMSE)、NMBE 与 ASHRAE Guideline 14 限值（月 ≤15 %、±5 %；日 ≤30 %、±10 %）一并给出',
      "The baseline model's R², CV(RMSE) and NMBE come with the ASHRAE Guideline 14 check (monthly ≤ 15 %, ±5 %; daily ≤ 30 %, ±10 %)",
      '基准期没有数据时：退出码 5，说明是哪个基准',
      'A baseline period without data: exit 5, naming the baseline',
    ],
    options: {
      config,
      period: { arg: 'P', zh: '报告期间，如 2026-11', en: 'the reporting period, e.g. 2026-11' },
      data,
      format: {
        arg: 'table|json',
        zh: '输出格式（默认 table）',
        en: 'output format (default table)',
      },
    },
  },
  {
    name: 'task close',
    usage: 'ID --config FILE --by NAME --evidence TEXT [--period P] [--data DIR]',
    zh: '人工销号一项任务或确认一项承诺已践诺，记入审计',
    en: 'close a manual key task or confirm a pledge kept, audited',
    notes: [
      '由指标规则销号的任务不能人工销号（退出码 7）；错误的销号用 task reopen 撤销',
      'A task with a KPI rule is closed by its KPIs, not by hand (exit 7); undo a wrong closure with task reopen',
    ],
    options: {
      config,
      by: { arg: 'NAME', zh: '谁决定', en: 'who decides' },
      evidence: { arg: 'TEXT', zh: '依据', en: 'what proves it' },
      period: { arg: 'P', zh: '计入的期间（默认本月）', en: 'the period it counts in (default: this month)' },
      data,
    },
  },
  {
    name: 'task reopen',
    usage: 'ID --config FILE --by NAME --reason TEXT [--data DIR]',
    zh: '撤销一项销号（含指标规则的销号），说明原因，记入审计',
    en: "undo a closure (a KPI rule's too), with the reason, audited",
    options: {
      config,
      by: { arg: 'NAME', zh: '谁决定', en: 'who decides' },
      reason: { arg: 'TEXT', zh: '原因', en: 'why' },
      data,
    },
  },
  {
    name: 'points award',
    usage: '--config FILE --scope TYPE:ID --points N --period P --by NAME --reason TEXT [--data DIR]',
    zh: '人工加分或扣分，记入积分明细和审计；重算不会删除',
    en: 'award (or deduct) points by hand: in the ledger and the audit; a recompute keeps it',
    options: {
      config,
      scope: { arg: 'TYPE:ID', zh: '对象，如 area:A-ELY-1', en: 'whom, e.g. area:A-ELY-1' },
      points: { arg: 'N', zh: '分数（负数为扣分）', en: 'points (negative: a deduction)' },
      period: { arg: 'P', zh: '计入的期间，如 2026-10', en: 'the period it counts in, e.g. 2026-10' },
      by: { arg: 'NAME', zh: '谁决定', en: 'who decides' },
      reason: { arg: 'TEXT', zh: '原因', en: 'why' },
      data,
    },
  },
  {
    name: 'audit',
    usage: '[--period P] [--verify] [--data DIR] [--config FILE]',
    zh: '记录库的审计日志（锁定、重开、拒绝、导出）；--verify 校验哈希链',
    en: "the records store's audit log (locks, reopens, refusals, exports); --verify checks its hash chain",
    notes: [
      '--verify 发现被修改或删除的条目时退出码 1，并指出第一条',
      '--verify exits 1 naming the first edited or deleted entry',
    ],
    options: {
      period: { arg: 'P', zh: '只看这个期间（2026-10, 2026-10-05, 2026-10-05T08）', en: 'this period only' },
      verify: { zh: '校验整条哈希链', en: 'check the whole hash chain' },
      data,
      config: {
        ...config,
        zh: '工厂配置（有 records.url 时读 PostgreSQL）',
        en: 'the plant config (records.url)',
      },
    },
  },
  {
    name: 'records backup',
    usage: '--config FILE [--data DIR] --out FILE|-',
    zh: '把记录库（锁定、审计日志、已算期间、manifest）备份成一个文件',
    en: 'the records store (locks, audit log, computed periods, manifests) to one file',
    options: {
      config,
      data,
      out: { arg: 'FILE|-', zh: '备份文件（- 为 stdout）', en: 'the backup file (- for stdout)' },
    },
  },
  {
    name: 'records restore',
    usage: '--config FILE [--data DIR] --from FILE|- [--force]',
    zh: '从备份文件恢复记录库（PostgreSQL 或内置，均可）',
    en: 'the records store back from a backup file, PostgreSQL or embedded either way',
    notes: [
      '损坏、截断或更新版本的文件被拒（退出码 4）；记录库有内容而没有 --force 时拒绝（7）',
      'A damaged, truncated or newer file is refused (exit 4); a store with contents without --force (7)',
    ],
    options: {
      config,
      data,
      from: { arg: 'FILE|-', zh: '备份文件（- 为 stdin）', en: 'the backup file (- for stdin)' },
      force: { zh: '替换记录库现有内容', en: "replace the store's contents" },
    },
  },
  // the portal's users (cli/usage-users.ts)
  ...USER_COMMANDS,
  {
    name: 'collect',
    usage: '--config FILE',
    zh: '把配置的 OPC UA 与 MQTT 数据源采集进 InfluxDB（collector.httpPort 上有 /metrics 与 /health）',
    en: 'run the configured OPC UA and MQTT sources into InfluxDB (/metrics and /health on collector.httpPort)',
    options: { config },
  },
  {
    name: 'deadletter replay',
    usage: '--config FILE [--file NAME]',
    zh: '修复后重发 InfluxDB 拒收的读数；存入的离开文件（仍被拒时退出码 4，保留在文件中）',
    en: 'resend readings InfluxDB refused, after a fix; stored ones leave the file (exit 4: some still refused)',
    options: {
      config,
      file: {
        arg: 'NAME',
        zh: '死信文件（默认 collector.deadLetterDir 中的 influx-refused.jsonl）',
        en: 'the dead-letter file (default influx-refused.jsonl in collector.deadLetterDir)',
      },
    },
  },
  {
    name: 'opcua browse',
    usage: 'URL [--depth N] [--max N] [--user NAME [--password-env VAR]]',
    zh: '列出服务器的数值变量，作为信号配置草稿',
    en: "a server's numeric variables as draft signal config",
    options: {
      depth: { arg: 'N', zh: '浏览深度（默认 6）', en: 'browse depth (default 6)' },
      max: { arg: 'N', zh: '最多节点数（默认 5000）', en: 'at most this many nodes (default 5000)' },
      user: { arg: 'NAME', zh: 'OPC UA 用户', en: 'the OPC UA user' },
      'password-env': {
        arg: 'VAR',
        zh: '存放密码的环境变量（默认 PLANTKPI_OPCUA_PASSWORD）',
        en: 'the variable holding its password (default PLANTKPI_OPCUA_PASSWORD)',
      },
    },
  },
];

/** What each exit code means, zh-CN with English (config/errors.ts has the codes). */
export const EXIT_DOCS: readonly (readonly [ExitCode, string, string])[] = [
  [EXIT.ok, '成功', 'ok'],
  [EXIT.failure, '失败，一行说明原因', "failure, one line says why (e.g. the collector's port is in use)"],
  [
    EXIT.usage,
    '用法错误：未知命令或选项、期间格式错误、--data 目录不存在',
    'usage: an unknown command or option, a malformed period, a --data directory that does not exist',
  ],
  [EXIT.config, '配置无效（或其引用的密钥未设置）', 'invalid config (or a secret it names is not set)'],
  [
    EXIT.input,
    '输入被拒：部分 CSV 行或读数被拒（其余已收下）；备份文件整体被拒',
    'rejected input lines (every other one taken); a backup file refused whole',
  ],
  [EXIT.kpi, '指标计算失败', 'KPI computation failed (e.g. no emission factor valid in the period)'],
  [
    EXIT.unavailable,
    '暂不可用：数据目录被另一写入者锁定、InfluxDB 无应答；稍后再试',
    'unavailable: the data directory is locked by another writer, InfluxDB does not answer: try again later',
  ],
  [
    EXIT.refused,
    '拒绝：已锁定的月份没有 --reopen（已审计，其他期间已入队）；无 --force 恢复到有内容的记录库',
    'refused: a locked month without --reopen (audited, the rest enqueued); a restore over contents without --force',
  ],
  [
    EXIT.noReadings,
    '没有读数：期间内存储中一条读数也没有（kpi、export：照常输出，stderr 有警告）',
    'no readings: not one in the store for the period (kpi, export: output as usual, a warning on stderr)',
  ],
];

const INDENT = '  ';

/** A command, or a group of subcommands ('records'), by the words on the command line. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** The subcommands of a group ('records' -> records backup, records restore); empty for a plain command. */
export function subcommands(group: string): CommandSpec[] {
  return COMMANDS.filter((c) => c.name.startsWith(`${group} `));
}

/** The command words a user can type first: validate, import, ..., records, deadletter, opcua, help. */
export function commandWords(): string[] {
  return [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]!)), 'help'];
}

/** The usage line(s) of a command: `plantkpi kpi --config FILE ...`, continuation lines aligned under it. */
export function usageLines(spec: CommandSpec): string[] {
  const head = `plantkpi ${spec.name}`;
  const [first, ...more] = spec.usage.split('\n');
  return [`${head} ${first}`, ...more.map((m) => `${' '.repeat(head.length + 1)}${m}`)];
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - displayWidth(s)));
}

/** `plantkpi CMD --help`: usage, what it does, its options, zh-CN with English. */
export function commandHelp(spec: CommandSpec): string {
  const out = [
    `plantkpi ${spec.name} — ${spec.zh}`,
    `${' '.repeat(displayWidth(`plantkpi ${spec.name} — `))}${spec.en}`,
    '',
    '用法 Usage:',
    ...usageLines(spec).map((l) => INDENT + l),
  ];
  const options = Object.entries(spec.options);
  if (options.length > 0) {
    const names = options.map(([name, o]) => `--${name}${o.arg ? ` ${o.arg}` : ''}`);
    const w = Math.max(...names.map((n) => displayWidth(n))) + 2;
    out.push('', '选项 Options:');
    for (const [i, [, o]] of options.entries()) {
      out.push(`${INDENT}${pad(names[i]!, w)}${o.zh}`, `${INDENT}${' '.repeat(w)}${o.en}`);
    }
  }
  if (spec.notes?.length) out.push('', ...spec.notes);
  out.push('', `退出码见 Exit codes: plantkpi --help`);
  return `${out.join('\n')}\n`;
}

/** `plantkpi records --help`: the group's subcommands. */
export function groupHelp(group: string): string {
  const subs = subcommands(group);
  return `${[
    `plantkpi ${group} — ${subs.map((s) => s.name.slice(group.length + 1)).join(' | ')}`,
    '',
    '用法 Usage:',
    ...subs.flatMap((s) => usageLines(s).map((l) => INDENT + l)),
    '',
    `每个子命令的帮助 Each subcommand's help: plantkpi ${group} SUBCOMMAND --help`,
  ].join('\n')}\n`;
}

/** The exit code table, one code a line. */
export function exitCodeLines(): string[] {
  return EXIT_DOCS.map(([code, zh, en]) => {
    const one = `${INDENT}${code}  ${zh}  ${en}`;
    return displayWidth(one) <= 110 ? one : `${INDENT}${code}  ${zh}\n${INDENT}   ${en}`;
  });
}

/** `plantkpi --help`: every command with what it does, then the exit codes. */
export function mainHelp(): string {
  const out = [
    'plantkpi — 工厂能耗、碳排放与设备综合效率（OEE）指标，归属到党支部、党员责任区和党员突击队',
    '           plant energy, carbon and OEE KPIs attributed to Party branches, responsibility areas and teams',
    '',
    '用法 Usage: plantkpi COMMAND [OPTIONS]',
    '            plantkpi COMMAND --help    命令的用法与选项 a command’s usage and options',
    '',
    '命令 Commands:',
  ];
  for (const c of COMMANDS) {
    out.push(...usageLines(c).map((l) => INDENT + l));
    out.push(`${INDENT.repeat(3)}${c.zh}`, `${INDENT.repeat(3)}${c.en}`);
  }
  out.push('', '退出码 Exit codes:', ...exitCodeLines());
  return `${out.join('\n')}\n`;
}

/** The short answer to a wrong command line: the command's usage (or the list of commands) and where help is. */
export function shortUsage(spec: CommandSpec | undefined, group?: string): string {
  if (spec) {
    return `${[
      '用法 Usage:',
      ...usageLines(spec).map((l) => INDENT + l),
      `帮助 Help: plantkpi ${spec.name} --help`,
    ].join('\n')}\n`;
  }
  if (group !== undefined && subcommands(group).length > 0) {
    return `${[
      '用法 Usage:',
      ...subcommands(group).flatMap((s) => usageLines(s).map((l) => INDENT + l)),
      `帮助 Help: plantkpi ${group} --help`,
    ].join('\n')}\n`;
  }
  return `${[
    '用法 Usage: plantkpi COMMAND [OPTIONS]',
    `命令 Commands: ${commandWords().join(', ')}`,
    '帮助 Help: plantkpi --help',
  ].join('\n')}\n`;
}

/** The options `opts()` accepts for a command: a placeholder means a value, none a bare flag. */
export function allowedOptions(spec: CommandSpec): Record<string, true | 'flag'> {
  return Object.fromEntries(
    Object.entries(spec.options).map(([k, o]) => [k, o.arg === undefined ? 'flag' : true]),
  ) as Record<string, true | 'flag'>;
}
