import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { frame, scan } from './segments.ts';
import { Spool, SpoolFullError } from './spool.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-spool-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const rec = (i: number) => Buffer.from(JSON.stringify({ i }));
const ids = (b: { payloads: Buffer[] } | null) =>
  b ? b.payloads.map((p) => JSON.parse(p.toString()).i) : [];

async function drain(s: Spool, max = 1000): Promise<number[]> {
  const out: number[] = [];
  for (let b = await s.next(max); b; b = await s.next(max)) {
    out.push(...ids(b));
    await s.ack(b);
  }
  return out;
}

describe('spool', () => {
  it('gives back what was appended, in order, across segments', async () => {
    const s = await Spool.open({ dir: tmp(), segmentBytes: 200 });
    for (let i = 0; i < 50; i++) await s.append([rec(i)]);
    expect(await drain(s, 7)).toEqual([...Array(50).keys()]);
    expect(await s.next(10)).toBeNull();
    await s.close();
  });

  it('keeps unacknowledged records across a reopen, and forgets acknowledged ones', async () => {
    const dir = tmp();
    const a = await Spool.open({ dir, segmentBytes: 100 });
    await a.append([rec(1), rec(2), rec(3)]);
    await a.append([rec(4)]);
    const b1 = await a.next(2);
    expect(ids(b1)).toEqual([1, 2]);
    await a.ack(b1!);
    expect(ids(await a.next(10))).toEqual([3, 4]); // handed out, never acknowledged
    await a.close();
    const b = await Spool.open({ dir, segmentBytes: 100 });
    expect(await drain(b)).toEqual([3, 4]);
    await b.close();
  });

  it('rewind hands out again what was not acknowledged', async () => {
    const s = await Spool.open({ dir: tmp() });
    await s.append([rec(1), rec(2)]);
    expect(ids(await s.next(10))).toEqual([1, 2]);
    s.rewind();
    expect(ids(await s.next(10))).toEqual([1, 2]);
    await s.close();
  });

  it('cuts a torn tail left by a crash and keeps every whole record', async () => {
    const dir = tmp();
    const a = await Spool.open({ dir });
    await a.append([rec(1), rec(2)]);
    await a.close();
    const seg = readdirSync(dir)
      .filter((f) => f.startsWith('seg-'))
      .sort()
      .at(-1)!;
    appendFileSync(path.join(dir, seg), frame(rec(3)).subarray(0, 9)); // half a frame
    const b = await Spool.open({ dir });
    await b.append([rec(4)]);
    expect(await drain(b)).toEqual([1, 2, 4]);
    await b.close();
  });

  it('skips a damaged record (bad checksum) and keeps the ones after it', () => {
    const good = Buffer.concat([frame(rec(1)), frame(rec(2)), frame(rec(3))]);
    const bad = Buffer.from(good);
    bad[frame(rec(1)).length + 14] = 0x7a; // a byte inside record 2's payload
    const res = scan(bad);
    expect(res.records.map((r) => JSON.parse(r.payload.toString()).i)).toEqual([1, 3]);
    expect(res.damaged).toBe(1);
  });

  it("rejects appends when the disk budget is full ('reject'), and accepts again once drained", async () => {
    const s = await Spool.open({ dir: tmp(), maxBytes: 400, segmentBytes: 100, whenFull: 'reject' });
    let accepted = 0;
    let refused: unknown;
    for (let i = 0; i < 100 && !refused; i++) {
      try {
        await s.append([rec(i)]);
        accepted++;
      } catch (err) {
        refused = err;
      }
    }
    expect(refused).toBeInstanceOf(SpoolFullError);
    expect((refused as SpoolFullError).retryable).toBe(true);
    expect(s.stats().bytes).toBeLessThanOrEqual(400);
    expect((await drain(s)).length).toBe(accepted);
    await s.append([rec(999)]);
    expect(await drain(s)).toEqual([999]);
    await s.close();
  });

  it("drops the oldest segment when full ('drop-oldest') and counts what it dropped", async () => {
    const s = await Spool.open({ dir: tmp(), maxBytes: 300, segmentBytes: 100, whenFull: 'drop-oldest' });
    for (let i = 0; i < 40; i++) await s.append([rec(i)]);
    const got = await drain(s);
    expect(got.at(-1)).toBe(39);
    expect(got.length + s.stats().droppedRecords).toBe(40);
    expect(s.stats().droppedRecords).toBeGreaterThan(0);
    await s.close();
  });

  it('reports bytes and the age of the oldest pending data', async () => {
    const s = await Spool.open({ dir: tmp() });
    expect(s.stats().oldestAgeMs).toBe(0);
    await s.append([rec(1)]);
    expect(s.stats().bytes).toBeGreaterThan(0);
    expect(s.stats().appendedRecords).toBe(1);
    await drain(s);
    expect(s.stats().oldestAgeMs).toBe(0);
    await s.close();
  });

  it('reads in bounded chunks: records across chunk edges, and one record larger than a chunk', async () => {
    const s = await Spool.open({ dir: tmp(), segmentBytes: 64 * 1024 * 1024 });
    const big = Buffer.from(JSON.stringify({ i: -1, pad: 'x'.repeat(3 * 1024 * 1024) }));
    // in groups of 100 (300 fsyncs, not 30,000: on a busy disk those alone took more than a minute)
    for (let i = 0; i < 30_000; i += 100) await s.append(Array.from({ length: 100 }, (_, j) => rec(i + j)));
    await s.append([big]);
    await s.append([rec(30_000)]);
    const got = await drain(s, 5000);
    expect(got.length).toBe(30_002);
    expect(got[30_000]).toBe(-1);
    expect(got.at(-1)).toBe(30_000);
    await s.close();
  }, 60_000);

  it('survives a garbage cursor file', async () => {
    const dir = tmp();
    const a = await Spool.open({ dir });
    await a.append([rec(1)]);
    await a.close();
    writeFileSync(path.join(dir, 'cursor.json'), '{not json');
    const b = await Spool.open({ dir });
    expect(await drain(b)).toEqual([1]);
    await b.close();
  });
});
