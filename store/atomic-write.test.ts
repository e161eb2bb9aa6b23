import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an old one, leaving no temporary file', () => {
    const f = path.join(dir, 'a.csv');
    writeFileAtomic(f, 'one');
    writeFileAtomic(f, Buffer.from('two'));
    expect(readFileSync(f, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['a.csv']);
  });

  it('replaces a symlink planted at the destination instead of writing through it', () => {
    const outside = path.join(dir, 'outside.txt');
    writeFileSync(outside, 'precious');
    const f = path.join(dir, 'export.csv');
    symlinkSync(outside, f);
    writeFileAtomic(f, 'export');
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    expect(lstatSync(f).isFile()).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('export');
  });

  it('fails without leaving anything behind when the destination cannot be replaced', () => {
    expect(() => writeFileAtomic(path.join(dir, 'no-such-folder', 'a.csv'), 'x')).toThrow(/ENOENT/);
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'inside'), '');
    const before = readdirSync(dir).sort();
    // a non-empty folder where the file should go: the rename fails and the temporary file is removed
    expect(() => writeFileAtomic(folder, 'x')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
