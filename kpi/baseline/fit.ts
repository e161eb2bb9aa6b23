/**
 * Pure: a baseline model fitted to observations (one per day or month of the baseline period). A ratio EnPI is
 * Σ energy / Σ driver (summed parts, never a mean of ratios); a regression is least squares with an intercept, done by
 * ml-regression-multivariate-linear (ml-matrix), not by linear algebra of our own.
 */
import MLR from 'ml-regression-multivariate-linear';
import { type FitStatistics, fitStatistics } from './stats.ts';

export interface Fitted {
  type: 'ratio' | 'regression';
  /** regression: b0; ratio: 0 */
  intercept: number;
  /** one per driver: the ratio itself, or the regression's b_i */
  slopes: number[];
  stats: FitStatistics;
}

/** The model's energy for one period's drivers. */
export function predict(m: Pick<Fitted, 'intercept' | 'slopes'>, x: readonly number[]): number {
  if (x.length !== m.slopes.length)
    throw new RangeError(`the model has ${m.slopes.length} driver(s), got ${x.length} value(s)`);
  return m.slopes.reduce((acc, b, i) => acc + b * x[i]!, m.intercept);
}

/**
 * Fits `y ≈ model(x)`; x holds one row of driver values per observation. Throws a RangeError that says why when
 * the data cannot give a model (too few observations, a ratio's driver summing to 0).
 */
export function fitModel(type: 'ratio' | 'regression', x: readonly number[][], y: readonly number[]): Fitted {
  if (x.length !== y.length) throw new RangeError(`${x.length} driver rows for ${y.length} observations`);
  if (y.length === 0) throw new RangeError('no observations');
  if (type === 'ratio') {
    if (x.some((r) => r.length !== 1)) throw new RangeError('a ratio baseline has exactly one driver');
    const sumX = x.reduce((a, r) => a + r[0]!, 0);
    if (sumX === 0) throw new RangeError('the driver sums to 0 over the baseline period: no ratio');
    const ratio = y.reduce((a, b) => a + b, 0) / sumX;
    const m = { intercept: 0, slopes: [ratio] };
    return {
      type,
      ...m,
      stats: fitStatistics(
        y,
        x.map((r) => predict(m, r)),
        1,
      ),
    };
  }
  const k = x[0]!.length;
  const p = k + 1;
  if (y.length <= p)
    throw new RangeError(
      `${y.length} observation(s) for a regression on ${k} driver(s): it needs at least ${p + 1}`,
    );
  const mlr = new MLR(
    x.map((r) => [...r]),
    y.map((v) => [v]),
    { intercept: true, statistics: false },
  );
  // weights: one row per driver, then the intercept's
  const slopes = mlr.weights.slice(0, k).map((w) => w[0]!);
  const intercept = mlr.weights[k]![0]!;
  if (![intercept, ...slopes].every(Number.isFinite))
    throw new RangeError('the regression has no unique solution: are two drivers the same, or one constant?');
  const m = { intercept, slopes };
  return {
    type,
    ...m,
    stats: fitStatistics(
      y,
      x.map((r) => predict(m, r)),
      p,
    ),
  };
}
