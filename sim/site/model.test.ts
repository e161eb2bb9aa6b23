import { describe, expect, it } from 'vitest';
import { BOILER, SiteSim } from './model.ts';

const START = Date.parse('2026-09-30T16:00:00Z');
const run = (seed: number, steps: number, faults = {}) => {
  const sim = new SiteSim({
    seed,
    startMs: START,
    stepMs: 1_800_000,
    faults: { rolloverAt: 1e9, replaceAuxAtMs: null, outage: null, ...faults },
  });
  const out = [sim.snapshot()];
  for (let i = 0; i < steps; i++) out.push(sim.step());
  return { sim, out: out.flat() };
};

describe('simulated site', () => {
  it('the same seed gives the same readings; another seed another history', () => {
    expect(run(7, 200).out).toEqual(run(7, 200).out);
    expect(run(8, 200).out).not.toEqual(run(7, 200).out);
  });
  it('counters only grow, except the staged rollover and replacement', () => {
    const replaceAt = START + 100 * 1_800_000;
    const { sim, out } = run(3, 200, { rollover: true, replaceAuxAtMs: replaceAt });
    const series = (signal: string) => out.filter((r) => r.signal === signal).map((r) => r.value);
    const drops = (v: number[]) => v.filter((x, i) => i > 0 && x < v[i - 1]!).length;
    expect(drops(series('P-MG'))).toBe(0);
    expect(drops(series('G-BLR'))).toBe(0);
    expect(drops(series('E-ELY'))).toBe(1);
    expect(drops(series('E-AUX'))).toBe(1);
    expect(sim.replacement?.atMs).toBe(replaceAt);
    expect(series('E-AUX')[100]).toBe(sim.replacement?.oldFinal);
  });
  it('an outage leaves the compressor silent for exactly its window', () => {
    const from = START + 10 * 1_800_000;
    const { out } = run(1, 40, { outage: { fromMs: from, toMs: from + 6 * 1_800_000 } });
    const times = out.filter((r) => r.signal === 'W-CMP').map((r) => r.timeMs);
    expect(times).toHaveLength(41 - 6);
    expect(times.some((t) => t >= from && t < from + 6 * 1_800_000)).toBe(false);
  });
  it('publishes every unit, the CEMS stack included', () => {
    const units = new Set(run(1, 1).out.map((r) => r.unit));
    expect([...units].sort()).toEqual([
      'boiler',
      'casting',
      'cems',
      'chlor-alkali',
      'compressors',
      'electrolysis',
      'opcua',
      'substation',
    ]);
  });
});

describe('the simulated site is physically plausible over the demo month (issue 13 point 6)', () => {
  const month = run(2026, 31 * 48, { rollover: false });
  const series = (signal: string) => month.out.filter((r) => r.signal === signal).map((r) => r.value);
  const delta = (signal: string) => {
    const v = series(signal);
    return v[v.length - 1]! - v[0]!;
  };

  it('the magnesium balance holds: cast ≤ primary + bought, electrolysis at 13-15 MWh/t', () => {
    const primary = delta('P-MG');
    const bought = delta('P-MGB');
    const cast = delta('PK-1.produced');
    expect(cast).toBeLessThanOrEqual(primary + bought);
    // and at every instant, not only at the month's end
    const p = series('P-MG');
    const b = series('P-MGB');
    const c = series('PK-1.produced');
    expect(c.every((x, i) => x - c[0]! <= p[i]! - p[0]! + b[i]! - b[0]! + 1e-9)).toBe(true);
    // the caster runs on the site's own metal, topped up: most of what it casts is primary
    expect(cast).toBeGreaterThan(0.9 * primary);
    expect(bought).toBeLessThan(0.1 * (primary + bought));
    expect(delta('E-ELY') / primary / 1000).toBeGreaterThan(13);
    expect(delta('E-ELY') / primary / 1000).toBeLessThan(15);
  });

  it('the stack: 10-12 Nm3 of dry flue gas per Nm3 of gas at about 3.5 % O2; gas-boiler concentrations', () => {
    const gas = series('G-BLR');
    const flue = series('FLUE');
    const ratios = flue.slice(1).map((f, i) => f / ((gas[i + 1]! - gas[i]!) / 0.5));
    expect(Math.min(...ratios)).toBeGreaterThan(10);
    expect(Math.max(...ratios)).toBeLessThan(12);
    const o2 = series('O2');
    expect(Math.min(...o2)).toBeGreaterThan(3);
    expect(Math.max(...o2)).toBeLessThan(4);
    // well under GB 13271-2014's gas-boiler limits (SO2 50, NOx 200, particulate 20 mg/m3)
    expect(Math.max(...series('SO2'))).toBeLessThan(10);
    expect(Math.max(...series('NOX'))).toBeLessThan(150);
    expect(Math.max(...series('DUST'))).toBeLessThan(5);
  });

  it('the main incomer meters the lines plus 0.1-2 % losses', () => {
    const lines = ['E-ELY', 'E-CA', 'E-AUX', 'E-CAST'].reduce((a, s) => a + delta(s), 0);
    const w = series('W-CMP');
    const cmp = w.slice(1).reduce((a, x, i) => a + ((x + w[i]!) / 2) * 0.5, 0);
    const lossPct = ((delta('E-MAIN') - lines - cmp) / delta('E-MAIN')) * 100;
    expect(lossPct).toBeGreaterThan(0.1);
    expect(lossPct).toBeLessThan(2);
  });

  it("the boiler: 78 Nm3/t (94.7 kgce/t) before the team's retuning, 76 Nm3/t after", () => {
    const times = month.out.filter((r) => r.signal === 'G-BLR').map((r) => r.timeMs);
    const at = times.indexOf(BOILER.tunedFromMs);
    const gas = series('G-BLR');
    const steam = series('P-STM');
    const before = (gas[at]! - gas[0]!) / (steam[at]! - steam[0]!);
    const after = (gas[gas.length - 1]! - gas[at]!) / (steam[steam.length - 1]! - steam[at]!);
    expect(before).toBeCloseTo(78, 0);
    expect(after).toBeCloseTo(76, 0);
    expect(before * 1.2143).toBeCloseTo(94.7, 0);
  });
});
