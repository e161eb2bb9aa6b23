/**
 * What the plantkpi command says to a person: help and errors zh-CN with English, a mistyped option or command
 * answered with the usage and "did you mean", a period without readings warned about with its own exit code.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../config/errors.ts';
import { main } from './main.ts';
import { COMMANDS, EXIT_DOCS } from './usage.ts';

const CONFIG = path.resolve('config/examples/reference-plant.yaml');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-messages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const CJK = /[\u4e00-\u9fff]/;

/** one letter changed at the end: `config` -> `confiq` */
const typo = (name: string) => name.slice(0, -1) + (name.endsWith('q') ? 'z' : 'q');

describe('a mistyped option', () => {
  it('is answered with the nearest option and the command’s usage, exit 2, never Node’s own message', async () => {
    const r = await run('kpi', '--confg', CONFIG, '--period', '2026-10');
    expect(r.code).toBe(EXIT.usage);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      "plantkpi: 未知选项 unknown option '--confg'; 您是不是要用 did you mean --config?\n" +
        '用法 Usage:\n' +
        '  plantkpi kpi --config FILE --period P [--data DIR] [--format table|json|csv]\n' +
        '帮助 Help: plantkpi kpi --help\n',
    );
  });

  it('of every command and subcommand is answered with that command’s own option', async () => {
    for (const spec of COMMANDS) {
      for (const option of Object.keys(spec.options)) {
        const r = await run(...spec.name.split(' '), `--${typo(option)}`);
        const what = `${spec.name} --${typo(option)}`;
        expect(r.code, what).toBe(EXIT.usage);
        expect(r.err, what).toContain(`did you mean --${option}?`);
        expect(r.err, what).toContain(`\n  plantkpi ${spec.name} `);
        expect(r.err, what).not.toMatch(/To specify a positional argument/);
      }
    }
  });

  it('with nothing near is named without a guess', async () => {
    const r = await run('kpi', '--verbose');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err.split('\n')[0]).toBe("plantkpi: 未知选项 unknown option '--verbose'");
  });

  it('an option without its value, and a flag given one, are said in our words', async () => {
    const noValue = await run('kpi', '--config', '--period', '2026-10');
    expect(noValue.code).toBe(EXIT.usage);
    expect(noValue.err.split('\n')[0]).toBe('plantkpi: --config 缺少值 needs a value');
    const flag = await run('audit', '--verify=yes');
    expect(flag.code).toBe(EXIT.usage);
    expect(flag.err.split('\n')[0]).toBe('plantkpi: --verify 不带值 takes no value');
  });

  it('a missing option is said in both languages, with the usage', async () => {
    const r = await run('kpi', '--config', CONFIG);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(
      /^plantkpi: 缺少 --period \(--period is required\)\n用法 Usage:\n {2}plantkpi kpi /,
    );
  });
});

describe('a mistyped command', () => {
  it('is answered with the nearest command and the list of commands, exit 2', async () => {
    const r = await run('kpis', '--period', '2026-10');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/^plantkpi: 未知命令 unknown command 'kpis'; 您是不是要用 did you mean 'kpi'\?\n/);
    expect(r.err).toContain('命令 Commands: validate, import, kpi,');
    expect((await run('vaildate', CONFIG)).err).toContain("did you mean 'validate'?");
    expect((await run('kpis', '--help')).err).toContain("did you mean 'kpi'?");
  });

  it('with nothing near is named without a guess', async () => {
    const r = await run('frobnicate');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err.split('\n')[0]).toBe("plantkpi: 未知命令 unknown command 'frobnicate'");
  });

  it('a mistyped or missing subcommand is answered with the group’s subcommands', async () => {
    const r = await run('records', 'bakup', '--out', 'x');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err.split('\n')[0]).toBe(
      "plantkpi: records 没有子命令 has no subcommand 'bakup'; 您是不是要用 did you mean 'records backup'?",
    );
    expect(r.err).toContain('  plantkpi records restore --config FILE');
    const none = await run('deadletter');
    expect(none.code).toBe(EXIT.usage);
    expect(none.err.split('\n')[0]).toBe('plantkpi: deadletter 需要子命令 takes a subcommand: replay');
  });
});

describe('help', () => {
  it('lists every command and every exit code, zh-CN with English', async () => {
    const r = await run('--help');
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^plantkpi — 工厂能耗、碳排放/);
    expect(r.out).toContain('plant energy, carbon and OEE KPIs');
    for (const spec of COMMANDS) {
      expect(r.out).toContain(`  plantkpi ${spec.name} `);
      expect(r.out).toContain(spec.zh);
      expect(r.out).toContain(spec.en);
    }
    const exitLines = r.out.slice(r.out.indexOf('退出码 Exit codes:')).split('\n');
    for (const code of Object.values(EXIT)) {
      const line = exitLines.find((l) => l.startsWith(`  ${code}  `));
      expect(line, `exit ${code}`).toMatch(CJK);
    }
    expect(exitLines.find((l) => l.startsWith('  8  '))).toContain('没有读数');
    // without a command: the same help, as a usage error
    expect(await run()).toMatchObject({ code: EXIT.usage, out: r.out });
    expect((await run('help')).out).toBe(r.out);
  });

  it('cli/README.md has the same exit codes as the help', () => {
    const readme = readFileSync(path.resolve('cli/README.md'), 'utf8');
    const rows = readme
      .split('\n')
      .filter((l) => /^\| \d +\|/.test(l))
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    expect(rows).toEqual(EXIT_DOCS.map(([code, zh, en]) => [String(code), zh, en]));
    expect(EXIT_DOCS.map(([code]) => code)).toEqual(Object.values(EXIT));
  });

  it('of each command: its usage and every option, zh-CN with English, exit 0', async () => {
    for (const spec of COMMANDS) {
      const r = await run(...spec.name.split(' '), '--help');
      expect(r.code, spec.name).toBe(EXIT.ok);
      expect(r.out.startsWith(`plantkpi ${spec.name} — ${spec.zh}\n`), spec.name).toBe(true);
      expect(r.out, spec.name).toContain(spec.en);
      expect(r.out, spec.name).toContain(`用法 Usage:\n  plantkpi ${spec.name} `);
      for (const [name, o] of Object.entries(spec.options)) {
        expect(r.out, `${spec.name} --${name}`).toContain(`--${name}${o.arg ? ` ${o.arg}` : ''}`);
        expect(r.out).toContain(o.zh);
        expect(r.out).toContain(o.en);
      }
      expect((await run('help', ...spec.name.split(' '))).out).toBe(r.out);
    }
    const group = await run('records', '--help');
    expect(group.code).toBe(EXIT.ok);
    expect(group.out).toContain('  plantkpi records backup ');
    expect(group.out).toContain('  plantkpi records restore ');
  });
});

describe('a period without a single reading in the store', () => {
  const empty = path.join(tmp, 'empty-store');
  mkdirSync(empty);
  const warning = (period: string) =>
    `plantkpi: 警告 warning: 期间 ${period} 在存储中没有任何读数 not a single reading in the store for the period ` +
    `${period} (内置存储 embedded store ${empty}); 请检查 check --data, --period 和采集 and the collection (退出码 exit 8)\n`;

  it('kpi prints its rows as usual, warns on stderr naming the period and the store, exit 8', async () => {
    const r = await run('kpi', '--config', CONFIG, '--period', '2026-09', '--data', empty);
    expect(r.code).toBe(EXIT.noReadings);
    expect(r.code).toBe(8);
    expect(r.out).toMatch(/^期间 Period 2026-09 \(Asia\/Shanghai\)/);
    expect(r.err).toBe(warning('2026-09'));
    const json = await run(
      'kpi',
      '--config',
      CONFIG,
      '--period',
      '2026-09-05',
      '--data',
      empty,
      '--format',
      'json',
    );
    expect(json.code).toBe(8);
    expect(JSON.parse(json.out).kpis.length).toBeGreaterThan(0);
    expect(json.err).toBe(warning('2026-09-05'));
  });

  it('export writes the month all the same, with the warning and exit 8', async () => {
    const out = path.join(tmp, 'exports');
    const r = await run('export', '--config', CONFIG, '--period', '2026-09', '--data', empty, '--out', out);
    expect(r.code).toBe(8);
    expect(r.err).toBe(warning('2026-09'));
    expect(existsSync(path.join(out, '2026-09', 'manifest.json'))).toBe(true);
  }, 60_000);
});
