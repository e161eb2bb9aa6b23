/**
 * The portal's users and sessions (issue 14), kept in the records store beside the audit log they write to. This
 * file is the contract between the records store (which implements it) and the portal (which only reads through it).
 */

/** energy_manager: every branch, every action; branch_secretary: its own branch, areas and teams; viewer: read only */
export type PortalRole = 'energy_manager' | 'branch_secretary' | 'viewer';

export interface PortalUser {
  /** the sign-in name: letters, digits, `.`, `_`, `-`; 1 to 64 characters */
  username: string;
  /** as shown on the pages, e.g. 张三 */
  displayName: string;
  role: PortalRole;
  /**
   * the branch a secretary acts for (required for branch_secretary); a viewer with a branch sees only that branch,
   * a viewer without one sees every branch; null for an energy manager
   */
  branch: string | null;
  /** `scrypt$N$r$p$salt(base64)$hash(base64)`: never a password */
  passwordHash: string;
  /** epoch ms, the store's clock */
  createdAtMs: number;
  /** a disabled user cannot sign in and its sessions stop working */
  disabled: boolean;
}

/** A signed-in browser. The cookie carries the session id; the store keeps only its sha256. */
export interface PortalSession {
  /** sha256 (hex) of the id in the cookie */
  idHash: string;
  username: string;
  /** epoch ms */
  createdAtMs: number;
  /** epoch ms; a session past it is gone */
  expiresAtMs: number;
  /** the secret the session's CSRF tokens are made from */
  csrfSecret: string;
}

export interface UsersStore {
  /**
   * Adds a user, with a `user-add` audit entry (by, the username, role and branch; never the hash) in the same
   * transaction. A username already taken is refused with a UsageError naming it; so is a field that does not fit
   * (the username's pattern, the role, a secretary without a branch, an energy manager with one, an empty display
   * name, a passwordHash that is not a `scrypt$…` hash). The store does not know the config: whether the branch is
   * one the plant declares is the caller's to check.
   */
  addUser(u: Omit<PortalUser, 'createdAtMs' | 'disabled'>, by: string): Promise<PortalUser>;
  /**
   * Replaces a user's password hash, with a `user-password` audit entry; false when there is no such user. A disabled
   * user's password can be set (it still cannot sign in). A hash that is not a `scrypt$…` hash is a UsageError.
   */
  setPassword(username: string, passwordHash: string, by: string): Promise<boolean>;
  /**
   * Disables a user and ends its sessions, with a `user-disable` audit entry; false when there is no such user. A user
   * already disabled keeps its first disabling, and the decision is audited again.
   */
  disableUser(username: string, by: string, reason: string): Promise<boolean>;
  user(username: string): Promise<PortalUser | undefined>;
  /** every user, by username */
  users(): Promise<PortalUser[]>;

  /** Keeps a new session; a UsageError for a user that does not exist or is disabled (nothing kept). */
  createSession(s: PortalSession): Promise<void>;
  /** the session and its user, or undefined when unknown, expired at `nowMs`, or its user is disabled */
  session(idHash: string, nowMs: number): Promise<{ session: PortalSession; user: PortalUser } | undefined>;
  /** ends a session (signing out); an unknown one is no error */
  deleteSession(idHash: string): Promise<void>;
  /** removes the sessions expired at `nowMs`; returns how many */
  purgeSessions(nowMs: number): Promise<number>;
}
