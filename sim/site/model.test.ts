import { describe, expect, it } from 'vitest';
import { SiteSim } from './model.ts';

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
