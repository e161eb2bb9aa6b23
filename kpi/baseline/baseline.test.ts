/** The baseline arithmetic: fits, ASHRAE Guideline 14 statistics and flags, savings (issue 13's acceptance numbers). */
import { describe, expect, it } from 'vitest';
import { fitModel, predict } from './fit.ts';
import { addSaved, type ReportingUnit, unitSavings } from './savings.ts';
import { ashraeLimits, ashraePass, fitStatistics } from './stats.ts';

const unit = (actual: number, x: number[]): ReportingUnit => ({
  label: 'u',
  actual,
  x,
  tcePerUnit: 0.001,
  co2PerUnit: 0.002,
  provisional: false,
});

describe('fitModel', () => {
  it('recovers E = 5,000 + 75·P from noiseless data, R² = 1 (to 1e-9)', () => {
    const P = [8000, 9000, 10_500, 11_000, 12_500, 13_000, 9500, 10_000, 11_800, 12_174.27, 7400, 10_250];
    const f = fitModel(
      'regression',
      P.map((p) => [p]),
      P.map((p) => 5000 + 75 * p),
    );
    expect(f.intercept).toBeCloseTo(5000, 5);
    expect(f.slopes[0]).toBeCloseTo(75, 9);
    expect(Math.abs(f.stats.r2 - 1)).toBeLessThan(1e-9);
    expect(f.stats).toMatchObject({ n: 12, p: 2 });
    expect(Math.abs(f.stats.cvrmsePct)).toBeLessThan(1e-9);
  });

  it('recovers a two-driver regression E = 1,200 + 60·P + 35·HDD from noiseless data', () => {
    const rows = [
      [900, 420],
      [1000, 380],
      [1100, 250],
      [950, 120],
      [1200, 30],
      [1050, 0],
      [980, 0],
      [1120, 10],
      [1010, 90],
      [990, 210],
      [1080, 330],
      [1150, 450],
    ];
    const f = fitModel(
      'regression',
      rows,
      rows.map(([p, h]) => 1200 + 60 * p! + 35 * h!),
    );
    expect(f.intercept).toBeCloseTo(1200, 6);
    expect(f.slopes[0]).toBeCloseTo(60, 9);
    expect(f.slopes[1]).toBeCloseTo(35, 9);
    expect(Math.abs(f.stats.r2 - 1)).toBeLessThan(1e-9);
    expect(f.stats.p).toBe(3);
    expect(predict(f, [1000, 100])).toBeCloseTo(64_700, 6);
  });

  it('a ratio is Σ energy / Σ driver (summed parts, not a mean of the months’ ratios)', () => {
    // months of 1,000 t at 80 and 3,000 t at 76: (80,000 + 228,000) / 4,000 = 77 (a mean of ratios would say 78)
    const f = fitModel('ratio', [[1000], [3000]], [80_000, 228_000]);
    expect(f.slopes).toEqual([77]);
    expect(f.intercept).toBe(0);
    expect(f.stats.p).toBe(1);
  });

  it('R² and CV(RMSE) of a small noisy regression match the hand computation', () => {
    // x = 1..5, y = 2.0, 4.1, 5.9, 8.2, 9.8: x̄ = 3, ȳ = 6, Sxx = 10,
    // Sxy = (−2)(−4) + (−1)(−1.9) + 0 + (1)(2.2) + (2)(3.8) = 19.7 → b1 = 1.97, b0 = 6 − 3·1.97 = 0.09
    // ŷ = 2.06, 4.03, 6.00, 7.97, 9.94; residuals −0.06, 0.07, −0.10, 0.23, −0.14 (Σ = 0, so NMBE = 0)
    // SSres = 0.0036 + 0.0049 + 0.01 + 0.0529 + 0.0196 = 0.091; SStot = 16 + 3.61 + 0.01 + 4.84 + 14.44 = 38.9
    // R² = 1 − 0.091 / 38.9 = 0.997660668…; CV(RMSE) = 100 · √(0.091 / (5 − 2)) / 6 = 100 · 0.174165 / 6 = 2.902745…%
    const f = fitModel('regression', [[1], [2], [3], [4], [5]], [2.0, 4.1, 5.9, 8.2, 9.8]);
    expect(f.slopes[0]).toBeCloseTo(1.97, 12);
    expect(f.intercept).toBeCloseTo(0.09, 12);
    expect(f.stats.r2).toBeCloseTo(1 - 0.091 / 38.9, 12);
    expect(f.stats.cvrmsePct).toBeCloseTo((100 * Math.sqrt(0.091 / 3)) / 6, 10);
    expect(f.stats.cvrmsePct).toBeCloseTo(2.902745, 5);
    expect(f.stats.nmbePct).toBeCloseTo(0, 10);
  });

  it('says why when the data cannot give a model', () => {
    expect(() => fitModel('regression', [[1], [2]], [1, 2])).toThrow(/at least 3/);
    expect(() => fitModel('ratio', [[0], [0]], [1, 2])).toThrow(/sums to 0/);
    expect(() => fitModel('ratio', [], [])).toThrow(/no observations/);
  });
});

describe('fitStatistics', () => {
  it('NMBE with n − p degrees of freedom, by hand', () => {
    // y = 10, 12, 14; ŷ = 9, 12, 13; residuals 1, 0, 1; ȳ = 12; p = 1, so n − p = 2
    // NMBE = 100 · 2 / (2 · 12) = 8.333…%; CV(RMSE) = 100 · √(2 / 2) / 12 = 8.333…%; R² = 1 − 2 / 8 = 0.75
    const s = fitStatistics([10, 12, 14], [9, 12, 13], 1);
    expect(s.nmbePct).toBeCloseTo(100 / 12, 12);
    expect(s.cvrmsePct).toBeCloseTo(100 / 12, 12);
    expect(s.r2).toBeCloseTo(0.75, 12);
  });

  it('needs more observations than parameters', () => {
    expect(() => fitStatistics([1, 2], [1, 2], 2)).toThrow(/more observations than parameters/);
  });
});

describe('ASHRAE Guideline 14 flags', () => {
  it('monthly: CV(RMSE) ≤ 15 % and NMBE within ±5 %', () => {
    expect(ashraeLimits('month')).toEqual({ cvrmsePct: 15, nmbePct: 5 });
    expect(ashraePass({ cvrmsePct: 15, nmbePct: -5 }, 'month').pass).toBe(true);
    expect(ashraePass({ cvrmsePct: 15.01, nmbePct: 0 }, 'month')).toEqual({
      pass: false,
      cvrmsePass: false,
      nmbePass: true,
    });
    expect(ashraePass({ cvrmsePct: 10, nmbePct: 5.01 }, 'month')).toEqual({
      pass: false,
      cvrmsePass: true,
      nmbePass: false,
    });
  });

  it('daily (and hourly): CV(RMSE) ≤ 30 % and NMBE within ±10 %', () => {
    expect(ashraeLimits('day')).toEqual({ cvrmsePct: 30, nmbePct: 10 });
    expect(ashraeLimits('hour')).toEqual({ cvrmsePct: 30, nmbePct: 10 });
    // what fails a monthly baseline passes a daily one
    expect(ashraePass({ cvrmsePct: 25, nmbePct: -8 }, 'month').pass).toBe(false);
    expect(ashraePass({ cvrmsePct: 25, nmbePct: -8 }, 'day').pass).toBe(true);
    expect(ashraePass({ cvrmsePct: 30, nmbePct: 10 }, 'day').pass).toBe(true);
    expect(ashraePass({ cvrmsePct: 30.01, nmbePct: 0 }, 'day').pass).toBe(false);
    expect(ashraePass({ cvrmsePct: 0, nmbePct: -10.01 }, 'day').pass).toBe(false);
  });
});

describe('savings', () => {
  it('ratio baseline 78 Nm³/t, a month of 12,174.27 t at 74 Nm³/t: 48,697.08 Nm³ saved', () => {
    const f = fitModel('ratio', [[10_000], [12_000], [9_000]], [780_000, 936_000, 702_000]);
    expect(f.slopes[0]).toBeCloseTo(78, 12);
    const s = unitSavings(f, unit(12_174.27 * 74, [12_174.27]));
    expect(s.energy).toBeCloseTo(48_697.08, 6);
    expect(s.adjusted).toBeCloseTo(949_593.06, 6);
    expect(s.tce).toBeCloseTo(48.69708, 8);
    expect(s.co2).toBeCloseTo(97.39416, 8);
  });

  it('stay correct when production rises: the baseline intensity at double production saves 0', () => {
    const ratio = fitModel('ratio', [[10_000], [12_000]], [780_000, 936_000]);
    expect(unitSavings(ratio, unit(78 * 24_000, [24_000])).energy).toBeCloseTo(0, 6);
    const P = [8000, 9000, 10_000, 11_000, 12_000];
    const reg = fitModel(
      'regression',
      P.map((p) => [p]),
      P.map((p) => 5000 + 75 * p),
    );
    // twice the baseline's top production, on the baseline's line: nothing saved, nothing lost
    expect(Math.abs(unitSavings(reg, unit(5000 + 75 * 24_000, [24_000])).energy)).toBeLessThan(1e-6);
    // while the energy alone rose by 91 %: comparing with the baseline's energy would call it a loss
    expect(5000 + 75 * 24_000).toBeGreaterThan(1.9 * (5000 + 75 * 10_000));
  });

  it('add over periods', () => {
    const f = { intercept: 0, slopes: [78] };
    const total = addSaved([unitSavings(f, unit(7400, [100])), unitSavings(f, unit(7600, [100]))]);
    expect(total).toMatchObject({ adjusted: 15_600, actual: 15_000, energy: 600, provisional: false });
  });
});
