/** Compares computed rows with an expected.json (golden case): every expected row must be present and equal. */
import type { PeriodResult } from '../kpi/rows.ts';

interface ExpectedFile {
  kpis: { kpi: string; scope_type: string; scope_id: string; period: string; value: number; unit: string }[];
  targets: {
    kpi: string;
    scope_type: string;
    scope_id: string;
    period: string;
    target_max?: number;
    target_min?: number;
    actual: number;
    status: string;
  }[];
}

export interface Comparison {
  total: number;
  matched: number;
  mismatches: string[];
}

export function relClose(a: number, b: number, rel: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

export function compareWithExpected(
  expected: ExpectedFile,
  results: readonly PeriodResult[],
  rel: number,
): Comparison {
  const kpis = results.flatMap((r) => r.kpis);
  const targets = results.flatMap((r) => r.targets);
  const key = (r: { kpi: string; scope_type: string; scope_id: string; period: string }) =>
    `${r.kpi}|${r.scope_type}|${r.scope_id}|${r.period}`;
  const mismatches: string[] = [];
  let matched = 0;
  for (const e of expected.kpis) {
    const got = kpis.find((r) => key(r) === key(e));
    if (got === undefined) mismatches.push(`${key(e)}: missing (expected ${e.value} ${e.unit})`);
    else if (got.unit !== e.unit) mismatches.push(`${key(e)}: unit ${got.unit}, expected ${e.unit}`);
    else if (!relClose(got.value, e.value, rel))
      mismatches.push(`${key(e)}: ${got.value}, expected ${e.value}`);
    else matched++;
  }
  for (const e of expected.targets) {
    const got = targets.find((r) => key(r) === key(e));
    if (got === undefined) mismatches.push(`target ${key(e)}: missing`);
    else if (got.status !== e.status)
      mismatches.push(`target ${key(e)}: ${got.status}, expected ${e.status}`);
    else if (got.actual === null || !relClose(got.actual, e.actual, rel)) {
      mismatches.push(`target ${key(e)}: actual ${got.actual}, expected ${e.actual}`);
    } else if (e.target_max !== undefined && got.target_max !== e.target_max) {
      mismatches.push(`target ${key(e)}: target_max ${got.target_max}, expected ${e.target_max}`);
    } else matched++;
  }
  return { total: expected.kpis.length + expected.targets.length, matched, mismatches };
}
