import { describe, expect, it } from 'vitest';
import type { Series } from '../store/port.ts';
import { binMeans, massKg, o2Corrected, pollutantHours } from './cems.ts';
import { parsePeriod, splitPeriod } from './periods.ts';

const H = 3_600_000;
const MIN = 60_000;

function series(points: [number, number][]): Series {
  return {
    times: Float64Array.from(points.map((p) => p[0])),
    values: Float64Array.from(points.map((p) => p[1])),
  };
}

describe('CEMS arithmetic', () => {
  it('mass: 35 mg/m3 × 180,000 m3/h × 1 h = 6.3 kg (acceptance)', () => {
    expect(massKg(35, 180_000, 1)).toBeCloseTo(6.3, 12);
  });

  it('O2 correction by hand: C=100 at 9 % O2, reference 3 % -> 150', () => {
    expect(o2Corrected(100, 9, 3)).toBe(150);
    expect(o2Corrected(100, 3, 3)).toBe(100);
    // at or above ambient O2 there is nothing to correct to
    expect(o2Corrected(100, 21, 3)).toBeNaN();
    expect(o2Corrected(100, 22, 3)).toBeNaN();
    expect(o2Corrected(100, Number.NaN, 3)).toBeNaN();
  });

  it('hourly means: arithmetic mean of the readings in the hour; an hour short of data is NaN', () => {
    // 5-minute samples: 12 slots per hour; hour 0 full, hour 1 with 8 of 12 (< 0.75), hour 2 with 9 of 12
    const pts: [number, number][] = [];
    for (let m = 0; m < 60; m += 5) pts.push([m * MIN, 10]);
    for (let m = 0; m < 40; m += 5) pts.push([H + m * MIN, 20]);
    for (let m = 0; m < 45; m += 5) pts.push([2 * H + m * MIN, m]);
    const means = binMeans(series(pts), [0, H, 2 * H, 3 * H], 5 * MIN, 0.75);
    expect(means[0]).toBe(10);
    expect(means[1]).toBeNaN();
    expect(means[2]).toBe(20); // (0 + 5 + ... + 40) / 9
  });

  it('hours follow the local clock of Asia/Shanghai: 00:00 local is 16:00 UTC the day before', () => {
    const day = parsePeriod('2026-10-05', 'Asia/Shanghai');
    const hours = splitPeriod(day, 'hour');
    const bounds = [hours[0]!.startMs, ...hours.map((h) => h.endMs)];
    expect(bounds).toHaveLength(25);
    expect(new Date(bounds[0]!).toISOString()).toBe('2026-10-04T16:00:00.000Z');
    // a reading at 23:59 local on the 4th belongs to no hour of the 5th; one at 00:00 to its first hour
    const s = series([
      [bounds[0]! - MIN, 1000],
      [bounds[0]!, 30],
      [bounds[0]! + 30 * MIN, 40],
    ]);
    const means = binMeans(s, bounds, 30 * MIN, 0.75);
    expect(means[0]).toBe(35);
    expect(means[1]).toBeNaN();
  });

  it('a missing hour adds no mass and is no exceedance, but is counted', () => {
    const bounds = [0, H, 2 * H, 3 * H];
    const conc = Float64Array.from([35, Number.NaN, 500]);
    const flow = Float64Array.from([180_000, 180_000, 100_000]);
    const o2 = Float64Array.from([9, 9, 21]);
    const r = pollutantHours(bounds, conc, flow, o2, { limitMgM3: 50, referenceO2Pct: 3 });
    expect(r.massKg).toBeCloseTo(6.3 + 50, 9);
    expect(r.missingMassHours).toBe(1);
    // hour 0: 35 × 18/12 = 52.5 > 50; hour 1 missing; hour 2 at 21 % O2 cannot be checked
    expect(r.exceedanceHours).toBe(1);
    expect(r.uncheckedHours).toBe(2);
  });

  it('without a reference O2 the measured concentration is checked; a partial hour counts its length', () => {
    const bounds = [0, H / 2, H + H / 2];
    const conc = Float64Array.from([60, 40]);
    const flow = Float64Array.from([100_000, 100_000]);
    const r = pollutantHours(bounds, conc, flow, undefined, { limitMgM3: 50 });
    expect(r.exceedanceHours).toBe(0.5);
    expect(r.massKg).toBeCloseTo(3 + 4, 12);
    expect(r.uncheckedHours).toBe(0);
  });
});
