/**
 * The part of the records contract about hand edits behind the store's back: verify() names the first bad entry
 * for an edited, forged, deleted or swapped entry. Run by recordsContract with its store and its `edit` hook.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { entryHash } from './chain.ts';
import type { RecordsStore } from './port.ts';

export interface EditContext {
  store: RecordsStore;
  /** runs one SQL statement on the store's database and returns the store to go on with */
  edit(text: string): Promise<RecordsStore>;
}

export function handEditTests(ctx: () => EditContext): void {
  describe('verify finds a hand edit', () => {
    beforeEach(async () => {
      await ctx().store.lock('2026-09', 'scheduler', 'closed');
      await ctx().store.lock('2026-10', 'scheduler', 'closed');
      await ctx().store.reopen('2026-10', 'li.wei', 'meter E-7 corrected');
      await ctx().store.append({
        action: 'recompute',
        period: '2026-10',
        by: 'w',
        reason: 'reopened',
        detail: { f: 'x' },
      });
      await ctx().store.lock('2026-10', 'scheduler', 'closed again');
    });

    it('an untouched log verifies', async () => {
      expect(await ctx().store.verify()).toEqual({ ok: true, checked: 5 });
    });

    it('an edited reason, time or detail names that entry', async () => {
      await ctx().edit(`update audit_log set reason = 'routine' where seq = 3`);
      expect(await ctx().store.verify()).toMatchObject({
        ok: false,
        checked: 2,
        firstBad: { seq: 3 },
      });
      await ctx().edit(`update audit_log set reason = 'meter E-7 corrected' where seq = 3`);
      expect((await ctx().store.verify()).ok).toBe(true);
      await ctx().edit(`update audit_log set at_ms = at_ms + 1 where seq = 2`);
      expect((await ctx().store.verify()).firstBad?.seq).toBe(2);
      await ctx().edit(`update audit_log set at_ms = at_ms - 1 where seq = 2`);
      await ctx().edit(`update audit_log set detail = '{"f":"y"}' where seq = 4`);
      const r = await ctx().store.verify();
      expect(r.firstBad).toEqual({ seq: 4, reason: expect.stringMatching(/edited/) });
    });

    it('an edit whose own hash is recomputed breaks the link from the next entry', async () => {
      const third = (await ctx().store.list())[2];
      if (third === undefined) throw new Error('no entry 3');
      const forged = { ...third, reason: 'routine' };
      await ctx().edit(
        `update audit_log set reason = 'routine', hash = '${entryHash(forged)}' where seq = 3`,
      );
      const r = await ctx().store.verify();
      expect(r).toMatchObject({ ok: false, checked: 3, firstBad: { seq: 4 } });
      expect(r.firstBad?.reason).toMatch(/prevHash/);
    });

    it('a deleted entry in the middle, at the end, or the first one is detected', async () => {
      await ctx().edit('delete from audit_log where seq = 3');
      let r = await ctx().store.verify();
      expect(r).toMatchObject({ ok: false, checked: 2, firstBad: { seq: 4 } });
      expect(r.firstBad?.reason).toMatch(/entry 3 is missing/);
      await ctx().edit('delete from audit_log where seq >= 4');
      r = await ctx().store.verify();
      expect(r).toMatchObject({ ok: false, checked: 2, firstBad: { seq: 3 } });
      expect(r.firstBad?.reason).toMatch(/deleted/);
      await ctx().edit('delete from audit_log where seq = 1');
      expect((await ctx().store.verify()).firstBad?.seq).toBe(2);
    });

    it('two entries swapped (seq exchanged) are detected', async () => {
      await ctx().edit('update audit_log set seq = -seq where seq in (2, 3)');
      await ctx().edit('update audit_log set seq = case seq when -2 then 3 else 2 end where seq < 0');
      const r = await ctx().store.verify();
      expect(r).toMatchObject({ ok: false, firstBad: { seq: 2 } });
    });
  });
}
