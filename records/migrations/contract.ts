/**
 * The migrations, run against each engine: from an empty database to the latest version, and from the previous
 * version with data in it (written by the store as it was then), keeping that data.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openKysely, openRecords, type RecordsTarget } from '../open.ts';
import { KyselyRecords } from '../store.ts';
import { LATEST, MIGRATIONS, migrate } from './index.ts';

const T0 = Date.UTC(2026, 10, 1);

async function applied(target: RecordsTarget): Promise<string[]> {
  const db = await openKysely(target);
  try {
    const r = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    return r.rows.map((x) => x.name);
  } finally {
    await db.destroy();
  }
}

async function hasIndex(target: RecordsTarget, name: string): Promise<boolean> {
  const db = await openKysely(target);
  try {
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_indexes where indexname = ${name}`.execute(db);
    return r.rows[0]?.n === 1;
  } finally {
    await db.destroy();
  }
}

export function migrationContract(
  name: string,
  makeTarget: () => Promise<RecordsTarget>,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): void {
  describe(`records migrations: ${name}`, { timeout: timeoutMs }, () => {
    it('open migrates an empty database to the latest version; opening again changes nothing', async () => {
      const target = await makeTarget();
      const store = await openRecords(target, { now: () => T0 });
      expect(await store.verify()).toEqual({ ok: true, checked: 0 });
      await store.close();
      expect(await applied(target)).toEqual(Object.keys(MIGRATIONS));
      expect(await hasIndex(target, 'audit_log_period_seq')).toBe(true);
      const db = await openKysely(target);
      expect(await migrate(db as never)).toEqual([]);
      await db.destroy();
    });

    it('a database at 001 with data in it migrates to the latest, keeping every record and the chain', async () => {
      const target = await makeTarget();
      const db = await openKysely(target);
      expect(await migrate(db as never, '001_initial')).toEqual(['001_initial']);
      const old = new KyselyRecords(db, () => T0);
      await old.lock('2026-10', 'scheduler', 'closed');
      await old.reopen('2026-10', 'li.wei', 'meter corrected');
      await old.lock('2026-09', 'scheduler', 'closed');
      await old.record({
        kind: 'month',
        period: '2026-09',
        configHash: 'c',
        fingerprint: 'f',
        atMs: T0,
        worker: 'w',
      });
      await old.saveManifest('2026-09', '{"files":[]}', 'worker');
      const before = await old.list();
      await old.close();
      expect(await applied(target)).toEqual(['001_initial']);
      expect(await hasIndex(target, 'audit_log_period_seq')).toBe(false);

      const store = await openRecords(target, { now: () => T0 + 1 });
      try {
        expect(await store.list()).toEqual(before);
        expect(await store.verify()).toEqual({ ok: true, checked: 4 });
        expect((await store.locks()).map((l) => l.period)).toEqual(['2026-09']);
        expect(await store.get('month', '2026-09')).toMatchObject({ fingerprint: 'f' });
        expect((await store.manifest('2026-09'))?.manifestJson).toBe('{"files":[]}');
        expect((await store.list({ period: '2026-10' })).map((e) => e.action)).toEqual(['lock', 'reopen']);
        // 003's table is there, empty, and works with the computed index migrated from 001
        expect(await store.pending()).toEqual([]);
        await store.request([{ kind: 'month', period: '2026-09', by: 'scheduler', reason: 'tick' }]);
        await store.request([{ kind: 'month', period: '2026-08', by: 'scheduler', reason: 'tick' }]);
        expect((await store.pending()).map((r) => r.period)).toEqual(['2026-08', '2026-09']);
      } finally {
        await store.close(); // the embedded folder is one opener's at a time
      }
      expect(LATEST).toBe('005_portal_users');
      expect(await applied(target)).toEqual(Object.keys(MIGRATIONS));
      expect(await hasIndex(target, 'audit_log_period_seq')).toBe(true);
    });

    it('a database at the previous version with data in it migrates to the latest, keeping every record', async () => {
      const previous = Object.keys(MIGRATIONS).at(-2)!;
      const target = await makeTarget();
      const db = await openKysely(target);
      await migrate(db as never, previous);
      const old = new KyselyRecords(db, () => T0);
      await old.lock('2026-10', 'scheduler', 'closed');
      await old.record({
        kind: 'day',
        period: '2026-10-01',
        configHash: 'c',
        fingerprint: 'f',
        atMs: T0,
        worker: 'w',
      });
      const before = await old.list();
      await old.close();
      expect(await applied(target)).toEqual(Object.keys(MIGRATIONS).slice(0, -1));
      const store = await openRecords(target, { now: () => T0 + 1 });
      try {
        expect(await store.list()).toEqual(before);
        expect(await store.verify()).toEqual({ ok: true, checked: 1 });
        expect(await store.get('day', '2026-10-01')).toMatchObject({ fingerprint: 'f' });
        // the new version's tables work beside the old rows: a closure and an award chain onto the old log
        await store.request([{ kind: 'day', period: '2026-10-02', by: 's', reason: 'backfill' }]);
        expect((await store.pending()).map((r) => r.period)).toEqual(['2026-10-02']);
        expect(
          (
            await store.closeTask({
              task: 'K-1',
              period: '2026-10',
              source: 'manual',
              effectiveMs: T0,
              by: 'w',
              evidence: 'e',
            })
          ).made,
        ).toBe(true);
        await store.award({
          period: '2026-10',
          scope_type: 'area',
          scope_id: 'A',
          points: 1,
          by: 'w',
          reason: 'r',
        });
        // and 005's users, audited onto the same chain
        await store.addUser(
          {
            username: 'li.wei',
            displayName: '李伟',
            role: 'energy_manager',
            branch: null,
            passwordHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==',
          },
          'admin',
        );
        expect((await store.users()).map((u) => u.username)).toEqual(['li.wei']);
        expect(await store.verify()).toEqual({ ok: true, checked: 4 });
      } finally {
        await store.close();
      }
      expect(await applied(target)).toEqual(Object.keys(MIGRATIONS));
    });
  });
}
