/** Property tests of the KPI engine on generated plants (pure: no store, no I/O). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PlantConfigInput, PlantConfigSchema } from '../config/schema.ts';
import { validatePlant } from '../config/validate.ts';
import type { Series } from '../store/port.ts';
import { parsePeriod, splitPeriod } from '../transforms/periods.ts';
import { computePeriod } from './engine.ts';
import { compilePlant } from './plant.ts';
import type { KpiRow } from './rows.ts';

const H = 3_600_000;
const TZ = 'Asia/Shanghai';
const MONTH = parsePeriod('2026-10', TZ);

interface Gen {
  meters: { shares: number[]; rate: number; gas: boolean; rolloverAt?: number }[];
  areas: number;
  teamFromDay: number;
}

/** Shares that add to exactly 1 in binary floating point (halves and quarters). */
const shareSets = [[1], [0.5, 0.5], [0.25, 0.75], [0.5, 0.25, 0.25], [0.125, 0.375, 0.5]];

const genArb: fc.Arbitrary<Gen> = fc.integer({ min: 2, max: 4 }).chain((areas) =>
  fc.record({
    areas: fc.constant(areas),
    teamFromDay: fc.integer({ min: 2, max: 28 }),
    meters: fc.array(
      fc.record({
        shares: fc.constantFrom(...shareSets.filter((s) => s.length <= areas)),
        rate: fc.double({ min: 1, max: 5000, noNaN: true }),
        gas: fc.boolean(),
        rolloverAt: fc.option(fc.constantFrom(100_000, 1_000_000), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  }),
);

function build(g: Gen) {
  const input: PlantConfigInput = {
    site: { id: 'S', timeZone: TZ },
    carriers: [
      { id: 'electricity', unit: 'kWh', emissionScope: 2 },
      { id: 'natural_gas', unit: 'Nm3', emissionScope: 1 },
    ],
    products: [{ id: 'p', unit: 't' }],
    signals: [
      ...g.meters.map((m, i) => ({
        id: `M${i}`,
        kind: 'counter' as const,
        unit: m.gas ? 'Nm3' : 'kWh',
        carrier: m.gas ? 'natural_gas' : 'electricity',
        sampleIntervalS: 3600,
        ...(m.rolloverAt ? { rolloverAt: m.rolloverAt } : {}),
      })),
      ...Array.from({ length: g.areas }, (_, a) => ({
        id: `P${a}`,
        kind: 'counter' as const,
        unit: 't',
        product: 'p',
        sampleIntervalS: 3600,
      })),
    ],
    organisation: {
      committee: { id: 'C' },
      branches: [{ id: 'B0' }, { id: 'B1' }],
      areas: Array.from({ length: g.areas }, (_, a) => ({
        id: `A${a}`,
        branch: `B${a % 2}`,
        meters: g.meters.flatMap((m, i) => (m.shares[a] ? [{ signal: `M${i}`, share: m.shares[a] }] : [])),
        products: [{ signal: `P${a}` }],
      })),
      teams: [
        {
          id: 'T0',
          branch: 'B0',
          from: `2026-10-${String(g.teamFromDay).padStart(2, '0')}`,
          meters: g.meters.flatMap((m, i) => (m.shares[0] ? [{ signal: `M${i}`, share: m.shares[0] }] : [])),
          products: [{ signal: 'P0' }],
        },
      ],
    },
  };
  const config = PlantConfigSchema.parse(input);
  expect(validatePlant(config)).toEqual([]);
  const data = new Map<string, Series>();
  const n = (MONTH.endMs - MONTH.startMs) / H + 3;
  const counter = (rate: number, rolloverAt?: number, start = 0) => {
    const times = new Float64Array(n);
    const values = new Float64Array(n);
    let v = start;
    for (let k = 0; k < n; k++) {
      times[k] = MONTH.startMs + (k - 1) * H;
      values[k] = rolloverAt ? v % rolloverAt : v;
      v += rate * (1 + 0.5 * Math.sin(k));
    }
    return { times, values };
  };
  g.meters.forEach((m, i) => {
    data.set(`M${i}`, counter(m.rate, m.rolloverAt, m.rolloverAt ? m.rolloverAt * 0.9 : 0));
  });
  for (let a = 0; a < g.areas; a++) data.set(`P${a}`, counter(2 + a));
  return { plant: compilePlant(config), data };
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const value = (rows: KpiRow[], kpi: string, type: string, id: string) =>
  rows.find((r) => r.kpi === kpi && r.scope_type === type && r.scope_id === id)?.value ?? 0;
const extensive = (kpi: string) => /^(energy\.(?!specific)|emissions\.|output\.)/.test(kpi);

describe('KPI engine properties', () => {
  it('with every meter fully allocated, committee totals equal site totals for every extensive KPI', () => {
    fc.assert(
      fc.property(genArb, (g) => {
        const { plant, data } = build(g);
        const rows = computePeriod(plant, data, MONTH).kpis;
        for (const r of rows.filter((x) => x.scope_type === 'site' && extensive(x.kpi))) {
          expect(close(value(rows, r.kpi, 'committee', 'C'), r.value)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("shares split a meter's energy exactly", () => {
    fc.assert(
      fc.property(genArb, (g) => {
        const only = { ...g, meters: [{ ...g.meters[0]!, gas: false }] };
        const { plant, data } = build(only);
        const rows = computePeriod(plant, data, MONTH).kpis;
        const total = value(rows, 'energy.electricity', 'site', 'S');
        expect(total).toBeGreaterThan(0);
        only.meters[0]!.shares.forEach((share, a) => {
          expect(close(value(rows, 'energy.electricity', 'area', `A${a}`), share * total)).toBe(true);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('computing a period twice gives identical rows', () => {
    fc.assert(
      fc.property(genArb, (g) => {
        const { plant, data } = build(g);
        expect(computePeriod(plant, data, MONTH)).toEqual(computePeriod(plant, data, MONTH));
      }),
      { numRuns: 20 },
    );
  });

  it("splitting a month into days and summing extensive KPIs gives the month's values", () => {
    fc.assert(
      fc.property(genArb, (g) => {
        const { plant, data } = build(g);
        const month = computePeriod(plant, data, MONTH).kpis;
        const days = splitPeriod(MONTH, 'day').flatMap((d) => computePeriod(plant, data, d).kpis);
        expect(days.length).toBeGreaterThan(0);
        for (const r of month.filter((x) => extensive(x.kpi))) {
          const sum = days
            .filter((d) => d.kpi === r.kpi && d.scope_type === r.scope_type && d.scope_id === r.scope_id)
            .reduce((s, d) => s + d.value, 0);
          if (!close(sum, r.value))
            throw new Error(`${r.kpi} ${r.scope_type} ${r.scope_id}: days ${sum} month ${r.value}`);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('intensities of rolled-up scopes are ratios of sums, never averages', () => {
    const { plant, data } = build({
      areas: 2,
      teamFromDay: 10,
      meters: [{ shares: [0.25, 0.75], rate: 100, gas: false }],
    });
    const rows = computePeriod(plant, data, MONTH).kpis;
    // branch B0 holds area A0 only; the committee holds both areas and one product: intensity = sum tce / sum output
    const tce = value(rows, 'energy.total', 'committee', 'C');
    const out = value(rows, 'output.p', 'committee', 'C');
    expect(value(rows, 'intensity.energy', 'committee', 'C')).toBeCloseTo((tce * 1000) / out, 9);
    const avg =
      (value(rows, 'intensity.energy', 'area', 'A0') + value(rows, 'intensity.energy', 'area', 'A1')) / 2;
    expect(Math.abs(avg - value(rows, 'intensity.energy', 'committee', 'C'))).toBeGreaterThan(1e-6);
  });
});
