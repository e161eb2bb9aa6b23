/** The plantkpi command's documented messages and exit codes, in-process and once through the real bin. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, REFERENCE_CONFIG, ROOT, tempDir } from './helpers.ts';

const tmp = tempDir('plantkpi-cli-');
afterAll(() => tmp.cleanup());

describe('plantkpi validate', () => {
  it('accepts the reference plant config', async () => {
    const r = await cli('validate', REFERENCE_CONFIG);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ok — 8 signals, 2 branches, 2 areas, 1 teams/);
  });
  it('lists every problem with its path and exits 3', async () => {
    const r = await cli('validate', path.join(ROOT, 'config', 'testdata', 'bad-plant.yaml'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/problem\(s\)/);
    expect(r.err).toContain("signals[4].carrier: unknown carrier 'steam'");
    expect(r.err).toContain("organisation.areas[2].branch: unknown branch 'B-9'");
    expect(r.err).toContain("targets[0].scope.id: unknown area 'A-9'");
  });
  it('says when the file cannot be read', async () => {
    const r = await cli('validate', path.join(tmp.dir, 'missing.yaml'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/\(file\): cannot read/);
  });
});

describe('plantkpi import with a broken CSV', () => {
  it('imports every valid line, lists the broken ones with line numbers, exits 4', async () => {
    const csv = path.join(tmp.dir, 'broken.csv');
    writeFileSync(
      csv,
      [
        'signal,time,value',
        'E-ELY,2026-10-01T00:00:00+08:00,9800000',
        'E-ELY,2026-10-01T01:00:00+08:00,not-a-number',
        'E-ELY,2026-10-01T02:00:00+08:00,9801055',
        '',
      ].join('\n'),
    );
    const data = path.join(tmp.dir, 'data');
    const r = await cli('import', csv, '--config', REFERENCE_CONFIG, '--data', data);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/2 readings imported from 4 lines/);
    expect(r.err).toContain(`${csv}:3: value 'not-a-number' is not a number`);
    expect(r.err).toMatch(/every other line was imported/);
    const k = await cli(
      'kpi',
      '--config',
      REFERENCE_CONFIG,
      '--period',
      '2026-10-01',
      '--data',
      data,
      '--format',
      'json',
    );
    const q = JSON.parse(k.out).quality[0].signals.find((s: { signal: string }) => s.signal === 'E-ELY');
    expect(q.present).toBe(2);
  });
});

describe('plantkpi usage errors', () => {
  it('an unknown command, a missing option and a bad period exit 2 with a hint', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    const noPeriod = await cli('kpi', '--config', REFERENCE_CONFIG);
    expect(noPeriod.code).toBe(2);
    expect(noPeriod.err).toMatch(/--period is required/);
    const bad = await cli('kpi', '--config', REFERENCE_CONFIG, '--period', 'Oct', '--data', tmp.dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/period 'Oct'.*a month '2026-10'/);
  });
});

describe('the bin', () => {
  it('runs through node as installed (tsx loader), printing help', async () => {
    const { stdout } = await promisify(execFile)('node', [path.join(ROOT, 'bin', 'plantkpi.js'), 'help']);
    expect(stdout).toMatch(/plantkpi — plant energy/);
  });
});
