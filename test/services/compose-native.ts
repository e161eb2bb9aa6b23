/**
 * docker-compose.yml read as native processes on this machine (no Docker engine here): compose's variable
 * interpolation from an env file, the start order of `depends_on`, and each service's view of the world translated
 * to the host's: its volumes and mounted files become folders and files, its ports free loopback ports, the other
 * services' names 127.0.0.1. Addresses, ports and paths change; nothing else does.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  profiles?: string[];
  healthcheck?: { test: string[] };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function readCompose(file: string): ComposeFile {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
}

/**
 * Compose's interpolation of one value: `${VAR}`, `${VAR:-default}`, `${VAR:?error}` (refuses when VAR is unset or
 * empty, as compose does) and `$$` for a literal `$` (left for the container's shell).
 */
export function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Z_][A-Z0-9_]*)(?::([?-])([^}]*))?\}/g, (all, name, op, arg) => {
    if (all === '$$') return '$';
    const v = env[name as string];
    if (v !== undefined && v !== '') return v;
    if (op === '-') return arg as string;
    if (op === '?') throw new Error(`compose: ${arg as string}`);
    return '';
  });
}

/**
 * The .env a user writes from the example (deploy/plantkpi.env.example): every empty value set to a long random
 * string, as the example asks; values the example gives (PLANTKPI_BIND) kept.
 */
export function envFromExample(exampleText: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of exampleText.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    env[m[1]!] = m[2] !== '' ? m[2]! : randomBytes(18).toString('base64url');
  }
  return env;
}

/** What a service waits for before it starts: each dependency and its condition. */
export function dependencies(svc: ComposeService): Record<string, string> {
  const d = svc.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((n) => [n, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([n, c]) => [n, c.condition]));
}

/** The services `docker compose up` starts (no opt-in profile), dependencies before dependents. */
export function startOrder(compose: ComposeFile): string[] {
  const names = Object.keys(compose.services).filter((n) => compose.services[n]!.profiles === undefined);
  const out: string[] = [];
  const visit = (n: string, seen: string[]) => {
    if (out.includes(n)) return;
    if (seen.includes(n)) throw new Error(`compose: dependency cycle ${[...seen, n].join(' -> ')}`);
    for (const d of Object.keys(dependencies(compose.services[n]!))) visit(d, [...seen, n]);
    out.push(n);
  };
  for (const n of names) visit(n, []);
  return out;
}

/** A container path and the host path standing for it. */
export interface Mount {
  container: string;
  host: string;
}

/**
 * A service's mounts on the host: `./x:/y` binds the repository's file or folder, `vol:/y` a folder per named volume
 * under `volumesDir`; `extra` (the image's own files, such as the plantkpi image's /app, or a file adapted for the
 * host) come first where they are more specific.
 */
export function mountsOf(
  svc: ComposeService,
  repo: string,
  volumesDir: string,
  extra: Mount[] = [],
): Mount[] {
  const mounts = [...extra];
  for (const v of svc.volumes ?? []) {
    const [src, dst] = v.split(':') as [string, string];
    mounts.push({
      container: dst,
      host: src.startsWith('./') ? path.join(repo, src) : path.join(volumesDir, src),
    });
  }
  // the most specific path first: a file mounted inside a mounted folder wins
  return mounts.sort((a, b) => b.container.length - a.container.length);
}

/** Where each service listens: its port inside its container and the free loopback port standing for it. */
export type PortMap = Record<string, { container: number; host: number }>;

/**
 * One service's strings as the host sees them: `name:port` of any service (URLs, host:port) becomes
 * 127.0.0.1:<its host port>, the service's own `127.0.0.1:port` and `0.0.0.0:port` likewise, and absolute paths
 * under a mount become the host path. Compose's names of other things (users, topics) are left alone.
 */
export function translator(self: string, ports: PortMap, mounts: Mount[]): (s: string) => string {
  const names = Object.keys(ports).join('|');
  const byName = new RegExp(`\\b(${names}):(\\d+)\\b`, 'g');
  const own = ports[self];
  return (s) => {
    let out = s.replace(byName, (all, name: string, port: string) =>
      ports[name]!.container === Number(port) ? `127.0.0.1:${ports[name]!.host}` : all,
    );
    if (own !== undefined)
      out = out.replace(
        new RegExp(`\\b(127\\.0\\.0\\.1|localhost|0\\.0\\.0\\.0):${own.container}\\b`, 'g'),
        `127.0.0.1:${own.host}`,
      );
    for (const m of mounts) {
      const esc = m.container.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // a path: at the start or after a space, quote, '=' or '[', and ending there or at a '/'
      out = out.replace(new RegExp(`(^|[\\s"'=\\[])${esc}(?=$|[/\\s"',\\]])`, 'gm'), `$1${m.host}`);
    }
    return out;
  };
}
