/**
 * TEST ONLY: an in-memory UsersStore, and a records store with it beside a real RecordsStore, for the portal's tests
 * until the records store implements UsersStore itself (records/port-users.ts). Its audit entries go to the given
 * records store, as the real one's do.
 */
import { UsageError } from '../../config/errors.ts';
import type { RecordsStore } from '../../records/port.ts';
import type { PortalSession, PortalUser, UsersStore } from '../../records/port-users.ts';

export class MemoryUsers implements UsersStore {
  private readonly byName = new Map<string, PortalUser>();
  private readonly sessions = new Map<string, PortalSession>();

  constructor(
    private readonly audit: Pick<RecordsStore, 'append'>,
    private readonly now: () => number = Date.now,
  ) {}

  async addUser(u: Omit<PortalUser, 'createdAtMs' | 'disabled'>, by: string): Promise<PortalUser> {
    if (this.byName.has(u.username)) throw new UsageError(`用户已存在 user ${u.username} exists`);
    const user: PortalUser = { ...u, createdAtMs: this.now(), disabled: false };
    this.byName.set(u.username, user);
    await this.audit.append({
      action: 'user-add',
      by,
      reason: `user ${u.username}`,
      detail: { username: u.username, role: u.role, branch: u.branch },
    });
    return user;
  }

  async setPassword(username: string, passwordHash: string, by: string): Promise<boolean> {
    const u = this.byName.get(username);
    if (!u) return false;
    this.byName.set(username, { ...u, passwordHash });
    await this.audit.append({
      action: 'user-password',
      by,
      reason: `user ${username}`,
      detail: { username },
    });
    return true;
  }

  async disableUser(username: string, by: string, reason: string): Promise<boolean> {
    const u = this.byName.get(username);
    if (!u) return false;
    this.byName.set(username, { ...u, disabled: true });
    for (const [k, s] of this.sessions) if (s.username === username) this.sessions.delete(k);
    await this.audit.append({ action: 'user-disable', by, reason, detail: { username } });
    return true;
  }

  async user(username: string) {
    return this.byName.get(username);
  }

  async users() {
    return [...this.byName.values()].sort((a, b) => (a.username < b.username ? -1 : 1));
  }

  async createSession(s: PortalSession) {
    this.sessions.set(s.idHash, s);
  }

  async session(idHash: string, nowMs: number) {
    const session = this.sessions.get(idHash);
    if (!session || session.expiresAtMs <= nowMs) return undefined;
    const user = this.byName.get(session.username);
    if (!user || user.disabled) return undefined;
    return { session, user };
  }

  async deleteSession(idHash: string) {
    this.sessions.delete(idHash);
  }

  async purgeSessions(nowMs: number) {
    let n = 0;
    for (const [k, s] of this.sessions)
      if (s.expiresAtMs <= nowMs) {
        this.sessions.delete(k);
        n++;
      }
    return n;
  }
}

/** A records store and a users store as one object, as RecordsStore & UsersStore will be. */
export function withUsers(records: RecordsStore, users: UsersStore): RecordsStore & UsersStore {
  const userMethods = {
    addUser: users.addUser.bind(users),
    setPassword: users.setPassword.bind(users),
    disableUser: users.disableUser.bind(users),
    user: users.user.bind(users),
    users: users.users.bind(users),
    createSession: users.createSession.bind(users),
    session: users.session.bind(users),
    deleteSession: users.deleteSession.bind(users),
    purgeSessions: users.purgeSessions.bind(users),
  };
  return new Proxy(records, {
    get(target, prop, receiver) {
      if (Object.hasOwn(userMethods, prop)) return userMethods[prop as keyof typeof userMethods];
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as RecordsStore & UsersStore;
}
