import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../transforms/periods.ts';
import type { Target } from '../plant.ts';
import { changePct, elapsedFraction, progressPct, targetPeriodFor, trackRow } from './track.ts';

const SH = 'Asia/Shanghai';
const oct = parsePeriod('2026-10', SH);
const year = parsePeriod('2026', SH);
const target = (kpi: string, rest: Partial<Target>): Target => ({
  kpi,
  scope: { type: 'area', id: 'A' },
  ...rest,
});
const none = { value: null };

describe('which targets a period tracks', () => {
  it("a month tracks its own targets and those of the quarter and year holding it, never a day's", () => {
    const label = (t: Partial<Target>) => targetPeriodFor(target('energy.total', t), oct)?.label ?? null;
    expect(label({ period: '2026-10' })).toBe('2026-10');
    expect(label({ period: '2026' })).toBe('2026');
    expect(label({ period: '2026-Q4' })).toBe('2026-Q4');
    expect(label({ every: 'month' })).toBe('2026-10');
    expect(label({ every: 'quarter' })).toBe('2026-Q4');
    expect(label({ every: 'year' })).toBe('2026');
    expect(label({ every: 'day' })).toBeNull();
    expect(label({ period: '2026-09' })).toBeNull();
    expect(label({ period: '2025' })).toBeNull();
    expect(targetPeriodFor(target('energy.total', { every: 'month' }), year)).toBeNull();
  });
});

describe('progress against a pro-rated target', () => {
  it('the elapsed share of 2026 at the end of October is 304 of 365 days', () => {
    expect(elapsedFraction(year.startMs, year.endMs, oct.endMs)).toBeCloseTo(304 / 365, 12);
    expect(elapsedFraction(year.startMs, year.endMs, year.endMs + 1)).toBe(1);
    expect(elapsedFraction(year.startMs, year.endMs, year.startMs - 1)).toBe(0);
  });

  it('an extensive annual target is pro-rated; an intensity is not', () => {
    const f = 304 / 365;
    expect(progressPct(500, 1000, f, true)).toBeCloseTo((500 / (1000 * f)) * 100, 10);
    expect(progressPct(15, 16, f, false)).toBeCloseTo(93.75, 10);
    expect(progressPct(null, 16, f, false)).toBeNull();
    expect(progressPct(3, 0, 1, true)).toBeNull();
  });

  it('a row of an annual tce target in October: on track inside the pro-rated line, off track beyond it', () => {
    const t = target('energy.total', { period: '2026', max: 1200 });
    const line = 1200 * (304 / 365); // 999.45 tce by the end of October
    const row = (ytd: number) =>
      trackRow(t, oct, year, {
        actual: { value: 90, unit: 'tce' },
        ytd: { value: ytd, unit: 'tce' },
        toDate: { value: ytd, unit: 'tce' },
        prevYear: { value: 100 },
        prevPeriod: { value: 80 },
      });
    const on = row(900);
    expect(on).toMatchObject({ target_period: '2026', period: '2026-10', status: 'on_track', unit: 'tce' });
    expect(on.progress_pct).toBeCloseTo((900 / line) * 100, 10);
    expect(on.margin_pct).toBeCloseTo(((line - 900) / line) * 100, 10);
    expect(on.elapsed_pct).toBeCloseTo((304 / 365) * 100, 10);
    expect(on.yoy_pct).toBeCloseTo(-10, 12);
    expect(on.mom_pct).toBeCloseTo(12.5, 12);
    expect(row(1000).status).toBe('off_track');
    // the year complete: met or missed against the whole target
    const dec = parsePeriod('2026-12', SH);
    const end = trackRow(t, dec, year, {
      actual: none,
      ytd: none,
      toDate: { value: 1100 },
      prevYear: none,
      prevPeriod: none,
    });
    expect([end.status, end.progress_pct, end.yoy_pct]).toEqual(['met', (1100 / 1200) * 100, null]);
  });

  it('an "at least" target of the period itself: met above it; no data without a to-date value', () => {
    const t = target('output.mg', { every: 'month', min: 100 });
    const r = trackRow(t, oct, oct, {
      actual: { value: 120 },
      ytd: none,
      toDate: { value: 120 },
      prevYear: none,
      prevPeriod: none,
    });
    expect([r.status, r.progress_pct, r.margin_pct, r.elapsed_pct]).toEqual(['met', 120, 20, 100]);
    const n = trackRow(t, oct, oct, {
      actual: none,
      ytd: none,
      toDate: none,
      prevYear: none,
      prevPeriod: none,
    });
    expect([n.status, n.progress_pct, n.margin_pct]).toEqual(['no_data', null, null]);
  });
});

describe('change in %', () => {
  it('is against the earlier value, null without one or against zero', () => {
    expect(changePct(110, 100)).toBeCloseTo(10, 12);
    expect(changePct(-90, -100)).toBeCloseTo(10, 12);
    expect(changePct(110, null)).toBeNull();
    expect(changePct(null, 100)).toBeNull();
    expect(changePct(5, 0)).toBeNull();
  });
});
