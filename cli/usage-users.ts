/**
 * The `plantkpi user` commands' usage and options (cli/usage.ts lists them with every other command; kept apart so
 * usage.ts stays a readable size). zh-CN with English, as everywhere in the help.
 */
import type { CommandSpec, OptionSpec } from './usage.ts';

// the same words as usage.ts's options of these names (a value import from it would be circular)
const config: OptionSpec = { arg: 'FILE', zh: '工厂配置文件', en: 'the plant config' };
const data: OptionSpec = {
  arg: 'DIR',
  zh: '内置存储的目录（默认 ./data）；有 records.url 时不用',
  en: "the embedded store's directory (default ./data); not used with records.url",
};
const by: OptionSpec = {
  arg: 'WHO',
  zh: '谁操作，记入审计（默认：本机登录用户@主机）',
  en: 'who does it, in the audit (default: the OS user@host)',
};
const password = [
  '密码：在终端上输入两次，不回显（密码 Password / 再次输入 Again）；不在终端时从 stdin 读一行（供脚本使用）',
  'The password: on a terminal typed twice, not echoed; otherwise one line read from stdin (for scripts)',
  '密码至少 8 个字符；记录库只保存 scrypt 哈希，审计日志中没有哈希',
  'At least 8 characters; the records store keeps only its scrypt hash, and no audit entry holds the hash',
];

export const USER_COMMANDS: readonly CommandSpec[] = [
  {
    name: 'user add',
    usage:
      '--config FILE [--data DIR] --username NAME --role energy_manager|branch_secretary|viewer\n' +
      '[--branch ID] [--name 显示名] [--by WHO]',
    zh: '添加门户用户（记录库中，记入审计）',
    en: 'add a portal user (in the records store, audited)',
    notes: [
      '角色：energy_manager 能源管理员（全部党支部，不设 --branch）；branch_secretary 支部书记（必须有 --branch）；',
      'viewer 只读（有 --branch 只看该支部，没有则看全部）',
      'Roles: energy_manager (every branch, no --branch); branch_secretary (needs --branch);',
      'viewer, read only (with --branch that branch only, without it every branch)',
      ...password,
    ],
    options: {
      config,
      data,
      username: {
        arg: 'NAME',
        zh: '登录名：字母、数字、. _ -，1 到 64 个字符',
        en: "the sign-in name: letters, digits, '.', '_', '-'; 1 to 64 characters",
      },
      role: {
        arg: 'ROLE',
        zh: '角色：energy_manager | branch_secretary | viewer',
        en: 'the role: energy_manager | branch_secretary | viewer',
      },
      branch: {
        arg: 'ID',
        zh: '所属党支部（配置中 organisation.branches 的 id）',
        en: 'the branch (an organisation.branches id in the config)',
      },
      name: {
        arg: '显示名',
        zh: '页面上显示的姓名（默认用登录名）',
        en: 'the name shown (default the username)',
      },
      by,
    },
  },
  {
    name: 'user list',
    usage: '--config FILE [--data DIR]',
    zh: '列出门户用户：登录名、姓名、角色、党支部、创建时间、是否停用（不显示哈希）',
    en: 'the portal users: username, name, role, branch, created, disabled (never a hash)',
    options: { config, data },
  },
  {
    name: 'user passwd',
    usage: 'USERNAME --config FILE [--data DIR] [--by WHO]',
    zh: '为用户设置新密码，记入审计',
    en: "set a user's password, audited",
    notes: password,
    options: { config, data, by },
  },
  {
    name: 'user disable',
    usage: 'USERNAME --config FILE [--data DIR] --reason TEXT [--by WHO]',
    zh: '停用用户：不能再登录，其会话立即结束；用户保留，记入审计',
    en: 'disable a user: no more sign-ins, its sessions end at once; the user is kept, audited',
    options: {
      config,
      data,
      reason: { arg: 'TEXT', zh: '原因', en: 'why' },
      by,
    },
  },
];
