/** A scorecard as InfluxDB lines: exact lines, integers as integers, nulls left out, an unranked scope without rank. */
import { describe, expect, it } from 'vitest';
import type { Scorecard } from './build.ts';
import { scorecardLines } from './lines.ts';
import { dueText } from './present.ts';
import { SMALL } from './testdata/small-scorecard.ts';

const TZ = 'Asia/Shanghai';
/** 2026-10-01 00:00 in Shanghai */
const START = Date.UTC(2026, 8, 30, 16);

describe('scorecardLines', () => {
  it('writes every part of the scorecard, stamped at the period start in the plant zone', () => {
    expect(scorecardLines(SMALL, 'month', 'S', TZ)).toEqual([
      `scorecard_rank,group=areas,kpi=intensity.energy,period_kind=month,scope_id=A-1,scope_type=area,site=S rank=1i,ranked=1i,margin_pct=2.5,period="2026-10" ${START}`,
      `scorecard_rank,group=areas,kpi=intensity.energy,period_kind=month,scope_id=A\\ 2,scope_type=area,site=S ranked=0i,period="2026-10" ${START}`,
      `scorecard_points,period_kind=month,scope_id=A-1,scope_type=area,site=S points=12,target_points=12,task_points=0,manual_points=0,rolled_up_points=0,period="2026-10" ${START}`,
      `scorecard_points,period_kind=month,scope_id=A\\ 2,scope_type=area,site=S points=0,target_points=0,task_points=0,manual_points=0,rolled_up_points=0,period="2026-10" ${START}`,
      `scorecard_points,period_kind=month,scope_id=B-1,scope_type=branch,site=S points=17.5,target_points=0,task_points=0,manual_points=5.5,rolled_up_points=12,period="2026-10" ${START}`,
      `task_status,kind=task,owner_id=A-1,owner_type=area,period_kind=month,site=S,task=K-1 status="closed",status_code=1i,title="锅炉 \\"steam\\" at most 90",due="2026-12-31",closed_period="2026-10",on_time=true,evidence="intensity.energy ≤ 90: 2026-10 88.00 kgce/t",period="2026-10" ${START}`,
      `task_status,kind=pledge,owner_id=B-1,owner_type=branch,period_kind=month,site=S,task=P-1 status="overdue",status_code=2i,title="pledge",due="2026-09-30",period="2026-10" ${START}`,
      `target_track,kpi=energy.total,period_kind=month,scope_id=B-1,scope_type=branch,site=S,target_period=2026 target_max=1200,actual=95.5,ytd_actual=910,to_date_actual=910,elapsed_pct=83.5,progress_pct=90.8,margin_pct=9.2,status="on_track",prev_period=100,mom_pct=-4.5,unit="tce",provisional=false,period="2026-10" ${START}`,
    ]);
  });

  it('integer fields stay integers whatever their value; float fields stay floats even when whole', () => {
    const lines = scorecardLines(SMALL, 'month', 'S', TZ);
    const fields = (m: string) =>
      lines.filter((l) => l.startsWith(`${m},`)).flatMap((l) => l.split(' ')[1]!.split(','));
    for (const f of fields('scorecard_rank').filter((x) => /^rank(ed)?=/.test(x)))
      expect(f).toMatch(/=\d+i$/);
    for (const f of fields('task_status').filter((x) => x.startsWith('status_code=')))
      expect(f).toMatch(/=\di$/);
    // points 12 and 0 are floats (no i), so a later 17.5 is the same type
    expect(fields('scorecard_points').filter((x) => /i$/.test(x))).toEqual([]);
  });

  it('nulls are left out: an unranked scope has no rank and no margin, an open task no closing fields', () => {
    const lines = scorecardLines(SMALL, 'month', 'S', TZ);
    const unranked = lines.find((l) => l.includes('scope_id=A\\ 2') && l.startsWith('scorecard_rank'))!;
    expect(unranked).not.toMatch(/ rank=|margin_pct|value=/);
    expect(unranked).toMatch(/ ranked=0i,/);
    const open = lines.find((l) => l.includes('task=P-1'))!;
    expect(open).not.toMatch(/closed_period|on_time|evidence/);
    const tracked = lines.find((l) => l.startsWith('target_track'))!;
    expect(tracked).not.toMatch(/target_min|prev_year|yoy_pct/);
  });

  it('a group by value writes the value, not a margin', () => {
    const s: Scorecard = {
      ...SMALL,
      ranking: [{ ...SMALL.ranking[0]!, margin_pct: null, value: 88.25, rank: 2 }],
    };
    expect(scorecardLines(s, 'month', 'S', TZ)[0]).toContain(
      ' rank=2i,ranked=1i,value=88.25,period="2026-10" ',
    );
  });

  it('a due at local midnight shows as the day it ends; a due instant as its local time', () => {
    expect(dueText(Date.UTC(2026, 11, 31, 16), TZ)).toBe('2026-12-31');
    expect(dueText(Date.UTC(2026, 11, 31, 4, 30), TZ)).toBe('2026-12-31 12:30');
  });
});
