/**
 * The portal's users and sessions on Kysely (store.ts delegates here; port-users.ts is the contract). Adding a user,
 * setting its password and disabling it each write their audit entry (`user-add`, `user-password`, `user-disable`)
 * in the same transaction as the change; no entry ever holds a password hash. A user is never deleted: disabling it
 * ends its sessions and keeps its row, so the audit entries that name it still name someone.
 */
import type { Kysely, Selectable } from 'kysely';
import { UsageError } from '../config/errors.ts';
import type { PortalRole, PortalSession, PortalUser } from './port-users.ts';
import type { AppendIn } from './responsibility.ts';
import type { PortalSessionTable, PortalUserTable, RecordsDb } from './tables.ts';

const num = (v: string | number | bigint): number => Number(v);

/** the sign-in name: letters, digits, `.`, `_`, `-`; 1 to 64 characters */
export const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
export const ROLES: readonly PortalRole[] = ['energy_manager', 'branch_secretary', 'viewer'];
/** what portal/password.ts writes: scrypt$N$r$p$salt$hash; anything else (a password by mistake) is refused */
const HASH = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;

/** A user's fields checked before it is stored: each problem a UsageError naming its field. */
export function checkUser(u: Omit<PortalUser, 'createdAtMs' | 'disabled'>): void {
  if (typeof u.username !== 'string' || !USERNAME.test(u.username))
    throw new UsageError(
      `username '${String(u.username)}': 只能用字母、数字、. _ -，1 到 64 个字符 use 1 to 64 letters, digits, '.', '_' or '-'`,
    );
  if (!ROLES.includes(u.role))
    throw new UsageError(`role '${String(u.role)}': 应为 must be one of ${ROLES.join(', ')}`);
  if (u.role === 'branch_secretary' && (u.branch === null || u.branch.trim() === ''))
    throw new UsageError(
      `branch: 支部书记必须有所属党支部 a branch_secretary needs the branch it acts for (user '${u.username}')`,
    );
  if (u.role === 'energy_manager' && u.branch !== null)
    throw new UsageError(
      `branch: 能源管理员管理全部党支部，不设党支部 an energy_manager acts for every branch: its branch must be null (user '${u.username}', got '${u.branch}')`,
    );
  if (u.branch !== null && u.branch.trim() === '')
    throw new UsageError(`branch: 不能为空串 an empty branch: give a branch or null (user '${u.username}')`);
  if (typeof u.displayName !== 'string' || u.displayName.trim() === '')
    throw new UsageError(`displayName: 不能为空 is empty (user '${u.username}')`);
  checkHash(u.passwordHash, u.username);
}

function checkHash(hash: string, username: string): void {
  if (typeof hash !== 'string' || !HASH.test(hash))
    throw new UsageError(
      `passwordHash: 不是 scrypt 哈希 is not a scrypt hash (portal/password.ts hashPassword) for user '${username}'; a password is never stored as it is`,
    );
}

export async function addUser(
  db: Kysely<RecordsDb>,
  append: AppendIn,
  atMs: number,
  u: Omit<PortalUser, 'createdAtMs' | 'disabled'>,
  by: string,
): Promise<PortalUser> {
  checkUser(u);
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('portal_user')
      .values({
        username: u.username,
        display_name: u.displayName,
        role: u.role,
        branch: u.branch,
        password_hash: u.passwordHash,
        created_at_ms: atMs,
        disabled_at_ms: null,
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0)
      throw new UsageError(`username '${u.username}': 用户名已被占用 is taken; choose another`);
    await append(
      trx,
      {
        action: 'user-add',
        by,
        reason: '新增门户用户 portal user added',
        detail: { username: u.username, displayName: u.displayName, role: u.role, branch: u.branch },
      },
      atMs,
    );
    return { ...u, createdAtMs: atMs, disabled: false };
  });
}

export async function setPassword(
  db: Kysely<RecordsDb>,
  append: AppendIn,
  username: string,
  passwordHash: string,
  by: string,
): Promise<boolean> {
  checkHash(passwordHash, username);
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('portal_user')
      .set({ password_hash: passwordHash })
      .where('username', '=', username)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await append(trx, {
      action: 'user-password',
      by,
      reason: '重设密码 password set',
      detail: { username },
    });
    return true;
  });
}

/**
 * Disables a user (a user already disabled keeps its first time) and deletes its sessions, with its entry: a
 * decision was taken, so a second disable is audited too (wasDisabled).
 */
export async function disableUser(
  db: Kysely<RecordsDb>,
  append: AppendIn,
  atMs: number,
  username: string,
  by: string,
  reason: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const was = await trx
      .selectFrom('portal_user')
      .select('disabled_at_ms')
      .where('username', '=', username)
      .forUpdate()
      .executeTakeFirst();
    if (was === undefined) return false;
    if (was.disabled_at_ms === null)
      await trx
        .updateTable('portal_user')
        .set({ disabled_at_ms: atMs })
        .where('username', '=', username)
        .execute();
    const ended = await trx.deleteFrom('portal_session').where('username', '=', username).executeTakeFirst();
    await append(
      trx,
      {
        action: 'user-disable',
        by,
        reason,
        detail: {
          username,
          wasDisabled: was.disabled_at_ms !== null,
          sessionsEnded: Number(ended.numDeletedRows),
        },
      },
      atMs,
    );
    return true;
  });
}

export async function user(db: Kysely<RecordsDb>, username: string): Promise<PortalUser | undefined> {
  const r = await db
    .selectFrom('portal_user')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  return r && toUser(r);
}

export async function users(db: Kysely<RecordsDb>): Promise<PortalUser[]> {
  return (await db.selectFrom('portal_user').selectAll().orderBy('username').execute()).map(toUser);
}

/**
 * Keeps a session of a user that exists and is not disabled; else a UsageError. The user's row is held (for share)
 * until the session is in, so a disable at the same moment comes before (no session) or after (it ends it).
 */
export async function createSession(db: Kysely<RecordsDb>, s: PortalSession): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const u = await trx
      .selectFrom('portal_user')
      .select('disabled_at_ms')
      .where('username', '=', s.username)
      .forShare()
      .executeTakeFirst();
    if (u === undefined || u.disabled_at_ms !== null)
      throw new UsageError(
        `session: 用户不存在或已停用 user '${s.username}' ${u === undefined ? 'does not exist' : 'is disabled'}; no session is kept`,
      );
    await trx
      .insertInto('portal_session')
      .values({
        id_hash: s.idHash,
        username: s.username,
        created_at_ms: s.createdAtMs,
        expires_at_ms: s.expiresAtMs,
        csrf_secret: s.csrfSecret,
      })
      .execute();
  });
}

export async function session(
  db: Kysely<RecordsDb>,
  idHash: string,
  nowMs: number,
): Promise<{ session: PortalSession; user: PortalUser } | undefined> {
  const s = await db
    .selectFrom('portal_session')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('expires_at_ms', '>', nowMs)
    .executeTakeFirst();
  if (s === undefined) return undefined;
  const u = await user(db, s.username);
  if (u === undefined || u.disabled) return undefined;
  return { session: toSession(s), user: u };
}

export async function deleteSession(db: Kysely<RecordsDb>, idHash: string): Promise<void> {
  await db.deleteFrom('portal_session').where('id_hash', '=', idHash).execute();
}

export async function purgeSessions(db: Kysely<RecordsDb>, nowMs: number): Promise<number> {
  const r = await db.deleteFrom('portal_session').where('expires_at_ms', '<=', nowMs).executeTakeFirst();
  return Number(r.numDeletedRows);
}

function toUser(r: Selectable<PortalUserTable>): PortalUser {
  return {
    username: r.username,
    displayName: r.display_name,
    role: r.role as PortalRole,
    branch: r.branch,
    passwordHash: r.password_hash,
    createdAtMs: num(r.created_at_ms),
    disabled: r.disabled_at_ms !== null,
  };
}

function toSession(r: Selectable<PortalSessionTable>): PortalSession {
  return {
    idHash: r.id_hash,
    username: r.username,
    createdAtMs: num(r.created_at_ms),
    expiresAtMs: num(r.expires_at_ms),
    csrfSecret: r.csrf_secret,
  };
}
