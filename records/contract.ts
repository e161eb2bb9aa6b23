/**
 * The contract every RecordsStore passes (the embedded PGlite, PostgreSQL): one suite, run against each with a fresh
 * database per test and a clock the test moves. `sql` runs a statement on the same database behind the store's back
 * (a hand edit, as an auditor fears it); `reopen` closes the store and opens it again on the same data.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS } from './chain.ts';
import { handEditTests } from './contract-edits.ts';
import { responsibilityTests } from './contract-responsibility.ts';
import { usersTests } from './contract-users.ts';
import type { RecordsStore } from './port.ts';

export interface RecordsFixture {
  store: RecordsStore;
  /** runs one SQL statement on the store's database, outside the store; returns the store to go on with (the same,
   * or one opened again where the database is one process's at a time) */
  sql(text: string): Promise<RecordsStore>;
  /** closes the store and opens it again on the same database */
  reopen(): Promise<RecordsStore>;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 10, 1, 0, 30); // 2026-11-01T00:30Z

/**
 * `timeoutMs`: per test; the embedded store reopens a PGlite (about a second each, more on a busy machine) in the
 * tests of hand edits.
 */
export function recordsContract(
  name: string,
  make: (now: () => number) => Promise<RecordsFixture>,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): void {
  describe(`RecordsStore contract: ${name}`, { timeout: timeoutMs }, () => {
    let fx: RecordsFixture;
    let store: RecordsStore;
    let clock = T0;
    beforeEach(async () => {
      clock = T0;
      fx = await make(() => clock);
      store = fx.store;
    });
    afterEach(async () => {
      await fx.store.close();
      await fx.cleanup();
    });
    const reopen = async () => {
      store = await fx.reopen();
      return store;
    };
    /** a hand edit behind the store's back */
    const edit = async (text: string) => {
      store = await fx.sql(text);
      return store;
    };

    it('a fresh store is empty and its empty log verifies', async () => {
      expect(await store.locks()).toEqual([]);
      expect(await store.list()).toEqual([]);
      expect(await store.computed()).toEqual([]);
      expect(await store.manifest('2026-10')).toBeUndefined();
      expect(await store.isLocked('2026-10')).toBe(false);
      expect(await store.verify()).toEqual({ ok: true, checked: 0 });
    });

    it('lock locks once, with one audit entry; a second lock keeps the first and writes nothing', async () => {
      expect(await store.lock('2026-10', 'scheduler@a', 'month closed')).toBe(true);
      clock += 1000;
      expect(await store.lock('2026-10', 'someone', 'again')).toBe(false);
      expect(await store.isLocked('2026-10')).toBe(true);
      expect(await store.locks()).toEqual([
        { period: '2026-10', atMs: T0, by: 'scheduler@a', reason: 'month closed' },
      ]);
      const log = await store.list();
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({
        seq: 1,
        atMs: T0,
        action: 'lock',
        period: '2026-10',
        by: 'scheduler@a',
      });
      expect(log[0]?.prevHash).toBe(GENESIS);
    });

    it('reopen removes the lock and is always audited, locked or not; locks() lists by period', async () => {
      await store.lock('2026-10', 'scheduler', 'closed');
      await store.lock('2026-09', 'scheduler', 'closed');
      expect((await store.locks()).map((l) => l.period)).toEqual(['2026-09', '2026-10']);
      clock += 60_000;
      expect(await store.reopen('2026-10', 'li.wei', 'meter E-7 corrected')).toBe(true);
      expect(await store.reopen('2026-08', 'li.wei', 'checking')).toBe(false);
      expect(await store.isLocked('2026-10')).toBe(false);
      expect(await store.isLocked('2026-09')).toBe(true);
      const log = await store.list();
      expect(log.map((e) => [e.seq, e.action, e.period])).toEqual([
        [1, 'lock', '2026-10'],
        [2, 'lock', '2026-09'],
        [3, 'reopen', '2026-10'],
        [4, 'reopen', '2026-08'],
      ]);
      expect(log[2]).toMatchObject({ atMs: T0 + 60_000, by: 'li.wei', reason: 'meter E-7 corrected' });
      expect(log[2]?.detail).toEqual({ wasLocked: true });
      expect(log[3]?.detail).toEqual({ wasLocked: false });
      // a reopened month can be locked again
      expect(await store.lock('2026-10', 'scheduler', 'closed again')).toBe(true);
    });

    it('a lock whose audit entry cannot be written is not kept (one transaction)', async () => {
      await edit(`alter table audit_log add constraint no_boom check (reason <> 'boom')`);
      await expect(store.lock('2026-10', 'x', 'boom')).rejects.toThrow();
      expect(await store.isLocked('2026-10')).toBe(false);
      await store.lock('2026-10', 'x', 'fine');
      await expect(store.reopen('2026-10', 'x', 'boom')).rejects.toThrow();
      expect(await store.isLocked('2026-10')).toBe(true);
      expect(await store.verify()).toEqual({ ok: true, checked: 1 });
    });

    it('append chains entries: seq without gaps, the clock, each prevHash the hash before; period filter', async () => {
      const a = await store.append({
        action: 'recompute',
        period: '2026-10',
        by: 'w1',
        reason: 'config changed',
      });
      clock += 5;
      const b = await store.append({ action: 'decision', by: 'wang', reason: 'pledge confirmed' });
      const c = await store.append({
        action: 'recompute-refused',
        period: '2026-10',
        by: 'backfill',
        reason: 'locked',
        detail: { z: 1, a: [true, null, 'x'], m: { b: 2, a: 1 } },
      });
      expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
      expect([a.atMs, b.atMs]).toEqual([T0, T0 + 5]);
      expect(b.prevHash).toBe(a.hash);
      expect(c.prevHash).toBe(b.hash);
      expect(b.period).toBeNull();
      expect(new Set([a.hash, b.hash, c.hash]).size).toBe(3);
      expect(await store.list()).toEqual([a, b, c]);
      expect((await store.list({ period: '2026-10' })).map((e) => e.seq)).toEqual([1, 3]);
      expect((await store.list({ period: '2026-12' })).length).toBe(0);
      expect(c.detail).toEqual({ a: [true, null, 'x'], m: { a: 1, b: 2 }, z: 1 });
      expect(await store.verify()).toEqual({ ok: true, checked: 3 });
    });

    it('refuses an action that is not a plain name, and a manifest that is not JSON', async () => {
      await expect(store.append({ action: 'Lock it', by: 'x', reason: 'y' })).rejects.toThrow(/action/);
      await expect(store.saveManifest('2026-10', '{not json', 'x')).rejects.toThrow();
      expect(await store.list()).toEqual([]);
    });

    it('concurrent appends, locks and reopens keep one linear chain', async () => {
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 25; i++) {
        work.push(
          store.append({
            action: 'recompute',
            period: `2026-${String((i % 12) + 1).padStart(2, '0')}`,
            by: `w${i}`,
            reason: 'tick',
          }),
        );
        if (i % 5 === 0) work.push(store.lock(`2025-${String(i + 1).padStart(2, '0')}`, 'sched', 'close'));
        if (i % 7 === 0) work.push(store.reopen(`2025-${String(i + 1).padStart(2, '0')}`, 'ops', 'why not'));
      }
      await Promise.all(work);
      const log = await store.list();
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
      expect(log.length).toBeGreaterThanOrEqual(25 + 4);
      expect(await store.verify()).toEqual({ ok: true, checked: log.length });
    });

    it('the computed-period index: record replaces, get and computed() by kind then period', async () => {
      const e = {
        kind: 'month',
        period: '2026-10',
        configHash: 'c1',
        fingerprint: 'f1',
        atMs: T0,
        worker: 'w@a:1',
      };
      await store.record(e);
      await store.record({ ...e, kind: 'day', period: '2026-10-05' });
      await store.record({ ...e, kind: 'day', period: '2026-10-04' });
      await store.record({ ...e, fingerprint: 'f2', atMs: T0 + 1, worker: 'w@b:2' });
      expect(await store.get('month', '2026-10')).toEqual({
        ...e,
        fingerprint: 'f2',
        atMs: T0 + 1,
        worker: 'w@b:2',
      });
      expect(await store.get('month', '2026-09')).toBeUndefined();
      expect((await store.computed()).map((c) => `${c.kind} ${c.period}`)).toEqual([
        'day 2026-10-04',
        'day 2026-10-05',
        'month 2026-10',
      ]);
    });

    it('requests: pending until a computation as recent as the request is recorded, a new request pends again', async () => {
      const done = (kind: string, period: string, atMs: number) =>
        store.record({ kind, period, configHash: 'c', fingerprint: 'f', atMs, worker: 'w@a:1' });
      expect(await store.pending()).toEqual([]);
      await store.request([{ kind: 'day', period: '2026-10-02', by: 'backfill@h', reason: 'backfill' }]);
      await store.request([{ kind: 'day', period: '2026-10-01', by: 'backfill@h', reason: 'backfill' }]);
      await store.request([{ kind: 'month', period: '2026-10', by: 'scheduler@h', reason: 'schedule' }]);
      // a computation older than the request does not answer it
      await done('day', '2026-10-01', T0 - 1);
      expect((await store.pending()).map((r) => `${r.kind} ${r.period}`)).toEqual([
        'day 2026-10-01',
        'day 2026-10-02',
        'month 2026-10',
      ]);
      await done('day', '2026-10-01', T0);
      clock += 5;
      await done('month', '2026-10', clock);
      expect(await store.pending()).toEqual([
        { kind: 'day', period: '2026-10-02', atMs: T0, by: 'backfill@h', reason: 'backfill' },
      ]);
      // asked again later (a recompute): pending again, with the new request's time, reason and asker
      clock += 5;
      await store.request([{ kind: 'month', period: '2026-10', by: 'li.wei', reason: 'recompute' }]);
      expect((await store.pending()).map((r) => [r.kind, r.period, r.atMs, r.by, r.reason])).toEqual([
        ['day', '2026-10-02', T0, 'backfill@h', 'backfill'],
        ['month', '2026-10', T0 + 10, 'li.wei', 'recompute'],
      ]);
    });

    it('export manifests are kept byte for byte, replaced by a new export, each save audited', async () => {
      const text = '{"period":"2026-10","files":[{"name":"kpi.csv","sha256":"ab"}]}\n';
      const saved = await store.saveManifest('2026-10', text, 'worker@a');
      expect(saved).toEqual({ period: '2026-10', manifestJson: text, by: 'worker@a', atMs: T0 });
      expect(await store.manifest('2026-10')).toEqual(saved);
      clock += 10;
      await store.saveManifest('2026-10', '{"v":2}', 'li.wei');
      expect(await store.manifest('2026-10')).toEqual({
        period: '2026-10',
        manifestJson: '{"v":2}',
        by: 'li.wei',
        atMs: T0 + 10,
      });
      const log = await store.list({ period: '2026-10' });
      expect(log.map((e) => e.action)).toEqual(['export', 'export']);
      expect(log[0]?.detail?.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it('everything is still there after the store is closed and opened again', async () => {
      await store.lock('2026-10', 's', 'closed');
      await store.append({ action: 'decision', by: 'wang', reason: 'ok', detail: { n: 1.5 } });
      await store.record({
        kind: 'hour',
        period: '2026-10-01T00',
        configHash: 'c',
        fingerprint: 'f',
        atMs: T0,
        worker: 'w',
      });
      await store.saveManifest('2026-10', '{}', 's');
      const before = await store.list();
      await reopen();
      expect(await store.isLocked('2026-10')).toBe(true);
      expect(await store.list()).toEqual(before);
      expect((await store.computed()).length).toBe(1);
      expect((await store.manifest('2026-10'))?.manifestJson).toBe('{}');
      expect(await store.verify()).toEqual({ ok: true, checked: 3 });
      const next = await store.append({ action: 'decision', by: 'x', reason: 'y' });
      expect(next.prevHash).toBe(before.at(-1)?.hash);
    });

    handEditTests(() => ({ store, edit }));
    responsibilityTests(() => ({ store, reopen }));
    usersTests(() => ({ store, reopen, edit, now: () => clock }));
  });
}
