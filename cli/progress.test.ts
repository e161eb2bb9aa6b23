import { describe, expect, it } from 'vitest';
import { progressTo } from './progress.ts';

/** what the demo's simulation step reports: a bar redrawn once a day, then the line ended */
function bars(p: (t: string) => void, days: number) {
  p('starting\n');
  for (let d = 1; d <= days; d++) p(`\r模拟 Simulating [${'#'.repeat(d)}] day ${d} of ${days}`);
  p('\n');
  p('\r作业 Jobs on Redis: 1/3');
  p('\r作业 Jobs on Redis: 3/3');
}

describe('progress', () => {
  it('on a terminal, passes the redraws through', () => {
    let out = '';
    const p = progressTo({ out: (t) => (out += t), err: () => {}, isTTY: true });
    bars(p, 31);
    p.flush();
    expect(out.match(/\r/g)).toHaveLength(33);
  });

  it('into a log, writes each bar once, as a plain line in its last state: no \\r at all', () => {
    let out = '';
    const p = progressTo({ out: (t) => (out += t), err: () => {} });
    bars(p, 31);
    // a bar that ended without its newline (the jobs' count) is written when the command flushes
    expect(out).toBe('starting\n模拟 Simulating [###############################] day 31 of 31\n');
    p.flush();
    expect(out).not.toContain('\r');
    expect(out.split('\n').slice(1, -1)).toEqual([
      '模拟 Simulating [###############################] day 31 of 31',
      '作业 Jobs on Redis: 3/3',
    ]);
  });
});
