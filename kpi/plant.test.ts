/** compilePlant: config values are parsed once, at compile time, and a value that cannot be is named by its path. */
import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from '../config/load.ts';
import { ConfigError } from '../config/problems.ts';
import type { PlantConfig } from '../config/schema.ts';
import { compilePlant } from './plant.ts';

const yaml = `
site: { id: S, name: "厂 Site", timeZone: Asia/Shanghai }
completeness: { provisionalBelow: 0.9 }
carriers: [{ id: electricity, name: "电力 Electricity", unit: kWh, emissionScope: 2 }]
products: [{ id: ingot, unit: t }]
factors:
  - { carrier: electricity, kind: co2, value: 0.5, unit: kgCO2/kWh, series: national-grid-average, source: test, from: "2026-01-01" }
signals:
  - id: E
    kind: counter
    unit: MWh
    carrier: electricity
    sampleIntervalS: 900
    replacements:
      - { at: "2026-10-20T08:30:00", oldFinal: 1234, newStart: 0 }
      - { at: "2026-10-25T00:00:00Z" }
  - { id: P, kind: rate, unit: t/h, product: ingot, sampleIntervalS: 60 }
  - { id: ST, kind: state, maxHoldS: 120 }
equipment:
  - { id: EQ, name: "设备 Machine", stateSignal: ST, stateCodes: { "1": running } }
organisation:
  committee: { id: C, name: "党委 Committee" }
  branches: [{ id: B, name: "支部 Branch" }]
  areas: [{ id: A, branch: B, meters: [{ signal: E, from: "2026-10-01" }] }]
  teams: [{ id: T, branch: B, from: "2026-10-10", meters: [{ signal: E, share: 0.5 }] }]
targets:
  - { kpi: energy.electricity, scope: { type: area, id: A }, every: day, max: 10 }
`;

const ms = (iso: string) => Date.parse(iso);

describe('compilePlant', () => {
  it('parses replacement times to epoch ms once, in the site time zone unless the text has an offset', () => {
    const plant = compilePlant(parsePlantConfig(yaml));
    const e = plant.signals.get('E');
    expect(e?.kind).toBe('counter');
    if (e?.kind !== 'counter') return;
    expect(e.replacements).toEqual([
      { atMs: ms('2026-10-20T00:30:00Z'), oldFinal: 1234, newStart: 0 },
      { atMs: ms('2026-10-25T00:00:00Z'), newStart: 0 },
    ]);
    expect(e.sampleIntervalMs).toBe(900_000);
    expect(e.measuredUnit).toBe('kWh');
    expect(e.emissionScope).toBe(2);
  });

  it('resolves units, durations, names and targets, and keeps no raw config', () => {
    const plant = compilePlant(parsePlantConfig(yaml));
    expect('config' in plant).toBe(false);
    expect(plant.signals.get('P')).toMatchObject({
      kind: 'rate',
      amountUnit: 't',
      timeUnitMs: 3_600_000,
      maxGapMs: 300_000,
      measuredUnit: 't',
      emissionScope: 'none',
    });
    expect(plant.signals.get('ST')).toMatchObject({ kind: 'state', maxHoldMs: 120_000 });
    expect(plant.equipment.get('EQ')?.stateCodes.get('1')).toBe('running');
    expect(plant.provisionalBelow).toBe(0.9);
    expect(plant.site.name).toBe('厂 Site');
    expect(plant.committee).toMatchObject({ type: 'committee', id: 'C', name: '党委 Committee' });
    expect(plant.branches[0]?.name).toBe('支部 Branch');
    expect(plant.names.get('electricity')).toBe('电力 Electricity');
    expect(plant.areas[0]?.meters[0]?.fromMs).toBe(ms('2026-09-30T16:00:00Z'));
    expect(plant.teams[0]?.meters[0]?.fromMs).toBe(ms('2026-10-09T16:00:00Z'));
    expect(plant.targets).toEqual([
      { kpi: 'energy.electricity', scope: { type: 'area', id: 'A' }, every: 'day', max: 10 },
    ]);
  });

  it('names every time it cannot parse by its config path, at compile time', () => {
    // a config built in code, past the schema's checks
    const config: PlantConfig = parsePlantConfig(yaml);
    const e = config.signals[0];
    if (e?.kind !== 'counter') throw new Error('E is a counter');
    e.replacements[1]!.at = '2026-10-32';
    config.organisation.teams[0]!.from = 'next week';
    config.organisation.areas[0]!.meters[0]!.to = '2026/11/01';
    config.factors[0]!.from = 'yesterday';
    let err: unknown;
    try {
      compilePlant(config, 'site.yaml');
    } catch (caught) {
      err = caught;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems.map((p) => p.path)).toEqual([
      'signals[0].replacements[1].at',
      'organisation.areas[0].meters[0].to',
      'organisation.teams[0].from',
      'factors[0].from',
    ]);
    expect(problems[0]?.message).toContain("'2026-10-32' is not an ISO 8601 date or date-time");
    expect((err as ConfigError).message).toMatch(/^site\.yaml: 4 problem\(s\)/);
  });

  it('reports an unknown time zone once, not as every time that depends on it', () => {
    const config = parsePlantConfig(yaml);
    config.site.timeZone = 'Mars/Olympus';
    expect(() => compilePlant(config)).toThrow(/site\.timeZone: unknown IANA time zone 'Mars\/Olympus'\n?$/);
  });
});
