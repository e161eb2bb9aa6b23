/**
 * `plantkpi demo --serve`: once the demo's month is computed and settled (and the demo has closed its stores), the
 * branch portal on the demo's data, as `plantkpi serve --data DATA/store` would serve it, with demo users in the
 * records store: an energy manager, a secretary per branch and a viewer, each with a password made for this run
 * and printed beside the portal's address. Users already there (the records kept in PostgreSQL, or a second
 * `--serve` on the same data) are kept and given new passwords, so the printed ones work.
 */
import { randomBytes } from 'node:crypto';
import { EXIT } from '../config/errors.ts';
import type { PlantConfig } from '../config/schema.ts';
import type { Plant } from '../kpi/plant.ts';
import { hashPassword } from '../portal/password.ts';
import { recordsTarget } from '../records/open.ts';
import type { RecordsStore } from '../records/port.ts';
import type { PortalRole } from '../records/port-users.ts';
import { inOneTurn, openSharedRecords } from '../records/shared.ts';
import { openStore } from '../store/open.ts';
import type { Io } from './args.ts';
import { table } from './format.ts';
import { runPortal } from './serve.ts';

/** who adds the demo users and sets their passwords, in the audit log */
const BY = 'plantkpi demo';

/**
 * The signs of a demo password: lowercase letters and digits without the look-alikes l, o, 0 and 1. They are 32, so
 * one random byte modulo 32 picks each with the same chance.
 */
export const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A password of `length` signs of PASSWORD_ALPHABET (12: 60 random bits), easy to read aloud and type. */
export function demoPassword(length = 12): string {
  return Array.from(randomBytes(length), (b) => PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]).join('');
}

export interface DemoUser {
  username: string;
  displayName: string;
  role: PortalRole;
  branch: string | null;
}

/** The demo's users: one energy manager, one secretary per branch the config declares, one viewer of every branch. */
export function demoUsers(config: PlantConfig): DemoUser[] {
  const secretaries = config.organisation.branches.map((b) => ({
    // branch ids may hold ':', usernames may not
    username: `sec-${b.id.toLowerCase().replaceAll(':', '-')}`.slice(0, 64),
    displayName: `书记 Secretary, ${b.name ?? b.id}`,
    role: 'branch_secretary' as const,
    branch: b.id,
  }));
  return [
    { username: 'energy', displayName: '能源管理员 Energy manager', role: 'energy_manager', branch: null },
    ...secretaries,
    { username: 'viewer', displayName: '访客 Viewer', role: 'viewer', branch: null },
  ];
}

export interface IssuedUser extends DemoUser {
  password: string;
  /** the user was there before this run: kept, its password replaced */
  kept: boolean;
  /** a kept user that is disabled: it still cannot sign in */
  disabled: boolean;
}

/** Adds each demo user, or gives one already there a new password; every change audited by the store. */
export async function issueDemoUsers(
  records: RecordsStore,
  users: readonly DemoUser[],
): Promise<IssuedUser[]> {
  // hashed first (scrypt, about 0.1 s each), so the embedded folder is held only for the writes
  const made = await Promise.all(
    users.map(async (u) => {
      const password = demoPassword();
      return { u, password, hash: await hashPassword(password) };
    }),
  );
  return inOneTurn(records, async (r) => {
    const issued: IssuedUser[] = [];
    for (const { u, password, hash } of made) {
      const was = await r.user(u.username);
      if (was === undefined) await r.addUser({ ...u, passwordHash: hash }, BY);
      else await r.setPassword(u.username, hash, BY);
      // a kept user keeps its role and branch: the table shows what it signs in as
      const as = was ?? u;
      issued.push({
        ...u,
        role: as.role,
        branch: as.branch,
        password,
        kept: was !== undefined,
        disabled: was?.disabled ?? false,
      });
    }
    return issued;
  });
}

/** The users as printed below the portal's address: username, role, branch, password. */
export function usersBlock(users: readonly IssuedUser[], manage: string): string {
  const rows = users.map((u) => [
    u.username,
    u.role,
    u.branch ?? '-',
    u.password,
    u.disabled ? '停用 disabled' : u.kept ? '沿用 kept' : '',
  ]);
  const head = ['用户名 username', '角色 role', '党支部 branch', '密码 password', ''];
  return (
    `演示用户 Demo users (密码每次运行重新生成 passwords are new at each run):\n${table(head, rows, new Set())}\n` +
    `管理用户 Manage them: ${manage}\n`
  );
}

export interface DemoServe {
  config: PlantConfig;
  plant: Plant;
  /** the demo's store directory (DemoResult.storeDir): the store, the embedded records, the evidence files */
  storeDir: string;
  port: number;
  host: string;
  /** how to reach the users with the `user` command, printed under them */
  manage: string;
}

/** Opens the demo's stores as `plantkpi serve` does, issues the users and serves until SIGINT or SIGTERM. */
export async function serveDemo(d: DemoServe, io: Io): Promise<number> {
  const store = await openStore(d.config, d.storeDir);
  try {
    const records = await openSharedRecords(recordsTarget(d.config, d.storeDir));
    try {
      // a records folder the demo never made (part of a month) is created here: seconds on a slow machine
      io.out('门户启动中 Starting the portal: 演示用户写入记录库 demo users into the records store ...\n');
      const users = await issueDemoUsers(records, demoUsers(d.config));
      const run = { plant: d.plant, data: d.storeDir, store, records, port: d.port, host: d.host };
      await runPortal({ ...run, secureCookies: false, trustProxy: false }, io, {
        listening: () => io.out(usersBlock(users, d.manage)),
      });
    } finally {
      await records.close();
    }
  } finally {
    await store.close();
  }
  return EXIT.ok;
}
