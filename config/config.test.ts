import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpression } from './expression.ts';
import { parseBuiltinLibrary } from './factors/library.ts';
import { loadPlantConfig, parsePlantConfig } from './load.ts';
import { ConfigError } from './problems.ts';
import { plantJsonSchema } from './schema.ts';

const here = path.dirname(new URL(import.meta.url).pathname);

function problemsOf(file: string): { path: string; message: string }[] {
  try {
    loadPlantConfig(file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error(`${file} was accepted`);
}

describe('example configs', () => {
  const examples = readdirSync(path.join(here, 'examples')).filter((f) => f.endsWith('.yaml'));
  it('there is at least the reference plant', () => {
    expect(examples).toContain('reference-plant.yaml');
  });
  for (const f of examples) {
    it(`${f} parses and validates`, () => {
      const { config } = loadPlantConfig(path.join(here, 'examples', f));
      expect(config.site.timeZone).toBeTruthy();
    });
  }
  it('defaults come from the schema: time zone Asia/Shanghai, completeness 0.95', () => {
    const c = parsePlantConfig(
      'site: { id: S }\norganisation: { committee: { id: C }, branches: [{ id: B }] }\n',
    );
    expect(c.site.timeZone).toBe('Asia/Shanghai');
    expect(c.completeness.provisionalBelow).toBe(0.95);
    expect(c.useBuiltInFactors).toBe(true);
  });
});

describe('built-in factor library', () => {
  it('parses and every factor names its source', () => {
    const lib = parseBuiltinLibrary();
    expect(lib.factors.length).toBeGreaterThan(8);
    for (const f of lib.factors) expect(f.source.length).toBeGreaterThan(10);
  });
});

describe('JSON Schema for editors', () => {
  it('is generated from the zod schema and the shipped file is up to date', () => {
    const shipped = JSON.parse(readFileSync(path.join(here, 'plant.schema.json'), 'utf8'));
    expect(shipped).toEqual(plantJsonSchema());
    expect(JSON.stringify(shipped)).toContain('rolloverAt');
  });
});

describe('bad configs: every problem at once, each with its path', () => {
  it('reports references, shares, factor overlaps, teams outside their branch and targets', () => {
    const problems = problemsOf(path.join(here, 'testdata', 'bad-plant.yaml'));
    const at = (p: string) => problems.filter((x) => x.path === p).map((x) => x.message);
    expect(at('signals[4].carrier')).toEqual([
      "未知能源介质 unknown carrier 'steam' (已声明 declared: electricity, natural_gas)",
    ]);
    expect(at('signals[5].expression')).toEqual([
      "未知信号 unknown signal 'E-9' — 是否应为 did you mean 'E-1' / 'E-2'?",
    ]);
    expect(at('organisation.areas[2].branch')).toEqual([
      "未知党支部 unknown branch 'B-9' — 是否应为 did you mean 'B-1' / 'B-2'?",
    ]);
    expect(at('organisation.areas[2].meters[0].signal')).toEqual([
      "未知信号 unknown signal 'NOPE' (已声明 declared: E-1, E-2, G-1, P-1, X-1, V-1)",
    ]);
    expect(at('targets[0].scope.id')).toEqual([
      "未知责任区 unknown area 'A-9' — 是否应为 did you mean 'A-1' / 'A-2' / 'A-3'?",
    ]);
    expect(problems.find((p) => p.path === 'factors[1]')?.message).toMatch(/validity overlaps factors\[0\]/);
    expect(problems.length).toBeGreaterThanOrEqual(6);
  });

  it('reports a meter shared above 100 % and a team outside its branch (when references are sound)', () => {
    const text = readFileSync(path.join(here, 'testdata', 'bad-plant.yaml'), 'utf8')
      .replace(/ {2}- \{ id: X-1.*\n/, '')
      .replace('expression: "E-1 - E-9"', 'expression: "E-1 - E-2"')
      .replace(/ {4}- id: A-3\n(.*\n){3}/, '')
      .replace('id: A-9', 'id: A-1');
    const problems = (() => {
      try {
        parsePlantConfig(text, 'x.yaml');
      } catch (err) {
        return [...(err as ConfigError).problems];
      }
      return [];
    })();
    const share = problems.find((p) => p.path === 'organisation.areas[1].meters[0]');
    expect(share?.message).toMatch(/'E-1' is allocated 120 % from 2026-10-10T00:00:00\+08:00/);
    const team = problems.find((p) => p.path === 'organisation.teams[0].meters[0]');
    expect(team?.message).toMatch(/team 'T-1' takes 100 % of 'E-2'.*branch 'B-2' areas hold only 0 %/);
  });

  it('reports schema problems with their paths, all at once', () => {
    const problems = problemsOf(path.join(here, 'testdata', 'bad-types.yaml'));
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('signals[3].rolloverAt');
    expect(paths).toContain('signals[4].kind');
    expect(paths).toContain('organisation.branches');
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(() => parsePlantConfig('site: { id: S\nfoo: [', 'broken.yaml')).toThrow(/line \d+, column \d+/);
  });

  it('reports an unknown time zone', () => {
    expect(() =>
      parsePlantConfig(
        'site: { id: S, timeZone: Mars/Olympus }\norganisation: { committee: { id: C }, branches: [{ id: B }] }',
      ),
    ).toThrow(/site\.timeZone: unknown IANA time zone 'Mars\/Olympus'/);
  });
});

describe('virtual meter expressions', () => {
  it('parses linear combinations', () => {
    expect(parseExpression('E-MAIN - E-SUB1 + 0.5 * E-X - E-Y * 2')).toEqual([
      { signal: 'E-MAIN', coefficient: 1 },
      { signal: 'E-SUB1', coefficient: -1 },
      { signal: 'E-X', coefficient: 0.5 },
      { signal: 'E-Y', coefficient: -2 },
    ]);
    expect(parseExpression('- A')).toEqual([{ signal: 'A', coefficient: -1 }]);
  });
  it('rejects what it cannot read, saying where', () => {
    expect(() => parseExpression('A +')).toThrow(/ends with/);
    expect(() => parseExpression('A B')).toThrow(/expected \+ or -/);
    expect(() => parseExpression('2 A')).toThrow(/NUMBER \* SIGNAL/);
  });
});
