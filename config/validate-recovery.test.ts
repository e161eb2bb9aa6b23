/** Waste-heat recoveries checked against the signals, carriers and scopes: each problem with its path. */
import { describe, expect, it } from 'vitest';
import { parsePlantConfig } from './load.ts';
import { ConfigError, type Problem } from './problems.ts';

const base = `
site: { id: S }
carriers: [{ id: natural_gas, unit: Nm3, emissionScope: 1 }]
products: [{ id: steam, unit: t }]
signals:
  - { id: G, kind: counter, unit: Nm3, carrier: natural_gas }
  - { id: STM, kind: counter, unit: t, product: steam }
  - { id: WHR, kind: counter, unit: t }
  - { id: WHR-GJ, kind: rate, unit: MW }
  - { id: WHR-P, kind: counter, unit: t, product: steam }
  - { id: TEMP, kind: gauge, unit: degC }
organisation:
  committee: { id: C }
  branches: [{ id: B }]
  areas: [{ id: A-BLR, branch: B, meters: [{ signal: G }], products: [{ signal: STM }] }]
  teams: [{ id: T-BLR, branch: B, from: "2026-10-10", meters: [{ signal: G }] }]
`;

function problems(extra: string, head = base): Problem[] {
  try {
    parsePlantConfig(head + extra);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

const ok = `
recovery:
  - id: WHB
    signal: WHR
    steamEnthalpyGJPerT: 2.5
    basis: { type: supplied, signals: [STM] }
    boilerEfficiency: 0.9
    displaces: natural_gas
    scopes: [{ type: area, id: A-BLR }, { type: team, id: T-BLR }]
`;

describe('recovery in the config', () => {
  it('steam with its enthalpy passes; heat in MW needs none, but its basis must be heat too', () => {
    expect(problems(ok)).toEqual([]);
    expect(
      problems(`
recovery:
  - { id: W2, signal: WHR-GJ, basis: { type: available, signal: G }, boilerEfficiency: 0.9, displaces: natural_gas }
`),
    ).toEqual([
      {
        path: 'recovery[0].basis.signal',
        message: expect.stringMatching(/'G' is in 'Nm3': heat available needs an energy unit/),
      },
    ]);
  });

  it('a recovered-heat signal that counts a product is refused: it would count as output', () => {
    expect(problems(ok.replace('signal: WHR\n', 'signal: WHR-P\n'))).toEqual([
      {
        path: 'recovery[0].signal',
        message: expect.stringMatching(
          /'WHR-P' counts product 'steam': recovered heat is a flow, not a product/,
        ),
      },
    ]);
  });

  it('steam without its enthalpy, a gauge, the signal as its own basis, unknown ids: every problem with its path', () => {
    const p = problems(`
recovery:
  - id: WHB
    signal: WHR
    basis: { type: supplied, signals: [WHR, TEMP] }
    boilerEfficiency: 0.9
    displaces: natural_gaz
    scopes: [{ type: team, id: T-BLRR }]
`);
    expect(p.map((x) => x.path)).toEqual([
      'recovery[0].steamEnthalpyGJPerT',
      'recovery[0].basis.signals[0]',
      'recovery[0].basis.signals[1]',
      'recovery[0].displaces',
      'recovery[0].scopes[0].id',
    ]);
    expect(p[3]!.message).toMatch(/natural_gas/);
    expect(p[4]!.message).toMatch(/T-BLR/);
  });

  it('efficiency above 1 and mixed bases are refused', () => {
    expect(problems(ok.replace('boilerEfficiency: 0.9', 'boilerEfficiency: 1.2')).map((x) => x.path)).toEqual(
      ['recovery[0].boilerEfficiency'],
    );
    const p =
      problems(`${ok}  - { id: W2, signal: WHR-GJ, basis: { type: available, signal: WHR }, steamEnthalpyGJPerT: 2.5, boilerEfficiency: 0.9, displaces: natural_gas }
`);
    expect(p).toEqual([
      {
        path: 'recovery[1].basis.type',
        message: expect.stringMatching(/'available' differs from recovery\[0\]'s 'supplied'/),
      },
    ]);
  });

  it('an area holding the recovered heat as a product is told where it goes', () => {
    const head = base.replace(
      'products: [{ signal: STM }] }',
      'products: [{ signal: STM }, { signal: WHR }] }',
    );
    expect(problems(ok, head)).toEqual([
      {
        path: 'organisation.areas[0].products[1].signal',
        message: "'WHR' is recovered heat (recovery[0]), not a product: hold it with recovery[0].scopes",
      },
    ]);
  });
});
