/** Test helpers: run the CLI in-process, temp dirs, the reference plant's in-repo fixtures. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../cli/main.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The golden fixtures, kept in the repository (test/fixtures/reference-plant/FIXTURE.md). */
export const REFERENCE = path.join(ROOT, 'test', 'fixtures', 'reference-plant');
/** The files of REFERENCE that are copies of the upstream folder, byte for byte. */
export const REFERENCE_FILES = [
  'README.md',
  'expected-scorecard.json',
  'expected.json',
  'readings.csv',
  'scenario.json',
] as const;
/** Where the fixtures come from: beside the repository, when it is there (often it is not). */
export const REFERENCE_UPSTREAM = path.resolve(ROOT, '..', 'shared', 'reference-plant');
export const REFERENCE_CONFIG = path.join(ROOT, 'config', 'examples', 'reference-plant.yaml');

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function cli(...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

export function tempDir(prefix = 'plantkpi-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
