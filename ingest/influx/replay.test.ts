/** Replaying the refused file, against a fake target: what stays, what goes, what is carried over. */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WriteError } from '../../store/influx/write-error.ts';
import type { Reading, ReadingWriter } from '../../store/port.ts';
import { tempDir } from '../../test/helpers.ts';
import { replayRefused } from './replay.ts';

const tmp = tempDir('plantkpi-replay-');
afterAll(() => tmp.cleanup());

class FakeTarget implements ReadingWriter {
  readonly description = 'fake';
  readonly stored: Reading[] = [];
  failWith: WriteError | null = null;
  onWrite: (() => void) | null = null;
  constructor(public refuse: (r: Reading) => boolean) {}
  async write(readings: readonly Reading[]): Promise<void> {
    this.onWrite?.();
    if (this.failWith) throw this.failWith;
    const bad = readings.filter(this.refuse);
    if (bad.length > 0) throw new WriteError('InfluxDB answered 400: still too old', false, 400);
    this.stored.push(...readings);
  }
}

const r = (signal: string, timeMs: number): Reading => ({ signal, timeMs, value: timeMs / 1000 });
const entry = (reason: string, readings: Reading[]) =>
  JSON.stringify({ time: '2026-10-01T00:00:00.000Z', target: 'x', status: 400, reason, readings });

function fileWith(name: string, lines: string[]): string {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return file;
}

describe('replayRefused', () => {
  it('removes what is now stored, keeps what is still refused (with the new reason) and other lines as they are', async () => {
    const file = fileWith('mixed.jsonl', [
      entry('InfluxDB answered 400: points beyond retention policy', [
        r('A', 1000),
        r('A', 2000),
        r('B', 3000),
      ]),
      '{"time":"t","source":"mqtt","reason":"not JSON","payload":"x"}',
      'not json at all',
      entry('InfluxDB answered 400: points beyond retention policy', [r('C', 4000)]),
    ]);
    const target = new FakeTarget((x) => x.signal === 'A' && x.timeMs < 1500);
    const res = await replayRefused(file, target, {
      settleMs: 0,
      now: () => new Date('2026-11-01T00:00:00Z'),
    });
    expect(res).toMatchObject({
      found: true,
      entries: 2,
      readings: 4,
      replayed: 3,
      stillRefused: 1,
      notTried: 0,
      otherLines: 2,
      changed: true,
      reasons: ['InfluxDB answered 400: still too old'],
    });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-10-01T00:00:00.000Z',
      target: 'x',
      status: 400,
      reason: 'InfluxDB answered 400: still too old',
      replayedAt: '2026-11-01T00:00:00.000Z',
      readings: [r('A', 1000)],
    });
    expect(lines[1]).toBe('{"time":"t","source":"mqtt","reason":"not JSON","payload":"x"}');
    expect(lines[2]).toBe('not json at all');
    expect(target.stored.map((x) => x.timeMs).sort()).toEqual([2000, 3000, 4000]);
    // no temp file left behind
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // twice: nothing changes, byte for byte
    const before = readFileSync(file, 'utf8');
    const again = await replayRefused(file, target, { settleMs: 0 });
    expect(again).toMatchObject({ replayed: 0, stillRefused: 1, changed: false });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('stops at a transient or config problem and keeps everything not tried', async () => {
    const lines = [entry('old', [r('A', 1000)]), entry('old', [r('B', 2000)])];
    const file = fileWith('stop.jsonl', lines);
    const target = new FakeTarget(() => false);
    target.failWith = new WriteError('InfluxDB answered 404: database not found', true, 404, undefined, {
      kind: 'config',
      hint: 'create database x',
    });
    const res = await replayRefused(file, target, { batchLines: 1, settleMs: 0 });
    expect(res).toMatchObject({ replayed: 0, notTried: 2, changed: false });
    expect(res.stoppedBy?.kind).toBe('config');
    expect(readFileSync(file, 'utf8')).toBe(lines.map((l) => `${l}\n`).join(''));
  });

  it('keeps what the collector appends while the replay runs, also a line it was still writing', async () => {
    const file = fileWith('busy.jsonl', [entry('old', [r('A', 1000)])]);
    appendFileSync(file, '{"half":'); // a line being written when the replay reads
    const target = new FakeTarget(() => false);
    target.onWrite = () => {
      target.onWrite = null;
      appendFileSync(file, `true}\n${entry('new', [r('Z', 9000)])}\n`);
    };
    const res = await replayRefused(file, target, { settleMs: 0 });
    expect(res).toMatchObject({ replayed: 1, changed: true });
    expect(readFileSync(file, 'utf8')).toBe(`{"half":true}\n${entry('new', [r('Z', 9000)])}\n`);
  });

  it('no file: nothing to do', async () => {
    const res = await replayRefused(path.join(tmp.dir, 'none.jsonl'), new FakeTarget(() => false));
    expect(res).toMatchObject({ found: false, readings: 0, changed: false });
  });
});
