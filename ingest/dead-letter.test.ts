/** The dead-letter file: its folder is created, and past its size budget entries are counted, not written. */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers.ts';
import { DeadLetterFile } from './dead-letter.ts';

const tmp = tempDir('plantkpi-dl-');
afterAll(() => tmp.cleanup());

describe('DeadLetterFile', () => {
  it('creates its folder, also when it was removed meanwhile', async () => {
    const file = path.join(tmp.dir, 'a', 'b', 'payloads.jsonl');
    const d = new DeadLetterFile(file);
    await d.write({ source: 'm', reason: 'bad', payload: 'x' });
    rmSync(path.join(tmp.dir, 'a'), { recursive: true });
    await d.write({ source: 'm', reason: 'bad', payload: Buffer.from([0xff, 0xfe]) });
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    expect(entry).toMatchObject({ source: 'm', reason: 'bad', payload: '//4=', encoding: 'base64' });
    expect(d.count).toBe(2);
  });

  it('entries arriving together are written in order in groups (one write and fdatasync each), each resolved once in the file', async () => {
    const file = path.join(tmp.dir, 'group', 'payloads.jsonl');
    const d = new DeadLetterFile(file);
    const seen: boolean[] = [];
    const all = Array.from({ length: 500 }, (_, i) =>
      d.write({ source: 'm', reason: `bad ${i}`, payload: `p${i}` }).then(() => {
        // resolved: the entry is in the file already
        seen.push(readFileSync(file, 'utf8').includes(`"reason":"bad ${i}"`));
      }),
    );
    await Promise.all(all);
    expect(seen).toHaveLength(500);
    expect(seen.every(Boolean)).toBe(true);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).reason)).toEqual(Array.from({ length: 500 }, (_, i) => `bad ${i}`));
    expect(d.count).toBe(500);
    // the first alone, the other 499 in one or a few groups behind it: not 500 writes and syncs
    expect(d.groups).toBeGreaterThanOrEqual(2);
    expect(d.groups).toBeLessThan(10);
  });

  it('past the budget: entries are counted in overflow, one warning a minute at most', async () => {
    const file = path.join(tmp.dir, 'budget', 'payloads.jsonl');
    const warnings: Record<string, unknown>[] = [];
    let now = 0;
    const d = new DeadLetterFile(file, {
      maxBytes: 1000,
      log: (_level, _msg, fields) => warnings.push(fields ?? {}),
      now: () => now,
    });
    // ~100 bytes an entry: about 9 fit
    const writes = Array.from({ length: 50 }, (_, i) =>
      d.write({ source: 'mqtt', reason: 'not JSON', payload: `payload ${String(i).padStart(3, '0')}` }),
    );
    await Promise.all(writes);
    const size = statSync(file).size;
    expect(size).toBeLessThanOrEqual(1000);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(d.count);
    expect(d.count).toBeGreaterThan(5);
    expect(d.count + d.overflow).toBe(50);
    // written in order, the first ones kept
    expect(JSON.parse(lines[0]!).payload).toBe('payload 000');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ maxBytes: 1000, overflow: 1 });

    now += 30_000;
    await d.write({ source: 'mqtt', reason: 'x' });
    expect(warnings).toHaveLength(1);
    now += 31_000;
    await d.write({ source: 'mqtt', reason: 'x' });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatchObject({ overflow: d.overflow, overflowSinceLastWarning: d.overflow - 1 });
  });

  it('writes again once the file has shrunk (a replay or a person moved it away)', async () => {
    const file = path.join(tmp.dir, 'shrink.jsonl');
    const d = new DeadLetterFile(file, { maxBytes: 300 });
    writeFileSync(file, 'x'.repeat(295));
    expect(await d.append({ a: 1 })).toBe(false);
    writeFileSync(file, '');
    expect(await d.append({ a: 1 })).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    expect(d.overflow).toBe(1);
  });
});
