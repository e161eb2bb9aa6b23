/**
 * A private PostgreSQL for one test file: initdb into a temp folder, `postgres` on a free loopback port (trust auth,
 * fsync off), a fresh database per test (`freshDatabase`), stopped and removed after. Debian's server binaries live
 * in /usr/lib/postgresql/<version>/bin (test/run-all.sh installs the package). initdb refuses to run as root: as root
 * the server runs as the `postgres` user the package creates (spawn's uid/gid).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from './ports.ts';

export interface PostgresServer {
  /** URL of the `postgres` database (admin) */
  url: string;
  port: number;
  /** creates an empty database with a unique name; its URL */
  freshDatabase(): Promise<string>;
  destroy(): Promise<void>;
}

/** Debian's server binaries of the newest PostgreSQL installed (initdb, postgres, pg_isready). */
export function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined)
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql',
    );
  return path.join(root, versions[0], 'bin');
}

/** As root, the server's processes run as the `postgres` user (initdb refuses root); else as ourselves. */
export function serverUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-pg-'));
  const user = serverUser();
  if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  execFileSync(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
    { stdio: 'ignore', cwd: dir, ...user },
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      dir,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { stdio: 'ignore', cwd: dir, ...user },
  );
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  admin.on('error', () => {}); // an idle connection ended by the server's shutdown
  await waitFor('postgres', async () => {
    await admin.query('select 1');
    return true;
  });
  let n = 0;
  return {
    url,
    port,
    async freshDatabase() {
      const name = `plantkpi_${process.pid}_${++n}_${Math.random().toString(36).slice(2, 8)}`;
      await admin.query(`create database ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async destroy() {
      await admin.end();
      if (child.exitCode === null) {
        await new Promise<void>((r) => {
          child.once('exit', () => r());
          // SIGINT: fast shutdown (clients disconnected, no checkpoint wait)
          child.kill('SIGINT');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
