/** The plantkpi command's documented messages and exit codes, in-process and once through the real bin. */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LockTimeoutError } from '../store/embedded/lock.ts';
import { EmbeddedStore } from '../store/embedded/store.ts';
import { cli, REFERENCE, REFERENCE_CONFIG, ROOT, tempDir } from './helpers.ts';

const tmp = tempDir('plantkpi-cli-');
afterAll(() => tmp.cleanup());

describe('plantkpi validate', () => {
  it('accepts the reference plant config', async () => {
    const r = await cli('validate', REFERENCE_CONFIG);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ok — 8 signals, 2 branches, 2 areas, 1 teams/);
  });
  it('lists every problem with its path and exits 3', async () => {
    const r = await cli('validate', path.join(ROOT, 'config', 'testdata', 'bad-plant.yaml'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/problem\(s\)/);
    expect(r.err).toContain("signals[4].carrier: 未知能源介质 unknown carrier 'steam'");
    expect(r.err).toContain("organisation.areas[2].branch: 未知党支部 unknown branch 'B-9'");
    expect(r.err).toContain("targets[0].scope.id: 未知责任区 unknown area 'A-9'");
  });
  it('names every misspelt key and id in one run, each with its path and suggestion, and exits 3', async () => {
    const r = await cli('validate', path.join(ROOT, 'config', 'testdata', 'typos.yaml'));
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/: 配置有 7 处问题 7 problem\(s\) in the config\n/);
    for (const line of [
      "completeness.provisonalBelow: 未知字段 unknown key 'provisonalBelow' — 是否应为 did you mean 'provisionalBelow'?",
      "carriers[0].emmisionScope: 未知字段 unknown key 'emmisionScope' — 是否应为 did you mean 'emissionScope'?",
      "signals[0].rollovrAt: 未知字段 unknown key 'rollovrAt' — 是否应为 did you mean 'rolloverAt'?",
      "equipment[0].stateSignl: 未知字段 unknown key 'stateSignl' — 是否应为 did you mean 'stateSignal'?",
      "organisation.areas[0].meters[0].shares: 未知字段 unknown key 'shares' — 是否应为 did you mean 'share'?",
      "jobs.hourlyCorn: 未知字段 unknown key 'hourlyCorn' — 是否应为 did you mean 'hourlyCron'?",
      "targets[0].scope.id: 未知责任区 unknown area 'A-EYL' — 是否应为 did you mean 'A-ELY'?",
    ])
      expect(r.err).toContain(`  ${line}\n`);
  });
  it('refuses areas whose annual targets add up to more than their branch: the path, the parent and the sum', async () => {
    const file = path.join(tmp.dir, 'cascade.yaml');
    const annual = [
      '  - { kpi: energy.total, scope: { type: committee, id: C }, period: "2026", max: 20000 }',
      '  - { kpi: energy.total, scope: { type: branch, id: B-ELY }, period: "2026", max: 15000 }',
      '  - { kpi: energy.total, scope: { type: area, id: A-ELY-1 }, period: "2026", max: 15500 }',
    ];
    const text = readFileSync(REFERENCE_CONFIG, 'utf8').replace(
      '\ntargets:\n',
      `\ntargets:\n${annual.join('\n')}\n`,
    );
    expect(text).toContain(annual[2]);
    writeFileSync(file, text);
    const r = await cli('validate', file);
    expect(r.code).toBe(3);
    expect(r.err).toContain(
      "cascade.yaml: targets[2]: 下级目标之和超过上级 the children's max of energy.total 2026 add up to 15500, more than the parent branch B-ELY (targets[1]) max 15000 (A-ELY-1 15500)\n",
    );
  });
  it('says when the file cannot be read', async () => {
    const r = await cli('validate', path.join(tmp.dir, 'missing.yaml'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/\(file\): cannot read/);
  });
});

describe('plantkpi import with a broken CSV', () => {
  it('imports every valid line, lists the broken ones with line numbers, exits 4', async () => {
    const csv = path.join(tmp.dir, 'broken.csv');
    writeFileSync(
      csv,
      [
        'signal,time,value',
        'E-ELY,2026-10-01T00:00:00+08:00,9800000',
        'E-ELY,2026-10-01T01:00:00+08:00,not-a-number',
        'E-ELY,2026-10-01T02:00:00+08:00,9801055',
        '',
      ].join('\n'),
    );
    const data = path.join(tmp.dir, 'data');
    const r = await cli('import', csv, '--config', REFERENCE_CONFIG, '--data', data);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/2 readings imported from 4 lines/);
    expect(r.err).toContain(`${csv}:3: value 'not-a-number' is not a number`);
    expect(r.err).toMatch(/every other line was imported/);
    const k = await cli(
      'kpi',
      '--config',
      REFERENCE_CONFIG,
      '--period',
      '2026-10-01',
      '--data',
      data,
      '--format',
      'json',
    );
    const q = JSON.parse(k.out).quality[0].signals.find((s: { signal: string }) => s.signal === 'E-ELY');
    expect(q.present).toBe(2);
  });
});

describe('plantkpi usage errors', () => {
  it('an unknown command, a missing option and a bad period exit 2 with a hint', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    const noPeriod = await cli('kpi', '--config', REFERENCE_CONFIG);
    expect(noPeriod.code).toBe(2);
    expect(noPeriod.err).toMatch(/--period is required/);
    const bad = await cli('kpi', '--config', REFERENCE_CONFIG, '--period', 'Oct', '--data', tmp.dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/period 'Oct'.*a month '2026-10'/);
  });
});

describe('user errors: one line, the documented exit code, no stack trace', () => {
  const oneLine = (err: string) => {
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
  };
  /** the reference plant with a collector section, InfluxDB nowhere (nothing is sent before the port is bound) */
  const collectConfig = (name: string, extra: string) => {
    const file = path.join(tmp.dir, name);
    writeFileSync(
      file,
      `${readFileSync(REFERENCE_CONFIG, 'utf8')}
influx: { url: "http://127.0.0.1:9", database: plant }
spool: { dir: "${tmp.dir}/${name}-spool" }
${extra}
`,
    );
    return file;
  };

  it('a YAML alias bomb ("billion laughs") is a config error naming the file, exit 3', async () => {
    const file = path.join(tmp.dir, 'bomb.yaml');
    const level = (n: number) =>
      `l${n}: &l${n} [${Array(9)
        .fill(`*l${n - 1}`)
        .join(', ')}]`;
    writeFileSync(
      file,
      [
        'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
        ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map(level),
      ].join('\n'),
    );
    const r = await cli('validate', file);
    expect(r.code).toBe(3);
    oneLine(r.err);
    expect(r.err).toMatch(
      new RegExp(`^plantkpi: ${file}: \\(aliases\\): YAML: the aliases \\(\\*name\\) expand to too much`),
    );
  });

  it('a secret variable that is not set names the field and the variable, exit 3', async () => {
    delete process.env.PLANTKPI_TEST_UNSET_PASSWORD;
    const file = collectConfig(
      'secret.yaml',
      `sources:
  mqtt:
    - id: broker
      url: mqtt://127.0.0.1:9
      clientId: c
      password: { env: PLANTKPI_TEST_UNSET_PASSWORD }
      subscriptions: [{ topic: "x/{s}", signal: "{s}", timePath: t }]
collector: { httpPort: 0, deadLetterDir: "${tmp.dir}/secret-dead" }`,
    );
    const r = await cli('collect', '--config', file);
    expect(r.code).toBe(3);
    expect(r.err).toBe(
      'plantkpi: sources.mqtt[0].password: environment variable PLANTKPI_TEST_UNSET_PASSWORD is not set\n',
    );
  });

  it("the collector's port in use says which and what to set, exit 1", async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const file = collectConfig(
        'busy.yaml',
        `collector: { httpPort: ${port}, deadLetterDir: "${tmp.dir}/busy-dead" }`,
      );
      const r = await cli('collect', '--config', file);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`plantkpi: port ${port} on 127.0.0.1 is in use: set collector.httpPort\n`);
      // and the real process ends with that line and that code (nothing left holding it open)
      const bin = await promisify(execFile)(
        'node',
        [path.join(ROOT, 'bin', 'plantkpi.js'), 'collect', '--config', file],
        {
          timeout: 30_000,
        },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(bin.code).toBe(1);
      expect(bin.stderr).toBe(`plantkpi: port ${port} on 127.0.0.1 is in use: set collector.httpPort\n`);
    } finally {
      busy.close();
    }
  }, 40_000);

  it('every period argument is checked against its form before anything is opened, exit 2', async () => {
    const data = path.join(tmp.dir, 'never-created');
    const cases: [string[], RegExp][] = [
      [['kpi', '--period', '../../2026-10'], /period '\.\.\/\.\.\/2026-10': unrecognised form/],
      [['kpi', '--period', '2026-13'], /'2026-13' is not a valid month/],
      [
        ['export', '--period', '../../2026-10'],
        /--period 须是月份 must be a month, e\.g\. 2026-10 \(got '\.\.\/\.\.\/2026-10'\)/,
      ],
      [['export', '--period', '2026-10-05'], /--period 须是月份 must be a month/],
      [['export', '--period', '2026-00'], /'2026-00' is not a valid month/],
      [
        ['backfill', '--from', '../2026-10-01', '--to', '2026-11-01'],
        /--from '\.\.\/2026-10-01' 不是日期或 ISO 时间 is not a date/,
      ],
      [
        ['backfill', '--from', '2026-10-01', '--to', '2026-11-01/x'],
        /--to '2026-11-01\/x' 不是日期或 ISO 时间 is not a date/,
      ],
      [['backfill', '--from', '2026-11-01', '--to', '2026-10-01'], /TO is not after FROM/],
      [['backfill', '--from', '2026-02-30', '--to', '2026-03-01'], /not a valid date/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args, '--config', REFERENCE_CONFIG, '--data', data);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      // the message, then the command's usage and where its help is
      expect(r.err).toMatch(
        new RegExp(
          `^plantkpi: [^\\n]+\\n用法 Usage:\\n {2}plantkpi ${args[0]} [^\\n]+\\n帮助 Help: plantkpi ${args[0]} --help\\n$`,
        ),
      );
    }
    expect(existsSync(data)).toBe(false);
  });
});

describe('the --data directory', () => {
  it('kpi, export and worker refuse one that does not exist, naming it (exit 2), and create nothing', async () => {
    const data = path.join(tmp.dir, 'no-such-store');
    const runs = [
      ['kpi', '--period', '2026-10'],
      ['export', '--period', '2026-10', '--out', path.join(tmp.dir, 'no-export')],
      ['worker'],
    ];
    for (const args of runs) {
      const r = await cli(...args, '--config', REFERENCE_CONFIG, '--data', data);
      expect(r.code, args[0]).toBe(2);
      expect(r.err, args[0]).toBe(
        `plantkpi: --data ${data}: 目录不存在 no such directory; 请先导入读数 import readings into it first ` +
          `(plantkpi import FILE.csv --config FILE --data ${data}) 或给出存储所在的目录 or give the store's directory\n`,
      );
      expect(r.out, args[0]).toBe('');
    }
    expect(existsSync(data)).toBe(false);
    expect(existsSync(path.join(tmp.dir, 'no-export'))).toBe(false);
    // a file where the directory should be is no store either
    const file = path.join(tmp.dir, 'a-file');
    writeFileSync(file, '');
    expect((await cli('kpi', '--period', '2026-10', '--config', REFERENCE_CONFIG, '--data', file)).code).toBe(
      2,
    );
  });

  it('import creates it', async () => {
    const data = path.join(tmp.dir, 'new-store', 'nested');
    const r = await cli(
      'import',
      path.join(REFERENCE, 'readings.csv'),
      '--config',
      REFERENCE_CONFIG,
      '--data',
      data,
    );
    expect(r.code).toBe(0);
    const k = await cli('kpi', '--period', '2026-10-05', '--config', REFERENCE_CONFIG, '--data', data);
    expect(k.code).toBe(0);
  }, 30_000);
});

describe('each error ends the command with its own exit code', () => {
  it('kpi: a store held by another writer is exit 6 (try again), not 5 (computation failed)', async () => {
    const data = path.join(tmp.dir, 'locked-store');
    mkdirSync(data);
    const held = vi
      .spyOn(EmbeddedStore.prototype, 'readRange')
      .mockRejectedValue(
        new LockTimeoutError(path.join(data, 'write.lock'), 'the data directory is locked by process 7'),
      );
    try {
      const r = await cli('kpi', '--period', '2026-10', '--config', REFERENCE_CONFIG, '--data', data);
      expect(held).toHaveBeenCalled();
      expect(r.code).toBe(6);
      expect(r.err).toBe('plantkpi: the data directory is locked by process 7\n');
    } finally {
      held.mockRestore();
    }
  });

  it('kpi: an unforeseen failure while computing stays exit 5', async () => {
    const data = path.join(tmp.dir, 'broken-store');
    mkdirSync(data);
    const broken = vi
      .spyOn(EmbeddedStore.prototype, 'readRange')
      .mockRejectedValue(new Error('disk on fire'));
    try {
      const r = await cli('kpi', '--period', '2026-10', '--config', REFERENCE_CONFIG, '--data', data);
      expect(r.code).toBe(5);
      expect(r.err).toBe('plantkpi: 指标计算失败 KPI computation failed: disk on fire\n');
    } finally {
      broken.mockRestore();
    }
  });
});

describe('files the CLI writes', () => {
  it('export replaces a symlink planted at an output path, never writing through it', async () => {
    const data = path.join(tmp.dir, 'export-data');
    expect(
      (
        await cli(
          'import',
          path.join(REFERENCE, 'readings.csv'),
          '--config',
          REFERENCE_CONFIG,
          '--data',
          data,
        )
      ).code,
    ).toBe(0);
    const out = path.join(tmp.dir, 'exports');
    mkdirSync(path.join(out, '2026-10'), { recursive: true });
    const outside = path.join(tmp.dir, 'outside.txt');
    writeFileSync(outside, 'not yours');
    const planted = ['plantkpi-SITE-2026-10.csv', 'plantkpi-SITE-2026-10.xlsx', 'manifest.json'];
    for (const f of planted) symlinkSync(outside, path.join(out, '2026-10', f));
    const r = await cli(
      'export',
      '--config',
      REFERENCE_CONFIG,
      '--period',
      '2026-10',
      '--data',
      data,
      '--out',
      out,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(outside, 'utf8')).toBe('not yours');
    for (const f of planted) expect(lstatSync(path.join(out, '2026-10', f)).isFile(), f).toBe(true);
    expect(readFileSync(path.join(out, '2026-10', 'plantkpi-SITE-2026-10.csv'), 'utf8')).toMatch(/^\uFEFF/);
    // and the schema the same way
    const schema = path.join(tmp.dir, 'schema.json');
    symlinkSync(outside, schema);
    expect((await cli('schema', '--out', schema)).code).toBe(0);
    expect(readFileSync(outside, 'utf8')).toBe('not yours');
    expect(lstatSync(schema).isFile()).toBe(true);
  }, 60_000);
});

describe('the bin', () => {
  it('runs through node as installed (tsx loader), printing help', async () => {
    const { stdout } = await promisify(execFile)('node', [path.join(ROOT, 'bin', 'plantkpi.js'), 'help']);
    expect(stdout).toMatch(/^plantkpi — 工厂能耗/);
    expect(stdout).toMatch(/plant energy, carbon and OEE KPIs/);
  });
});
