/**
 * Evidence files of closures: at most one per request, at most 10 MB, streamed into DATA/evidence/.incoming while
 * its sha256 is taken, then kept as DATA/evidence/<sha256>.<ext> (content-addressed: the same file twice is one file,
 * and the name in the closure's evidence points at exactly these bytes). An upload that is not kept (the request was
 * refused) is removed when the response is sent.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';

export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

export interface Upload {
  /** the temporary file */
  tmp: string;
  /** the file's name as the browser sent it (no folders) */
  name: string;
  sha256: string;
  bytes: number;
}

export function evidenceDir(dataDir: string): string {
  return path.join(dataDir, 'evidence');
}

/** The extension kept: letters and digits, at most 10, lower case; else `bin`. */
export function extensionOf(name: string): string {
  const ext = path.extname(name).slice(1).toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(ext) ? ext : 'bin';
}

/** Streams a file part to a temporary file, hashing it; undefined for an empty part (a form's empty file input). */
export async function receive(dataDir: string, part: MultipartFile): Promise<Upload | undefined> {
  const incoming = path.join(evidenceDir(dataDir), '.incoming');
  mkdirSync(incoming, { recursive: true });
  const tmp = path.join(incoming, randomUUID());
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(part.file, tap, createWriteStream(tmp, { flags: 'wx' }));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  if (bytes === 0 && part.filename === '') {
    rmSync(tmp, { force: true });
    return undefined;
  }
  const name = path.basename(part.filename.replace(/\\/g, '/')).slice(0, 200) || 'file';
  return { tmp, name, sha256: hash.digest('hex'), bytes };
}

/** Moves an upload into place; returns its path under the data directory. */
export function keep(dataDir: string, u: Upload): string {
  const rel = path.join('evidence', `${u.sha256}.${extensionOf(u.name)}`);
  const dest = path.join(dataDir, rel);
  if (existsSync(dest)) rmSync(u.tmp, { force: true });
  else renameSync(u.tmp, dest);
  return rel;
}

export function discard(u: Upload | undefined): void {
  if (u) rmSync(u.tmp, { force: true });
}
