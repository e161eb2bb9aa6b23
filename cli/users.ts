/**
 * The portal's users, kept in the records store (records/users.ts), each change audited:
 *   plantkpi user add --config F [--data DIR] --username U --role ROLE [--branch B] [--name 显示名] [--by WHO]
 *   plantkpi user list --config F [--data DIR]
 *   plantkpi user passwd U --config F [--data DIR] [--by WHO]
 *   plantkpi user disable U --config F [--data DIR] --reason R [--by WHO]
 * The password is asked on the terminal (twice, echo off) or read as one line from stdin (cli/secret-input.ts); only
 * its scrypt hash is stored (portal/password.ts). Every argument is checked before the password is asked for.
 */
import os from 'node:os';
import { EXIT, MissingInputError, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import type { PlantConfig } from '../config/schema.ts';
import { didYouMean } from '../config/suggest.ts';
import { hashPassword } from '../portal/password.ts';
import { recordsTarget } from '../records/open.ts';
import type { RecordsStore } from '../records/port.ts';
import type { PortalRole, PortalUser } from '../records/port-users.ts';
import { openSharedRecords } from '../records/shared.ts';
import { ROLES, USERNAME } from '../records/users.ts';
import { type Io, isDirectory, type Parsed } from './args.ts';
import { table } from './format.ts';
import { newPassword, type SecretSource, stdinSecrets } from './secret-input.ts';

const DEFAULT_DATA = './data';

function need(o: Parsed, name: string, what: string): string {
  const v = o.values[name];
  if (v === undefined || v.trim() === '')
    throw new UsageError(`缺少 --${name} (--${name} is required: ${what})`);
  return v;
}

/** who acts, for the audit: --by, else the OS user at this host (no environment variable is read) */
function byOf(o: Parsed): string {
  const given = o.values.by;
  if (given !== undefined) {
    if (given.trim() === '') throw new UsageError('--by 不能为空 (--by is empty: give who does it)');
    return given;
  }
  let user: string;
  try {
    user = os.userInfo().username;
  } catch {
    user = `uid-${process.getuid?.() ?? 'unknown'}`; // a container user without a passwd entry
  }
  return `${user}@${os.hostname()}`;
}

function oneUsername(o: Parsed): string {
  const [name, ...extra] = o.positionals;
  if (name === undefined) throw new UsageError('缺少用户名 a USERNAME is required');
  if (extra.length > 0) throw new UsageError(`多余的参数 unexpected '${extra[0]}'`);
  return name;
}

function noPositionals(o: Parsed): void {
  if (o.positionals.length > 0) throw new UsageError(`多余的参数 unexpected '${o.positionals[0]}'`);
}

/** The records store of the config and --data; the data directory must exist (a mistyped one is no new store). */
async function withRecords<T>(
  o: Parsed,
  config: PlantConfig,
  fn: (r: RecordsStore) => Promise<T>,
): Promise<T> {
  const data = o.values.data ?? DEFAULT_DATA;
  const target = recordsTarget(config, data);
  if ('dir' in target && !isDirectory(data))
    throw new MissingInputError(
      data,
      `--data ${data}: 目录不存在 no such directory: 请给出作业使用的数据目录 give the data directory the jobs use`,
    );
  const records = await openSharedRecords(target);
  try {
    return await fn(records);
  } finally {
    await records.close();
  }
}

const unknownUser = (username: string) =>
  new UsageError(`未知用户 unknown user '${username}' (plantkpi user list shows them)`);

/** The user the command names; an unknown one is a UsageError naming it. */
async function existing(records: RecordsStore, username: string): Promise<PortalUser> {
  const u = await records.user(username);
  if (u === undefined) throw unknownUser(username);
  return u;
}

/** --role and --branch checked against each other and against the branches the config declares. */
export function roleAndBranch(o: Parsed, config: PlantConfig): { role: PortalRole; branch: string | null } {
  const roleText = need(o, 'role', ROLES.join(' | '));
  if (!(ROLES as readonly string[]).includes(roleText))
    throw new UsageError(`--role '${roleText}': 应为 must be one of ${ROLES.join(', ')}`);
  const role = roleText as PortalRole;
  const declared = config.organisation.branches.map((b) => b.id);
  const list = declared.length > 0 ? declared.join(', ') : '(none)';
  const branch = o.values.branch ?? null;
  if (role === 'energy_manager' && branch !== null)
    throw new UsageError(
      `--branch: 能源管理员管理全部党支部，不设 --branch an energy_manager acts for every branch: leave --branch out`,
    );
  if (role === 'branch_secretary' && branch === null)
    throw new UsageError(
      `--branch: 支部书记必须有 --branch a branch_secretary needs --branch, one of the declared branches: ${list}`,
    );
  if (branch !== null && !declared.includes(branch))
    throw new UsageError(
      `--branch: 未知党支部 unknown branch '${branch}'${didYouMean(branch, declared)} (配置中已声明 declared in the config: ${list})`,
    );
  return { role, branch };
}

export async function cmdUser(
  args: string[],
  io: Io,
  parse: (a: string[]) => Parsed,
  secrets: SecretSource = stdinSecrets(),
): Promise<number> {
  const [sub, ...rest] = args;
  const o = parse(rest);
  const { config } = loadPlantConfig(need(o, 'config', 'the plant config: where its records store is'));
  if (sub === 'add') return add(o, config, io, secrets);
  if (sub === 'list') return list(o, config, io);
  if (sub === 'passwd') return passwd(o, config, io, secrets);
  if (sub === 'disable') return disable(o, config, io);
  throw new UsageError(`user 没有子命令 has no subcommand '${sub}': add, list, passwd, disable`);
}

async function add(o: Parsed, config: PlantConfig, io: Io, secrets: SecretSource): Promise<number> {
  noPositionals(o);
  const username = need(o, 'username', 'the sign-in name');
  if (!USERNAME.test(username))
    throw new UsageError(
      `--username '${username}': 只能用字母、数字、. _ -，1 到 64 个字符 use 1 to 64 letters, digits, '.', '_' or '-'`,
    );
  const { role, branch } = roleAndBranch(o, config);
  const displayName = o.values.name ?? username;
  if (displayName.trim() === '')
    throw new UsageError('--name 不能为空 (--name is empty: leave it out to show the username)');
  const by = byOf(o);
  const user = await withRecords(o, config, async (records) => {
    // a name taken is said before a password is asked for (the store refuses it again, should two add it at once)
    if ((await records.user(username)) !== undefined)
      throw new UsageError(`--username '${username}': 用户名已被占用 is taken; choose another`);
    const passwordHash = await hashPassword(await newPassword(secrets, username));
    return records.addUser({ username, displayName, role, branch, passwordHash }, by);
  });
  io.out(
    `用户已添加 user added: ${user.username} ${user.displayName} (${user.role}${user.branch === null ? '' : `, ${user.branch}`}; ${by}; 已记入审计 audited)\n`,
  );
  return EXIT.ok;
}

async function list(o: Parsed, config: PlantConfig, io: Io): Promise<number> {
  noPositionals(o);
  const users = await withRecords(o, config, (records) => records.users());
  const rows = users.map((u) => [
    u.username,
    u.displayName,
    u.role,
    u.branch ?? '-',
    new Date(u.createdAtMs).toISOString(),
    u.disabled ? 'yes' : 'no',
  ]);
  if (io.isTTY) {
    if (rows.length === 0) {
      io.out('没有用户 no users yet: plantkpi user add\n');
      return EXIT.ok;
    }
    const head = [
      '用户名 username',
      '姓名 name',
      '角色 role',
      '党支部 branch',
      '创建 created (UTC)',
      '停用 disabled',
    ];
    io.out(`${table(head, rows, new Set())}\n`);
    return EXIT.ok;
  }
  // into a pipe or a file: tab-separated with the English header, for scripts (names on one line each)
  io.out('username\tname\trole\tbranch\tcreated\tdisabled\n');
  for (const r of rows) io.out(`${r.map((c) => c.replaceAll(/[\t\r\n]+/g, ' ')).join('\t')}\n`);
  return EXIT.ok;
}

async function passwd(o: Parsed, config: PlantConfig, io: Io, secrets: SecretSource): Promise<number> {
  const username = oneUsername(o);
  const by = byOf(o);
  const user = await withRecords(o, config, async (records) => {
    const u = await existing(records, username);
    const passwordHash = await hashPassword(await newPassword(secrets, username));
    if (!(await records.setPassword(username, passwordHash, by))) throw unknownUser(username);
    return u;
  });
  const note = user.disabled ? '; 该用户已停用 the user is disabled and still cannot sign in' : '';
  io.out(`密码已设置 password set: ${username} (${by}; 已记入审计 audited${note})\n`);
  return EXIT.ok;
}

async function disable(o: Parsed, config: PlantConfig, io: Io): Promise<number> {
  const username = oneUsername(o);
  const reason = need(o, 'reason', 'why the user is disabled');
  const by = byOf(o);
  const was = await withRecords(o, config, async (records) => {
    const u = await existing(records, username);
    if (!(await records.disableUser(username, by, reason))) throw unknownUser(username);
    return u;
  });
  io.out(
    was.disabled
      ? `用户原已停用 user ${username} was already disabled; 决定已记入审计 the decision is audited\n`
      : `用户已停用 user disabled: ${username} (${by}: ${reason}; 会话已结束 its sessions ended; 已记入审计 audited)\n`,
  );
  return EXIT.ok;
}
