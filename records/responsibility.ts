/**
 * The responsibility loop's records on Kysely (store.ts delegates here): task closures and the points ledger. Every
 * human decision (a closure by a person, a reopen, an award) writes its audit entry in the same transaction.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AuditEntry, AuditInput, PointsRecord, TaskClosure } from './port.ts';
import type { PointsEntryTable, RecordsDb, TaskClosureTable } from './tables.ts';

const num = (v: string | number | bigint): number => Number(v);

export type AppendIn = (trx: Transaction<RecordsDb>, input: AuditInput, atMs?: number) => Promise<AuditEntry>;

export async function closeTask(
  db: Kysely<RecordsDb>,
  append: AppendIn,
  atMs: number,
  c: Omit<TaskClosure, 'atMs'>,
): Promise<{ closure: TaskClosure; made: boolean }> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('task_closure')
      .values({
        task: c.task,
        period: c.period,
        source: c.source,
        at_ms: atMs,
        effective_ms: c.effectiveMs,
        by: c.by,
        evidence: c.evidence,
      })
      .onConflict((oc) => oc.column('task').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      const standing = await trx
        .selectFrom('task_closure')
        .selectAll()
        .where('task', '=', c.task)
        .executeTakeFirstOrThrow();
      return { closure: toClosure(standing), made: false };
    }
    await append(
      trx,
      {
        action: 'task-close',
        period: c.period,
        by: c.by,
        reason: c.evidence,
        detail: { task: c.task, source: c.source, effectiveMs: c.effectiveMs },
      },
      atMs,
    );
    return { closure: { ...c, atMs }, made: true };
  });
}

export async function reopenTask(
  db: Kysely<RecordsDb>,
  append: AppendIn,
  task: string,
  by: string,
  reason: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const was = await trx.selectFrom('task_closure').selectAll().where('task', '=', task).executeTakeFirst();
    if (was) await trx.deleteFrom('task_closure').where('task', '=', task).execute();
    await append(trx, {
      action: 'task-reopen',
      period: was?.period,
      by,
      reason,
      detail: {
        task,
        wasClosed: was !== undefined,
        ...(was ? { closedBy: was.by, source: was.source } : {}),
      },
    });
    return was !== undefined;
  });
}

export async function closures(db: Kysely<RecordsDb>): Promise<TaskClosure[]> {
  return (await db.selectFrom('task_closure').selectAll().orderBy('task').execute()).map(toClosure);
}

export async function award(
  db: Kysely<RecordsDb>,
  append: AppendIn,
  atMs: number,
  a: { period: string; scope_type: string; scope_id: string; points: number; by: string; reason: string },
): Promise<PointsRecord> {
  if (!Number.isFinite(a.points)) throw new RangeError(`points must be a finite number, got ${a.points}`);
  return db.transaction().execute(async (trx) => {
    const entry = await append(
      trx,
      {
        action: 'points-award',
        period: a.period,
        by: a.by,
        reason: a.reason,
        detail: { scope_type: a.scope_type, scope_id: a.scope_id, points: a.points },
      },
      atMs,
    );
    const id = `award-${entry.seq}`;
    const rec: PointsRecord = { id, ...a, source: 'manual', ref: id, atMs };
    await trx.insertInto('points_entry').values(toRow(rec)).execute();
    return rec;
  });
}

export async function replaceLedger(
  db: Kysely<RecordsDb>,
  atMs: number,
  period: string,
  entries: readonly Omit<PointsRecord, 'id' | 'atMs'>[],
): Promise<void> {
  const rows = entries.map((e) => {
    if (e.source === 'manual') throw new TypeError('replaceLedger takes computed entries only');
    if (e.period !== period) throw new TypeError(`an entry of ${e.period} in the ledger of ${period}`);
    return toRow({ ...e, id: `${e.period}|${e.source}|${e.ref}|${e.scope_type}|${e.scope_id}`, atMs });
  });
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('points_entry')
      .where('period', '=', period)
      .where('source', '!=', 'manual')
      .execute();
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('points_entry')
        .values(rows.slice(i, i + 500))
        .execute();
  });
}

export async function ledger(
  db: Kysely<RecordsDb>,
  filter: { period?: string | undefined } = {},
): Promise<PointsRecord[]> {
  let q = db.selectFrom('points_entry').selectAll().orderBy('period').orderBy('id');
  if (filter.period !== undefined) q = q.where('period', '=', filter.period);
  return (await q.execute()).map(toRecord);
}

function toClosure(r: Selectable<TaskClosureTable>): TaskClosure {
  return {
    task: r.task,
    period: r.period,
    source: r.source as TaskClosure['source'],
    atMs: num(r.at_ms),
    effectiveMs: num(r.effective_ms),
    by: r.by,
    evidence: r.evidence,
  };
}

function toRow(r: PointsRecord) {
  return {
    id: r.id,
    period: r.period,
    scope_type: r.scope_type,
    scope_id: r.scope_id,
    points: r.points,
    source: r.source,
    ref: r.ref,
    reason: r.reason,
    by: r.by,
    at_ms: r.atMs,
  };
}

function toRecord(r: Selectable<PointsEntryTable>): PointsRecord {
  return {
    id: r.id,
    period: r.period,
    scope_type: r.scope_type,
    scope_id: r.scope_id,
    points: Number(r.points),
    source: r.source as PointsRecord['source'],
    ref: r.ref,
    reason: r.reason,
    by: r.by,
    atMs: num(r.at_ms),
  };
}
