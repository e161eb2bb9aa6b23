import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EdgeProcessor } from '../edge.ts';
import { CommitGroup, DURABLE, durableOf, Intake } from '../intake.ts';
import { Spool, SpoolFullError } from '../spool/spool.ts';
import { AckQueue, pubacks } from './ack-queue.ts';

const tick = () => new Promise((r) => setImmediate(r));

function recorder() {
  const sent: number[][] = [];
  const failures: string[] = [];
  let drained = 0;
  const q = new AckQueue({
    send: (ids) => {
      sent.push([...ids]);
      return true;
    },
    failed: (err) => failures.push(err.message),
    drained: () => {
      drained++;
    },
  });
  return { q, sent, failures, drained: () => drained };
}

describe('deferred acknowledgements', () => {
  it('sends no PUBACK before what the message waits for is durable, then the whole group in one write, in order', async () => {
    const { q, sent } = recorder();
    const g1 = new CommitGroup();
    const g2 = new CommitGroup();
    q.push(1, g1);
    q.push(2, g1);
    q.push(3, g2);
    q.push(4, DURABLE); // e.g. a duplicate whose first copy is durable: still after 1..3
    await tick();
    expect(sent).toEqual([]);
    expect(q.outstanding).toBe(4);
    g2.settle(null); // a later group cannot overtake an earlier one
    await tick();
    expect(sent).toEqual([]);
    g1.settle(null);
    await tick();
    expect(sent).toEqual([[1, 2, 3, 4]]);
    expect(q.outstanding).toBe(0);
  });

  it('stops acknowledging at the first failed write and reports it once', async () => {
    const { q, sent, failures } = recorder();
    const ok = new CommitGroup();
    const bad = new CommitGroup();
    q.push(1, ok);
    q.push(2, bad);
    q.push(3, DURABLE);
    ok.settle(null);
    bad.settle(new Error('disk full'));
    await tick();
    expect(sent).toEqual([[1]]);
    expect(failures).toEqual(['disk full']);
    q.push(4, DURABLE); // the connection is given up: nothing more
    await tick();
    expect(sent).toEqual([[1]]);
  });

  it('waits for a dead-letter write like for a group', async () => {
    const { q, sent } = recorder();
    let done!: () => void;
    q.push(7, durableOf(new Promise<void>((r) => (done = r))));
    await tick();
    expect(sent).toEqual([]);
    done();
    await tick();
    await tick();
    expect(sent).toEqual([[7]]);
  });

  it('encodes PUBACKs in the 4-byte form', () => {
    expect([...pubacks([1, 0x1234])]).toEqual([0x40, 2, 0, 1, 0x40, 2, 0x12, 0x34]);
  });
});

describe('intake (group commit)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const edge = () => new EdgeProcessor(new Map([['S', 'kWh']]));
  const r = (i: number) => ({ signal: 'S', timeMs: 1_790_000_000_000 + i, value: i });

  it('writes what arrives during a write as one next group, and reports durable readings per source', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-intake-'));
    dirs.push(dir);
    const spool = await Spool.open({ dir });
    const durable = new Map<string, number>();
    const intake = new Intake(spool, edge(), {
      onDurable: (per) => {
        for (const [s, n] of per) durable.set(s, (durable.get(s) ?? 0) + n);
      },
    });
    const groups = new Set<CommitGroup>();
    for (let i = 0; i < 1000; i++) {
      groups.add(intake.add([r(i)], i % 2 ? 'a' : 'b'));
      if (i % 100 === 99) await new Promise((res) => setImmediate(res));
    }
    await intake.drain();
    expect([...groups].every((g) => g.state === 'ok')).toBe(true);
    expect(groups.size).toBeLessThanOrEqual(10);
    expect(spool.stats().groupCommits).toBe(groups.size);
    expect(Object.fromEntries(durable)).toEqual({ a: 500, b: 500 });
    await spool.close();
  });

  it('refuses at admission when the spool budget is used, and a failed write fails the group after it too', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plantkpi-intake-'));
    dirs.push(dir);
    const spool = await Spool.open({ dir, maxBytes: 4096, segmentBytes: 1024 });
    const e = edge();
    const intake = new Intake(spool, e);
    let refused: unknown;
    try {
      for (let i = 0; i < 1000; i++) intake.add([r(i)], 'x');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(SpoolFullError);
    await intake.drain();
    for (let b = await spool.next(1000); b; b = await spool.next(1000)) await spool.ack(b);
    expect(intake.hasRoom(100)).toBe(true);

    // a write that fails: the group waiting behind it fails as well, and the edge forgets what it saw
    e.process([{ signal: 'S', timeMs: 1, value: 1 }], { scale: 1, offset: 0 });
    await spool.close(); // closed file: the next write fails
    const first = intake.add([r(1)], 'x');
    await new Promise((res) => setImmediate(res));
    const second = intake.add([r(2)], 'x');
    await intake.drain();
    expect(first.state).toBe('failed');
    expect(second.state).toBe('failed');
    expect(intake.tail().state).toBe('ok'); // a message without readings does not wait for a failed group
    expect(e.process([{ signal: 'S', timeMs: 1, value: 1 }], { scale: 1, offset: 0 }).duplicates).toBe(0);
  });
});
