import { describe, expect, it } from 'vitest';
import { editDistance } from '../config/suggest.ts';
import { suggest } from './suggest.ts';

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('confg', 'config')).toBe(1);
    expect(editDistance('cnofig', 'config')).toBe(1);
    expect(editDistance('perod', 'period')).toBe(1);
    expect(editDistance('kpi', 'kpi')).toBe(0);
    expect(editDistance('', 'data')).toBe(4);
  });
  it('suggests the nearest known word, a word typed short, and nothing when none is near', () => {
    const options = ['config', 'data', 'period', 'format'];
    expect(suggest('confg', options)).toBe('config');
    expect(suggest('fromat', options)).toBe('format');
    expect(suggest('Period', options)).toBe('period');
    expect(suggest('conf', options)).toBe('config');
    expect(suggest('verbose', options)).toBeUndefined();
    expect(suggest('x', options)).toBeUndefined();
    expect(suggest('kpis', ['validate', 'kpi', 'export'])).toBe('kpi');
    expect(suggest('frobnicate', ['validate', 'kpi', 'export'])).toBeUndefined();
  });
});
