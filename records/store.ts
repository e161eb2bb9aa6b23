/**
 * The records store on Kysely: the same queries for PostgreSQL and PGlite (open.ts picks the dialect). Appends are
 * serialized by the row lock on `audit_head` (SELECT ... FOR UPDATE), so the chain stays linear whatever the number
 * of processes; lock, reopen and saveManifest write their audit entry in the same transaction as their change. The
 * responsibility loop's records are in responsibility.ts, the portal's users and sessions in users.ts.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { canonicalJson } from '../config/canonical-json.ts';
import { entryHash, verifyChain } from './chain.ts';
import type {
  AuditEntry,
  AuditInput,
  ComputedPeriod,
  ExportManifest,
  Json,
  MonthLock,
  PeriodRequest,
  RecordsStore,
  VerifyResult,
} from './port.ts';
import * as resp from './responsibility.ts';
import type { AuditLogTable, ComputedPeriodTable, RecordsDb } from './tables.ts';
import * as portal from './users.ts';

const num = (v: string | number | bigint): number => Number(v);

const ACTION = /^[a-z0-9][a-z0-9-]*$/;

export class KyselyRecords implements RecordsStore {
  constructor(
    private readonly db: Kysely<RecordsDb>,
    /** the clock of every timestamp the store writes, epoch ms */
    private readonly now: () => number,
  ) {}

  async lock(period: string, by: string, reason: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const atMs = this.now();
      const inserted = await trx
        .insertInto('month_lock')
        .values({ period, at_ms: atMs, by, reason })
        .onConflict((oc) => oc.column('period').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
      await this.appendIn(trx, { action: 'lock', period, by, reason }, atMs);
      return true;
    });
  }

  async reopen(period: string, by: string, reason: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const deleted = await trx.deleteFrom('month_lock').where('period', '=', period).executeTakeFirst();
      const removed = Number(deleted.numDeletedRows) > 0;
      await this.appendIn(trx, { action: 'reopen', period, by, reason, detail: { wasLocked: removed } });
      return removed;
    });
  }

  async isLocked(period: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('month_lock')
      .select('period')
      .where('period', '=', period)
      .executeTakeFirst();
    return row !== undefined;
  }

  async locks(): Promise<MonthLock[]> {
    const rows = await this.db.selectFrom('month_lock').selectAll().orderBy('period').execute();
    return rows.map((r) => ({ period: r.period, atMs: num(r.at_ms), by: r.by, reason: r.reason }));
  }

  async append(input: AuditInput): Promise<AuditEntry> {
    return this.db.transaction().execute((trx) => this.appendIn(trx, input));
  }

  /** Appends inside the caller's transaction: the head row's lock is held until it commits. */
  private async appendIn(trx: Transaction<RecordsDb>, input: AuditInput, atMs?: number): Promise<AuditEntry> {
    if (!ACTION.test(input.action))
      throw new TypeError(`audit action '${input.action}': use lower-case letters, digits and -`);
    const head = await trx
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const detail = input.detail === undefined ? null : (JSON.parse(canonicalJson(input.detail)) as never);
    const fields = {
      seq: num(head.seq) + 1,
      atMs: atMs ?? this.now(),
      action: input.action,
      period: input.period ?? null,
      by: input.by,
      reason: input.reason,
      detail,
      prevHash: head.hash,
    };
    const entry: AuditEntry = { ...fields, hash: entryHash(fields) };
    await trx
      .insertInto('audit_log')
      .values({
        seq: entry.seq,
        at_ms: entry.atMs,
        action: entry.action,
        period: entry.period,
        by: entry.by,
        reason: entry.reason,
        detail: entry.detail === null ? null : canonicalJson(entry.detail),
        prev_hash: entry.prevHash,
        hash: entry.hash,
      })
      .execute();
    await trx
      .updateTable('audit_head')
      .set({ seq: entry.seq, hash: entry.hash })
      .where('id', '=', 1)
      .execute();
    return entry;
  }

  async list(filter: { period?: string | undefined } = {}): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('seq');
    if (filter.period !== undefined) q = q.where('period', '=', filter.period);
    return (await q.execute()).map(toEntry);
  }

  async verify(): Promise<VerifyResult> {
    // one snapshot of the log and its head (repeatable read), so a concurrent append is all in or all out
    return this.db.transaction().setIsolationLevel('repeatable read').execute(verifyIn);
  }

  async record(e: ComputedPeriod): Promise<void> {
    const row = {
      kind: e.kind,
      period: e.period,
      config_hash: e.configHash,
      fingerprint: e.fingerprint,
      at_ms: e.atMs,
      worker: e.worker,
    };
    await this.db
      .insertInto('computed_period')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['kind', 'period']).doUpdateSet({
          config_hash: row.config_hash,
          fingerprint: row.fingerprint,
          at_ms: row.at_ms,
          worker: row.worker,
        }),
      )
      .execute();
  }

  async computed(): Promise<ComputedPeriod[]> {
    const rows = await this.db
      .selectFrom('computed_period')
      .selectAll()
      .orderBy('kind')
      .orderBy('period')
      .execute();
    return rows.map(toComputed);
  }

  async get(kind: string, period: string): Promise<ComputedPeriod | undefined> {
    const row = await this.db
      .selectFrom('computed_period')
      .selectAll()
      .where('kind', '=', kind)
      .where('period', '=', period)
      .executeTakeFirst();
    return row && toComputed(row);
  }

  async request(
    requests: readonly { kind: string; period: string; by: string; reason: string }[],
  ): Promise<void> {
    if (requests.length === 0) return;
    const atMs = this.now();
    // one row per (kind, period): the last request of a period in this batch is the one kept
    const rows = [...new Map(requests.map((r) => [`${r.kind}|${r.period}`, { ...r, at_ms: atMs }])).values()];
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto('period_request')
          .values(rows.slice(i, i + 500))
          .onConflict((oc) =>
            oc.columns(['kind', 'period']).doUpdateSet((eb) => ({
              at_ms: eb.ref('excluded.at_ms'),
              by: eb.ref('excluded.by'),
              reason: eb.ref('excluded.reason'),
            })),
          )
          .execute();
    });
  }

  async pending(): Promise<PeriodRequest[]> {
    const rows = await this.db
      .selectFrom('period_request as r')
      .leftJoin('computed_period as c', (j) =>
        j.onRef('c.kind', '=', 'r.kind').onRef('c.period', '=', 'r.period'),
      )
      .select(['r.kind', 'r.period', 'r.at_ms', 'r.by', 'r.reason'])
      .where((eb) => eb.or([eb('c.at_ms', 'is', null), eb('c.at_ms', '<', eb.ref('r.at_ms'))]))
      .orderBy('r.kind')
      .orderBy('r.period')
      .execute();
    return rows.map((r) => ({
      kind: r.kind,
      period: r.period,
      atMs: num(r.at_ms),
      by: r.by,
      reason: r.reason,
    }));
  }

  async saveManifest(period: string, manifestJson: string, by: string): Promise<ExportManifest> {
    JSON.parse(manifestJson); // a manifest is JSON; refuse anything else before it is kept
    return this.db.transaction().execute(async (trx) => {
      const atMs = this.now();
      const row = { period, manifest_json: manifestJson, by, at_ms: atMs };
      await trx
        .insertInto('export_manifest')
        .values(row)
        .onConflict((oc) => oc.column('period').doUpdateSet({ manifest_json: manifestJson, by, at_ms: atMs }))
        .execute();
      const sha256 = createHash('sha256').update(manifestJson, 'utf8').digest('hex');
      await this.appendIn(
        trx,
        { action: 'export', period, by, reason: 'export manifest saved', detail: { manifestSha256: sha256 } },
        atMs,
      );
      return { period, manifestJson, by, atMs };
    });
  }

  async manifest(period: string): Promise<ExportManifest | undefined> {
    const r = await this.db
      .selectFrom('export_manifest')
      .selectAll()
      .where('period', '=', period)
      .executeTakeFirst();
    return r && { period: r.period, manifestJson: r.manifest_json, by: r.by, atMs: num(r.at_ms) };
  }

  private readonly appendTo: resp.AppendIn = (trx, input, atMs) => this.appendIn(trx, input, atMs);

  closeTask: RecordsStore['closeTask'] = (c) => resp.closeTask(this.db, this.appendTo, this.now(), c);
  reopenTask: RecordsStore['reopenTask'] = (task, by, reason) =>
    resp.reopenTask(this.db, this.appendTo, task, by, reason);
  closures: RecordsStore['closures'] = () => resp.closures(this.db);
  award: RecordsStore['award'] = (a) => resp.award(this.db, this.appendTo, this.now(), a);
  replaceLedger: RecordsStore['replaceLedger'] = (period, entries) =>
    resp.replaceLedger(this.db, this.now(), period, entries);
  ledger: RecordsStore['ledger'] = (filter) => resp.ledger(this.db, filter);

  // the portal's users and sessions (users.ts)
  addUser: RecordsStore['addUser'] = (u, by) => portal.addUser(this.db, this.appendTo, this.now(), u, by);
  setPassword: RecordsStore['setPassword'] = (username, hash, by) =>
    portal.setPassword(this.db, this.appendTo, username, hash, by);
  disableUser: RecordsStore['disableUser'] = (username, by, reason) =>
    portal.disableUser(this.db, this.appendTo, this.now(), username, by, reason);
  user: RecordsStore['user'] = (username) => portal.user(this.db, username);
  users: RecordsStore['users'] = () => portal.users(this.db);
  createSession: RecordsStore['createSession'] = (s) => portal.createSession(this.db, s);
  session: RecordsStore['session'] = (idHash, nowMs) => portal.session(this.db, idHash, nowMs);
  deleteSession: RecordsStore['deleteSession'] = (idHash) => portal.deleteSession(this.db, idHash);
  purgeSessions: RecordsStore['purgeSessions'] = (nowMs) => portal.purgeSessions(this.db, nowMs);

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/**
 * Walks the chain as `db` sees it: inside a transaction, that transaction's snapshot (verify above; a backup's read,
 * a restore before it commits).
 */
export async function verifyIn(db: Kysely<RecordsDb>): Promise<VerifyResult> {
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  return verifyChain(rows.map(toEntry), { seq: num(head.seq), hash: head.hash });
}

function toEntry(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: num(r.seq),
    atMs: num(r.at_ms),
    action: r.action,
    period: r.period,
    by: r.by,
    reason: r.reason,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as { [key: string]: Json }),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function toComputed(r: Selectable<ComputedPeriodTable>): ComputedPeriod {
  return {
    kind: r.kind,
    period: r.period,
    configHash: r.config_hash,
    fingerprint: r.fingerprint,
    atMs: num(r.at_ms),
    worker: r.worker,
  };
}
