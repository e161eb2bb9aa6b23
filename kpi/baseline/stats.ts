/**
 * Pure: how well a baseline model fits its baseline period, in the terms of ASHRAE Guideline 14-2014 (§ 4.3.2.4 and
 * § 5.2.11.3), with n observations y_i, the model's predictions ŷ_i, their mean ȳ and p the number of the model's
 * parameters (a ratio: 1; a regression: its drivers plus the intercept):
 *
 *   R²        = 1 − Σ(y_i − ŷ_i)² / Σ(y_i − ȳ)²
 *   CV(RMSE)  = 100 × √( Σ(y_i − ŷ_i)² / (n − p) ) / ȳ                      [%]
 *   NMBE      = 100 × Σ(y_i − ŷ_i) / ((n − p) × ȳ)                          [%]
 *
 * A baseline is calibrated when CV(RMSE) ≤ 15 % and |NMBE| ≤ 5 % on monthly data, CV(RMSE) ≤ 30 % and |NMBE| ≤ 10 %
 * on daily or hourly data (Guideline 14, § 5.3.2.4 and § 6.3.3.4.2.2).
 */

export interface FitStatistics {
  /** observations */
  n: number;
  /** parameters of the model */
  p: number;
  r2: number;
  cvrmsePct: number;
  nmbePct: number;
}

export interface AshraeLimits {
  cvrmsePct: number;
  nmbePct: number;
}

/** Guideline 14's limits by the data's granularity. */
export function ashraeLimits(granularity: 'hour' | 'day' | 'month'): AshraeLimits {
  return granularity === 'month' ? { cvrmsePct: 15, nmbePct: 5 } : { cvrmsePct: 30, nmbePct: 10 };
}

/** Whether a fit stays within Guideline 14's limits for its granularity (a limit reached exactly passes). */
export function ashraePass(
  s: Pick<FitStatistics, 'cvrmsePct' | 'nmbePct'>,
  granularity: 'hour' | 'day' | 'month',
): { pass: boolean; cvrmsePass: boolean; nmbePass: boolean } {
  const lim = ashraeLimits(granularity);
  // a hair of float noise (14.999999999999998 % vs 15 %) is not a failure
  const eps = 1e-9;
  const cvrmsePass = s.cvrmsePct <= lim.cvrmsePct + eps;
  const nmbePass = Math.abs(s.nmbePct) <= lim.nmbePct + eps;
  return { pass: cvrmsePass && nmbePass, cvrmsePass, nmbePass };
}

/** R², CV(RMSE) and NMBE as above; needs n > p and ȳ ≠ 0 (else a RangeError says which). */
export function fitStatistics(y: readonly number[], yHat: readonly number[], p: number): FitStatistics {
  const n = y.length;
  if (yHat.length !== n)
    throw new RangeError(`fitStatistics: ${n} observations but ${yHat.length} predictions`);
  if (n <= p)
    throw new RangeError(
      `${n} observation(s) for a model of ${p} parameter(s): the statistics need more observations than parameters`,
    );
  const mean = y.reduce((a, b) => a + b, 0) / n;
  if (mean === 0)
    throw new RangeError('the mean energy of the baseline period is 0: CV(RMSE) and NMBE are undefined');
  let ssRes = 0;
  let ssTot = 0;
  let bias = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i]! - yHat[i]!;
    ssRes += r * r;
    bias += r;
    ssTot += (y[i]! - mean) ** 2;
  }
  // all observations equal: the model explains all there is when it hits them, nothing otherwise
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  return {
    n,
    p,
    r2,
    cvrmsePct: (100 * Math.sqrt(ssRes / (n - p))) / mean,
    nmbePct: (100 * bias) / ((n - p) * mean),
  };
}
