import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compileScorecard } from '../kpi/scorecard/compile.ts';
import { loadPlantConfig, parsePlantConfig } from './load.ts';
import { ConfigError, type Problem } from './problems.ts';
import { TASK_COLUMNS } from './task-columns.ts';

const examples = path.join(path.dirname(new URL(import.meta.url).pathname), 'examples');
const demoFile = path.join(examples, 'magnesium-site.yaml');
const demo = parse(readFileSync(demoFile, 'utf8')) as Record<string, unknown>;
const demoTasks = demo.tasks as Record<string, unknown>[];

/** the demo plant's config text with these tasks and task files */
const siteWith = (tasks: unknown[], taskFiles: string[]): string => stringify({ ...demo, tasks, taskFiles });

const compiledTasks = (text: string, file: string) => compileScorecard(parsePlantConfig(text, file)).tasks;
const expected = compiledTasks(readFileSync(demoFile, 'utf8'), demoFile);

function problemsOf(run: () => unknown): Problem[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('the config was accepted');
}

let dir: string;
/** the name the configs of these tests go by: plant.yaml in the test folder */
let configFile: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'plantkpi-tasks-'));
  configFile = path.join(dir, 'plant.yaml');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** writes a file into the test folder */
function write(name: string, content: string | Buffer): void {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** the demo's four tasks as an xlsx, on a sheet 任务 after a sheet of notes */
async function demoWorkbook(file: string, header: string[]): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('说明 Notes').addRow(['挂图作战任务清单 Key task list']);
  const sheet = book.addWorksheet('任务');
  sheet.addRow(header);
  const due = new Date(Date.UTC(2026, 11, 31));
  sheet.addRow(['K-1', demoTasks[0]!.title, '任务', '突击队', 'T-BLR', due, 5, 'intensity.energy', '月', 93]);
  sheet.addRow([
    'K-2',
    {
      richText: [
        { text: '氯碱吨氯综合能耗连续两月不高于318 kgce/t ' },
        { text: 'Chlorine at most 318 kgce/t two months running' },
      ],
    },
    'task',
    'area',
    'A-CA',
    due,
    { formula: '2+3', result: 5 },
    'intensity.energy',
    'month',
    318,
    2,
  ]);
  sheet.addRow(['P-1', demoTasks[2]!.title, '承诺', '党支部', 'B-CAST', due, 3]);
  sheet.addRow([
    'P-2',
    demoTasks[3]!.title,
    'pledge',
    'branch',
    'B-ELY',
    new Date(Date.UTC(2026, 8, 30)),
    '3',
  ]);
  sheet.getColumn(6).numFmt = 'yyyy-mm-dd';
  await book.xlsx.writeFile(path.join(dir, file));
}

const ZH_EN = [
  '编号 id',
  '标题 title',
  '类型 kind',
  '责任方类型 owner_type',
  '责任方 owner_id',
  '截止 due',
  '积分 points',
  '销号指标 close_kpi',
  '周期 close_every',
  '上限 close_max',
  '连续 close_consecutive',
];

describe('task files round trip to the same compiled tasks as the YAML', () => {
  it('the sample CSV (config/examples/tasks-sample.csv) holds the demo plant’s four tasks', () => {
    expect(compiledTasks(siteWith([], ['tasks-sample.csv']), demoFile)).toEqual(expected);
  });

  it('an xlsx with Excel date cells, rich text, a formula and zh-CN values, read from the sheet 任务', async () => {
    await demoWorkbook('demo.xlsx', ZH_EN);
    expect(compiledTasks(siteWith([], ['demo.xlsx']), configFile)).toEqual(expected);
  });

  it('headers in English only, zh-CN only or both, in any order, with a BOM, CRLF and quoted commas', () => {
    const title = '锅炉吨汽, "综合"能耗\n第二行 Boiler';
    const csv = (header: string) =>
      `\uFEFF${header}\r\nT-BLR,team,"${title.replaceAll('"', '""')}",K-1,2026-12-31,5,intensity.energy,90\r\n`;
    const yaml = [
      {
        id: 'K-1',
        title,
        owner: { type: 'team', id: 'T-BLR' },
        due: '2026-12-31',
        points: 5,
        close: { kpi: 'intensity.energy', max: 90 },
      },
    ];
    const want = compiledTasks(siteWith(yaml, []), demoFile);
    const headers = [
      'owner_id,owner_type,title,id,due,points,close_kpi,close_max',
      '责任方,责任方类型,标题,编号,截止,积分,销号指标,上限',
      '责任方 owner_id,责任方类型 owner_type,标题 Title,编号 id,截止日期 due,积分 points,销号指标 close_kpi,上限 close_max',
    ];
    headers.forEach((h, i) => {
      write(`headers-${i}.csv`, csv(h));
      expect(compiledTasks(siteWith([], [`headers-${i}.csv`]), configFile)).toEqual(want);
    });
  });

  it('tasks from the YAML come first, then each file in turn; paths start at the config file’s folder', () => {
    write(
      'more/one.csv',
      'id,title,owner_type,owner_id,due\nF-1,文件任务 From a file,site,MG-SITE,2026-06-30\n',
    );
    const sample = path.relative(dir, path.join(examples, 'tasks-sample.csv'));
    const own = [
      { id: 'K-0', title: '示例 Example', owner: { type: 'site', id: 'MG-SITE' }, due: '2026-12-31' },
    ];
    write('plant.yaml', siteWith(own, [sample, 'more/one.csv']));
    const { config: c } = loadPlantConfig(configFile);
    expect(c.tasks.map((t) => t.id)).toEqual(['K-0', 'K-1', 'K-2', 'P-1', 'P-2', 'F-1']);
    expect(c.taskFiles).toEqual([sample, 'more/one.csv']);
  });
});

describe('Excel date cells are calendar dates in the site’s time zone', () => {
  it('a date is due to the end of that day, site time; a date with a time, at that local time', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Tasks');
    sheet.addRow(['id', 'title', 'owner_type', 'owner_id', 'from', 'due']);
    sheet.addRow([
      'D-1',
      '日期 Date',
      'site',
      'MG-SITE',
      new Date(Date.UTC(2026, 0, 1)),
      new Date(Date.UTC(2026, 8, 30)),
    ]);
    sheet.addRow(['D-2', '时刻 Time', 'site', 'MG-SITE', null, new Date(Date.UTC(2026, 8, 30, 18, 30))]);
    sheet.getColumn(5).numFmt = 'yyyy-mm-dd';
    sheet.getColumn(6).numFmt = 'yyyy-mm-dd hh:mm';
    await book.xlsx.writeFile(path.join(dir, 'dates.xlsx'));
    const c = parsePlantConfig(siteWith([], ['dates.xlsx']), configFile);
    expect(c.tasks.map((t) => [t.from, t.due])).toEqual([
      ['2026-01-01', '2026-09-30'],
      [undefined, '2026-09-30T18:30:00'],
    ]);
    const [d1, d2] = compileScorecard(c).tasks;
    expect(new Date(d1!.fromMs).toISOString()).toBe('2025-12-31T16:00:00.000Z'); // local midnight, UTC+8
    expect(new Date(d1!.dueMs).toISOString()).toBe('2026-09-30T16:00:00.000Z'); // the end of 30 September
    expect(new Date(d2!.dueMs).toISOString()).toBe('2026-09-30T10:30:00.000Z');
  });
});

describe('a broken task file: every problem at once, each naming the file, the row and the column', () => {
  it('CSV: unknown column, bad date, unknown owner, missing id, an unclosed quote, a bad kind', () => {
    write(
      'broken.csv',
      [
        '编号 id,标题 title,责任方类型 owner_type,责任方 owner_id,截止 due,备注 notes,积分 pionts',
        'B-1,好的 Fine,branch,B-CAST,2026-12-31,,',
        'B-2,坏日期 Bad date,branch,B-CAST,2026-13-45,,',
        'B-3,未知责任方 Unknown owner,team,T-BLT,2026-12-31,,',
        ',缺编号 No id,branch,B-CAST,2026-12-31,,',
        'B-5,"未闭合 Unclosed,branch,B-CAST,2026-12-31,,',
        'B-6,好的 Fine,branch,B-ELY,2026-12-31,,',
      ].join('\n'),
    );
    const problems = problemsOf(() => parsePlantConfig(siteWith([], ['broken.csv']), configFile));
    expect(problems.map((p) => p.path)).toEqual([
      'broken.csv line 1, column 备注 notes',
      'broken.csv line 1, column 积分 pionts',
      'broken.csv line 3, column 截止 due',
      'broken.csv line 5, column 编号 id',
      'broken.csv line 6',
      'broken.csv line 4, column 责任方 owner_id',
    ]);
    const message = (at: string) => problems.find((p) => p.path === at)!.message;
    expect(message('broken.csv line 1, column 备注 notes')).toMatch(
      /unknown column 'notes' \(可用列 known columns: id, title,/,
    );
    expect(message('broken.csv line 1, column 积分 pionts')).toMatch(
      /unknown column 'pionts' — 是否应为 did you mean 'points'\?/,
    );
    expect(message('broken.csv line 3, column 截止 due')).toMatch(/ISO 8601/);
    expect(message('broken.csv line 5, column 编号 id')).toMatch(/expected string/);
    expect(message('broken.csv line 6')).toMatch(
      /unterminated quote: a quoted field opened on line 6 is never closed/,
    );
    expect(message('broken.csv line 4, column 责任方 owner_id')).toMatch(
      /unknown team 'T-BLT' — 是否应为 did you mean 'T-BLR'\?/,
    );
  });

  it('xlsx: Excel row numbers, a missing column named once, a value under no header, a bad kind', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sheet1');
    // rows 1, 2, 4 and 6 are empty: the header is the first row that holds something
    sheet.getRow(3).values = [
      '编号 id',
      '标题 title',
      '类型 kind',
      '责任方类型 owner_type',
      '责任方 owner_id',
    ];
    sheet.getRow(5).values = ['X-1', '缺截止 No due', 'task', 'branch', 'B-CAST'];
    sheet.getRow(7).values = ['X-2', '坏类型 Bad kind', '承偌', 'branch', 'B-CAST', undefined, '多余 extra'];
    await book.xlsx.writeFile(path.join(dir, 'broken.xlsx'));
    const problems = problemsOf(() => parsePlantConfig(siteWith([], ['broken.xlsx']), configFile));
    expect(problems).toEqual([
      { path: 'broken.xlsx row 7, column G', message: '无表头 a value in a column without a header' },
      {
        path: 'broken.xlsx row 7, column 类型 kind',
        message: expect.stringMatching(/invalid value '承偌'.*task \/ pledge/),
      },
      { path: 'broken.xlsx row 3', message: "缺少列 missing column '截止 due'" },
    ]);
  });

  it('a duplicate id across the YAML and a file names both places', () => {
    const problems = problemsOf(() =>
      parsePlantConfig(
        siteWith(demoTasks.slice(1, 2), [path.relative(dir, path.join(examples, 'tasks-sample.csv'))]),
        configFile,
      ),
    );
    expect(problems).toEqual([
      {
        path: expect.stringMatching(/tasks-sample\.csv line 3, column 编号 id$/),
        message: "重复 duplicate id 'K-2' (also tasks[0])",
      },
    ]);
  });

  it('a duplicate id across two files names both rows', () => {
    write('a.csv', 'id,title,owner_type,owner_id,due\nA-1,甲 A,site,MG-SITE,2026-12-31\n');
    write('b.csv', 'id,title,owner_type,owner_id,due\n\nA-1,乙 B,site,MG-SITE,2026-12-31\n');
    expect(problemsOf(() => parsePlantConfig(siteWith([], ['a.csv', 'b.csv']), configFile))).toEqual([
      { path: 'b.csv line 3, column id', message: "重复 duplicate id 'A-1' (also a.csv line 2)" },
    ]);
  });

  it('a missing file, and one that is not UTF-8, name the key and the path', () => {
    write('gbk.csv', Buffer.from([0x69, 0x64, 0x0a, 0xb1, 0xe0, 0xba, 0xc5, 0x0a])); // "id\n编号\n" in GBK
    const problems = problemsOf(() =>
      parsePlantConfig(siteWith([], ['nowhere/tasks.xlsx', 'gbk.csv']), configFile),
    );
    expect(problems).toEqual([
      {
        path: 'taskFiles[0]',
        message: expect.stringContaining(
          `无法读取 cannot read 'nowhere/tasks.xlsx' (${path.join(dir, 'nowhere/tasks.xlsx')})`,
        ),
      },
      { path: 'taskFiles[1]', message: expect.stringMatching(/cannot read 'gbk.csv'.*not UTF-8.*CSV UTF-8/) },
    ]);
  });

  it('a task file is a .csv or an .xlsx, said by the schema', () => {
    expect(problemsOf(() => parsePlantConfig(siteWith([], ['tasks.xls']), configFile))).toEqual([
      { path: 'taskFiles[0]', message: 'a task file is a .csv or an .xlsx file' },
    ]);
  });

  it('task file problems come with the rest of the config’s, in one run', () => {
    write('ok.csv', 'id,title,owner_type,owner_id,due\nO-1,好 Fine,branch,B-NOPE,2026-12-31\n');
    const problems = problemsOf(() =>
      parsePlantConfig(`${siteWith([], ['ok.csv'])}\ntaks: []\n`, configFile),
    );
    expect(problems.map((p) => p.path)).toEqual(['taks', 'ok.csv line 2, column owner_id']);
  });
});

describe('the columns come from TaskSchema', () => {
  it('one column per field, each with its zh-CN label', () => {
    expect(TASK_COLUMNS.map((c) => c.key)).toEqual([
      'id',
      'title',
      'kind',
      'owner_type',
      'owner_id',
      'from',
      'due',
      'points',
      'close_kpi',
      'close_every',
      'close_max',
      'close_min',
      'close_consecutive',
    ]);
    for (const c of TASK_COLUMNS) expect(c.zh, c.key).not.toBe('');
  });
});
