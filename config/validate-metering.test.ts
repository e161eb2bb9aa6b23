/** Balances and CEMS stacks checked against the signals: each problem with its path. */
import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from './load.ts';
import { ConfigError, type Problem } from './problems.ts';

const base = `
site: { id: S }
carriers:
  - { id: electricity, unit: kWh, emissionScope: 2 }
  - { id: natural_gas, unit: Nm3, emissionScope: 1 }
products: [{ id: mg, unit: t }]
signals:
  - { id: E-MAIN, kind: counter, unit: kWh, carrier: electricity }
  - { id: E-ELY, kind: counter, unit: kWh, carrier: electricity, inSiteTotal: false }
  - { id: E-CA, kind: counter, unit: kWh, carrier: electricity, inSiteTotal: false }
  - { id: E-CA1, kind: counter, unit: kWh, carrier: electricity, inSiteTotal: false }
  - { id: ST, kind: counter, unit: Nm3, carrier: natural_gas }
  - { id: SO2, kind: gauge, unit: mg/m3, sampleIntervalS: 60 }
  - { id: NOX, kind: gauge, unit: mg/Nm3 }
  - { id: FLUE, kind: gauge, unit: Nm3/h }
  - { id: O2, kind: gauge, unit: "%" }
  - { id: TEMP, kind: gauge, unit: "1" }
organisation: { committee: { id: C }, branches: [{ id: B }] }
`;

function problems(extra: string): Problem[] {
  try {
    parsePlantConfig(base + extra);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

describe('balances and CEMS in the config', () => {
  it('a two-level tree and a stack in standard-dry units pass', () => {
    expect(
      problems(`
balances:
  - { id: EB, carrier: electricity, main: E-MAIN, submeters: [{ signal: E-ELY }, { balance: EB-CA }], lossAlarmPct: 2 }
  - { id: EB-CA, carrier: electricity, main: E-CA, submeters: [{ signal: E-CA1 }] }
cems:
  product: mg
  stacks:
    - id: DA001
      flowSignal: FLUE
      o2Signal: O2
      pollutants:
        so2: { signal: SO2, limitMgM3: 100, referenceO2Pct: 3.5 }
        nox: { signal: NOX, limitMgM3: 150 }
`),
    ).toEqual([]);
  });

  it('unknown signals and balances, with did-you-mean, at their paths', () => {
    const p = problems(`
balances:
  - { id: EB, carrier: electricty, main: E-MAN, submeters: [{ signal: E-ELY }, { balance: EB-C }] }
  - { id: EB-CA, carrier: electricity, main: E-CA, submeters: [{ signal: E-CA1 }] }
`);
    const at = (path: string) => p.find((x) => x.path === path)?.message;
    expect(at('balances[0].carrier')).toMatch(/unknown carrier 'electricty'.*'electricity'/);
    expect(at('balances[0].main')).toMatch(/unknown signal 'E-MAN'.*'E-MAIN'/);
    expect(at('balances[0].submeters[1].balance')).toMatch(/unknown balance 'EB-C'.*'EB-CA'/);
  });

  it('a submeter of another carrier, and a signal that is no meter', () => {
    const p = problems(`
balances:
  - { id: EB, carrier: electricity, main: E-MAIN, submeters: [{ signal: ST }, { signal: TEMP }] }
`);
    expect(p).toEqual([
      {
        path: 'balances[0].submeters[0].signal',
        message: "'ST' measures 'natural_gas', not the balance's carrier 'electricity'",
      },
      {
        path: 'balances[0].submeters[1].signal',
        message: expect.stringMatching(/'TEMP' is a gauge signal/),
      },
    ]);
  });

  it('a meter listed twice in one tree, across its levels', () => {
    const p = problems(`
balances:
  - { id: EB, carrier: electricity, main: E-MAIN, submeters: [{ signal: E-CA1 }, { balance: EB-CA }] }
  - { id: EB-CA, carrier: electricity, main: E-CA, submeters: [{ signal: E-CA1 }, { signal: E-ELY }, { signal: E-ELY }] }
`);
    expect(p.map((x) => x.path)).toEqual([
      'balances[1].submeters[0].signal',
      'balances[1].submeters[2].signal',
    ]);
    expect(p[0]!.message).toBe(
      "'E-CA1' is listed twice in the balance tree of 'EB' (also balances[0].submeters[0].signal)",
    );
  });

  it('balances nested in a cycle', () => {
    const p = problems(`
balances:
  - { id: A, carrier: electricity, main: E-MAIN, submeters: [{ balance: B }] }
  - { id: B, carrier: electricity, main: E-CA, submeters: [{ balance: A }] }
`);
    expect(p).toEqual([
      { path: 'balances[1].submeters[0].balance', message: 'balances nested in a cycle: A -> B -> A' },
    ]);
  });

  it('CEMS gauges: wrong kind, wrong unit, a reference O2 without an O2 signal, an unknown product', () => {
    const p = problems(`
cems:
  product: mgg
  stacks:
    - id: DA001
      flowSignal: E-MAIN
      pollutants:
        so2: { signal: TEMP, limitMgM3: 100, referenceO2Pct: 6 }
        particulate: { signal: SO3 }
`);
    const at = (path: string) => p.find((x) => x.path === path)?.message;
    expect(at('cems.product')).toMatch(/unknown product 'mgg'.*'mg'/);
    expect(at('cems.stacks[0].flowSignal')).toMatch(/'E-MAIN' is a counter signal/);
    expect(at('cems.stacks[0].pollutants.so2.signal')).toMatch(/'TEMP' is in '1'.*mg\/m3/);
    expect(at('cems.stacks[0].pollutants.particulate.signal')).toMatch(/unknown signal 'SO3'.*'SO2'/);
    expect(at('cems.stacks[0].o2Signal')).toMatch(/so2 is checked at 6 % O2.*needs its O2 signal/);
  });

  it('a reference O2 at or above 21 % is refused by the schema', () => {
    const p = problems(`
cems:
  stacks:
    - { id: DA001, flowSignal: FLUE, o2Signal: O2, pollutants: { so2: { signal: SO2, referenceO2Pct: 21 } } }
`);
    expect(p.map((x) => x.path)).toEqual(['cems.stacks[0].pollutants.so2.referenceO2Pct']);
  });
});
