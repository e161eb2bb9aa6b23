/** The baselines' cross-checks: every problem with its path, unknown ids with "did you mean". */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parsePlantConfig } from './load.ts';
import type { Problem } from './problems.ts';

const TEXT = readFileSync(new URL('../kpi/baseline/testdata/boiler.yaml', import.meta.url), 'utf8');

type Doc = { baselines: Record<string, unknown>[]; signals: Record<string, unknown>[] };

function problems(edit: (baselines: Record<string, unknown>[], doc: Doc) => void): Problem[] {
  const doc = parse(TEXT) as Doc;
  edit(doc.baselines, doc);
  try {
    parsePlantConfig(stringify(doc));
  } catch (err) {
    return (err as { problems: Problem[] }).problems;
  }
  return [];
}

describe('baselines in the plant config', () => {
  it('the sample is valid', () => {
    expect(problems(() => {})).toEqual([]);
  });

  it('an unknown scope, energy carrier or driver is named by its path, with did-you-mean', () => {
    const found = problems((b) => {
      b[0]!.scope = { type: 'team', id: 'T-BLRX' };
      b[0]!.energy = 'energy.natural_gsa';
      b[0]!.model = { type: 'ratio', driver: { type: 'kpi', kpi: 'output.stem' } };
      b[1]!.model = {
        type: 'regression',
        drivers: [
          { type: 'gauge_mean', signal: 'T-AMX' },
          { type: 'degree_days', signal: 'G-HTG' },
        ],
      };
    });
    expect(found).toEqual([
      {
        path: 'baselines[0].scope.id',
        message: "未知突击队 unknown team 'T-BLRX' — 是否应为 did you mean 'T-BLR'?",
      },
      {
        path: 'baselines[0].energy',
        message: "未知能源介质 unknown carrier 'natural_gsa' — 是否应为 did you mean 'natural_gas'?",
      },
      {
        path: 'baselines[0].model.driver.kpi',
        message: "未知产品 unknown product 'stem' — 是否应为 did you mean 'steam'?",
      },
      {
        path: 'baselines[1].model.drivers[0].signal',
        message: "未知仪表信号 unknown gauge signal 'T-AMX' — 是否应为 did you mean 'T-AMB'?",
      },
      { path: 'baselines[1].model.drivers[1].signal', message: "'G-HTG' is a counter signal, not a gauge" },
    ]);
  });

  it('one baseline per scope, a period that reads, and the energy is no driver of itself', () => {
    const found = problems((b) => {
      b[1]!.scope = { type: 'team', id: 'T-BLR' };
      b[1]!.period = '2025-13';
      b[0]!.model = { type: 'regression', drivers: [{ type: 'kpi', kpi: 'energy.natural_gas' }] };
    });
    expect(found.map((p) => p.path)).toEqual([
      'baselines[0].model.drivers[0].kpi',
      'baselines[1].scope',
      'baselines[1].period',
    ]);
    expect(found[1]!.message).toMatch(/already has a baseline \(baselines\[0\]\)/);
    expect(found[2]!.message).toMatch(/'2025-13' is not a valid month/);
  });

  it('degree-days need a temperature gauge; a baseline needs period or from/to', () => {
    const found = problems((b, doc) => {
      delete b[0]!.period;
      b[0]!.from = '2025-01-01';
      doc.signals.find((s) => s.id === 'T-AMB')!.unit = '%';
    });
    expect(found).toEqual([
      {
        path: 'baselines[0]',
        message: '基准期须写 period 或 from/to a baseline needs period, or both from and to (not both forms)',
      },
      {
        path: 'baselines[1].model.drivers[0].signal',
        message: "度日须用温度 'T-AMB' is in %, not a temperature (degC) for degree-days",
      },
    ]);
  });
});
