/**
 * The part of the records contract about the responsibility loop: task closures (kept until a person reopens them)
 * and the points ledger (computed entries replaced per period, manual awards kept), each decision audited.
 */
import { describe, expect, it } from 'vitest';
import type { RecordsStore } from './port.ts';

export function responsibilityTests(
  ctx: () => { store: RecordsStore; reopen(): Promise<RecordsStore> },
): void {
  describe('task closures and the points ledger', () => {
    const closure = {
      task: 'K-1',
      period: '2026-10',
      source: 'kpi' as const,
      effectiveMs: 1_793_462_400_000,
      by: 'worker@h:1',
      evidence: 'intensity.energy ≤ 16: 2026-10 15.714',
    };

    it('a closure stands: a second close keeps the first, both readable after a reopen of the store', async () => {
      const first = await ctx().store.closeTask(closure);
      expect(first.made).toBe(true);
      const again = await ctx().store.closeTask({ ...closure, period: '2026-11', source: 'manual', by: 'x' });
      expect(again).toEqual({ closure: first.closure, made: false });
      const store = await ctx().reopen();
      expect(await store.closures()).toEqual([first.closure]);
      const audit = await store.list();
      expect(audit.map((e) => [e.action, e.period, e.detail?.task])).toEqual([
        ['task-close', '2026-10', 'K-1'],
      ]);
      expect(await store.verify()).toMatchObject({ ok: true, checked: 1 });
    });

    it('a person reopens a closure, audited with who and why; reopening an open task is audited too', async () => {
      await ctx().store.closeTask(closure);
      expect(await ctx().store.reopenTask('K-1', '王书记', '数据更正 meter corrected')).toBe(true);
      expect(await ctx().store.closures()).toEqual([]);
      expect(await ctx().store.reopenTask('K-1', '王书记', 'again')).toBe(false);
      const audit = await ctx().store.list();
      expect(audit.map((e) => [e.action, e.by, e.detail?.wasClosed])).toEqual([
        ['task-close', 'worker@h:1', undefined],
        ['task-reopen', '王书记', true],
        ['task-reopen', '王书记', false],
      ]);
    });

    it('a recompute replaces the computed entries of its period only; manual awards stay', async () => {
      const base = { scope_type: 'area', reason: 'r', by: 'worker' };
      await ctx().store.replaceLedger('2026-10', [
        { ...base, period: '2026-10', scope_id: 'A-1', points: 10, source: 'target', ref: 'rule' },
        { ...base, period: '2026-10', scope_id: 'A-2', points: -2, source: 'target', ref: 'rule' },
      ]);
      await ctx().store.replaceLedger('2026-09', [
        { ...base, period: '2026-09', scope_id: 'A-1', points: 11, source: 'target', ref: 'rule' },
      ]);
      const award = await ctx().store.award({
        period: '2026-10',
        scope_type: 'branch',
        scope_id: 'B-1',
        points: 2.5,
        by: '李主任',
        reason: '抢修保供 emergency repair',
      });
      expect(award.id).toMatch(/^award-\d+$/);
      await ctx().store.replaceLedger('2026-10', [
        { ...base, period: '2026-10', scope_id: 'A-1', points: 12, source: 'target', ref: 'rule' },
      ]);
      const oct = await ctx().store.ledger({ period: '2026-10' });
      // by id: computed ids start with their period, awards with 'award-'
      expect(oct.map((e) => [e.scope_id, e.points, e.source])).toEqual([
        ['A-1', 12, 'target'],
        ['B-1', 2.5, 'manual'],
      ]);
      expect((await ctx().store.ledger()).map((e) => e.period)).toEqual(['2026-09', '2026-10', '2026-10']);
      const audit = await ctx().store.list();
      expect(audit.map((e) => [e.action, e.detail?.points])).toEqual([['points-award', 2.5]]);
      await expect(
        ctx().store.replaceLedger('2026-10', [
          { ...base, period: '2026-10', scope_id: 'A', points: 1, source: 'manual', ref: 'x' },
        ]),
      ).rejects.toThrow(/computed entries only/);
    });
  });
}
