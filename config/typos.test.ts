/** Typos in a config: every unknown key and unknown id in one run, each with its path and "did you mean". */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from './load.ts';
import { ConfigError, type Problem } from './problems.ts';
import { plantJsonSchema } from './schema.ts';
import { closest, didYouMean, editDistance, unknownId } from './suggest.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const TYPOS = readFileSync(path.join(here, 'testdata', 'typos.yaml'), 'utf8');

function problemsOf(text: string): Problem[] {
  try {
    parsePlantConfig(text, 'typos.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('the config was accepted');
}

const key = (k: string, meant: string) => `未知字段 unknown key '${k}' — 是否应为 did you mean '${meant}'?`;

describe('a config with a typo in each of six sections and a misspelt id', () => {
  it('reports all of them in one run, each with its path and its suggestion, and nothing else', () => {
    expect(problemsOf(TYPOS)).toEqual([
      { path: 'completeness.provisonalBelow', message: key('provisonalBelow', 'provisionalBelow') },
      { path: 'carriers[0].emmisionScope', message: key('emmisionScope', 'emissionScope') },
      { path: 'signals[0].rollovrAt', message: key('rollovrAt', 'rolloverAt') },
      { path: 'equipment[0].stateSignl', message: key('stateSignl', 'stateSignal') },
      { path: 'organisation.areas[0].meters[0].shares', message: key('shares', 'share') },
      { path: 'jobs.hourlyCorn', message: key('hourlyCorn', 'hourlyCron') },
      {
        path: 'targets[0].scope.id',
        message: "未知责任区 unknown area 'A-EYL' — 是否应为 did you mean 'A-ELY'?",
      },
    ]);
  });

  it('validates once the typos are corrected (so each problem above is the typo, not the rest of the file)', () => {
    const fixed = TYPOS.replace('provisonalBelow', 'provisionalBelow')
      .replace(' emmisionScope: 2,', '')
      .replace('rollovrAt', 'rolloverAt')
      .replace('stateSignl', 'stateSignal')
      .replace('shares: 1', 'share: 1')
      .replace('hourlyCorn', 'hourlyCron')
      .replace('id: A-EYL', 'id: A-ELY');
    const c = parsePlantConfig(fixed, 'fixed.yaml');
    expect(c.equipment[0]?.stateSignal).toBe('PK-1.state');
    expect(c.completeness.provisionalBelow).toBe(0.9);
    expect(c.jobs.hourlyCron).toBe('5 * * * *');
  });

  it('a misspelt top-level section is named, not read as an empty one ("targts:" gave "0 targets")', () => {
    const base = 'site: { id: S }\norganisation: { committee: { id: C }, branches: [{ id: B }] }\n';
    expect(problemsOf(`${base}targts: []\n`)).toEqual([
      { path: 'targts', message: key('targts', 'targets') },
    ]);
  });

  it('keys of the sections beside their code (sources, influx, secrets) are checked too', () => {
    const base = 'site: { id: S }\norganisation: { committee: { id: C }, branches: [{ id: B }] }\n';
    const problems = problemsOf(
      `${base}influx: { url: "http://influx:8086", databse: plant, password: { fiel: /run/secrets/x } }\n` +
        'sources:\n  mqtt:\n    - { id: m, url: "mqtt://b", clientId: c, subscriptions: [{ topic: "t/{meter}", signal: "{meter}", valuPath: v }] }\n',
    );
    const at = (p: string) => problems.find((x) => x.path === p)?.message;
    expect(at('influx.databse')).toBe(key('databse', 'database'));
    expect(at('influx.password.fiel')).toBe(key('fiel', 'file'));
    expect(at('sources.mqtt[0].subscriptions[0].valuPath')).toBe(key('valuPath', 'valuePath'));
  });

  it('a key far from every known one lists the keys the object takes', () => {
    const problems = problemsOf(
      'site: { id: S, colour: blue }\norganisation: { committee: { id: C }, branches: [{ id: B }] }\n',
    );
    expect(problems).toEqual([
      {
        path: 'site.colour',
        message:
          "未知字段 unknown key 'colour' (可用字段 known keys: id, name, timeZone, gridRegion, factorYear)",
      },
    ]);
  });

  it('a misspelt signal kind or enum value gets a suggestion among the values allowed', () => {
    const problems = problemsOf(
      'site: { id: S }\nsignals: [{ id: X, kind: countr, unit: kWh }, { id: Y, unit: kWh }]\n' +
        'organisation: { committee: { id: C }, branches: [{ id: B }] }\n' +
        'targets: [{ kpi: k, scope: { type: aera, id: A }, every: month, max: 1 }]\n',
    );
    const at = (p: string) => problems.find((x) => x.path === p)?.message;
    expect(at('signals[0].kind')).toMatch(
      /^取值无效 invalid value 'countr' — 是否应为 did you mean 'counter'\?/,
    );
    expect(at('targets[0].scope.type')).toMatch(/'aera' — 是否应为 did you mean 'area'\?/);
    expect(at('signals[1].kind')).toBe(
      "缺少字段 missing key 'kind' (可选 expected one of: counter / manual / rate / gauge / state / virtual)",
    );
  });

  it('with a schema problem besides unknown keys, every schema problem is listed at once (references wait)', () => {
    const problems = problemsOf(
      TYPOS.replace('rollovrAt: 10000000', 'rolloverAt: lots').replace('max: 12000', 'max: twelve'),
    );
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual([
      'completeness.provisonalBelow',
      'carriers[0].emmisionScope',
      'signals[0].rolloverAt',
      'equipment[0].stateSignl',
      'organisation.areas[0].meters[0].shares',
      'targets[0].max',
      'jobs.hourlyCorn',
    ]);
  });
});

describe('the JSON Schema for editors', () => {
  it('refuses unknown keys in every object (additionalProperties: false)', () => {
    const open: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) {
        for (const [i, x] of node.entries()) walk(x, `${at}/${i}`);
      } else if (node !== null && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        // an object with properties is a config object; a map (stateCodes) has additionalProperties as its values
        if (o.type === 'object' && o.properties !== undefined && o.additionalProperties !== false)
          open.push(at);
        for (const [k, v] of Object.entries(o)) walk(v, `${at}/${k}`);
      }
    };
    walk(plantJsonSchema(), '#');
    expect(open).toEqual([]);
  });
});

describe('suggestions', () => {
  it('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('stateSignl', 'stateSignal')).toBe(1);
    expect(editDistance('hourlyCorn', 'hourlyCron')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('ignores case, keeps ties, and suggests nothing far off', () => {
    expect(closest('statesignal', ['stateSignal', 'goodSignal'])).toEqual(['stateSignal']);
    expect(closest('E-9', ['E-1', 'E-2', 'G-1'])).toEqual(['E-1', 'E-2']);
    expect(closest('x', ['y'])).toEqual([]);
    expect(closest('colour', ['id', 'name', 'timeZone', 'gridRegion'])).toEqual([]);
    expect(didYouMean('targts', ['targets', 'factors'])).toBe(" — 是否应为 did you mean 'targets'?");
  });

  it('an unknown id with nothing close lists the few ids declared, or says none is', () => {
    const carrier = { zh: '能源介质', en: 'carrier' };
    expect(unknownId(carrier, 'steam', ['electricity'])).toBe(
      "未知能源介质 unknown carrier 'steam' (已声明 declared: electricity)",
    );
    expect(unknownId(carrier, 'steam', [])).toBe(
      "未知能源介质 unknown carrier 'steam' (未声明任何能源介质 no carrier is declared)",
    );
  });
});
