/** Finding exactly the refused points of a partial write: answers parsed where they name lines, else bisection. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliver, lineTime, parseRefusal, resolveRefused } from './partial.ts';
import { classify, PartialWriteError, WriteError } from './write-error.ts';

const v1 = { api: 1 as const, database: 'd' };
const answer = (status: number, error: string) => classify(status, JSON.stringify({ error }), null, v1);

/** A fake InfluxDB 1.x: refuses lines `refuse` says no to, stores the rest, answers like 1.x does. */
function fake1x(refuse: (line: string) => boolean) {
  const stored = new Set<string>();
  let requests = 0;
  const send = async (batch: string[]) => {
    requests++;
    const bad = batch.filter(refuse);
    for (const l of batch) if (!refuse(l)) stored.add(l);
    if (bad.length > 0) {
      throw answer(400, `partial write: points beyond retention policy dropped=${bad.length}`);
    }
  };
  return { send, stored, requests: () => requests };
}

describe('parseRefusal', () => {
  it('reads dropped=N and the reason without it', () => {
    const r = parseRefusal(answer(400, 'partial write: points beyond retention policy dropped=3'));
    expect(r).toMatchObject({ partial: true, dropped: 3, named: [] });
    expect(r.reason).toBe('InfluxDB answered 400: points beyond retention policy');
  });

  it("names lines of `unable to parse '...'`, also lines holding `': ` themselves", () => {
    const lines = ['m v= 1', "garbage it's here", 'm,t=a\\ b v=3,q="x y\': z" 6x'];
    const text = `partial write: ${lines.map((l, i) => `unable to parse '${l}': why ${i}`).join('\n')} dropped=0`;
    const r = parseRefusal(answer(400, text), (l) => lines.includes(l));
    expect(r.named).toEqual(lines.map((line, i) => ({ line, reason: `unable to parse: why ${i}` })));
  });

  it('reads InfluxDB 3 line numbers and the v2 {code, message} body', () => {
    const body = JSON.stringify({
      error: 'partial write of line protocol occurred',
      data: [{ original_line: 'm v=x 1', line_number: 2, error_message: 'invalid column type' }],
    });
    const r = parseRefusal(classify(400, body, null, v1));
    expect(r.numbered).toEqual([{ index: 1, line: 'm v=x 1', reason: 'invalid column type' }]);
    const v2 = classify(
      422,
      '{"code":"unprocessable entity","message":"failure writing points to database: partial write: points beyond retention policy dropped=1"}',
      null,
      { api: 2, org: 'o', bucket: 'b' },
    );
    expect(v2.kind).toBe('data');
    expect(parseRefusal(v2)).toMatchObject({ partial: true, dropped: 1 });
  });

  it('lineTime reads the trailing timestamp', () => {
    expect(lineTime('reading,site=S,signal=A value=1,quality="Good" 1790000000000')).toBe(1_790_000_000_000);
    expect(lineTime('m v=1')).toBeUndefined();
    expect(lineTime('m q="a 1"')).toBeUndefined();
  });
});

describe('resolveRefused', () => {
  it('bisects to exactly the refused points; every other point is stored', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 80 }), async (bad) => {
        const lines = bad.map((b, i) => `m,k=${b ? 'old' : 'new'} v=${i} ${1000 + i}`);
        const db = fake1x((l) => l.includes('k=old'));
        const r = await deliver(lines, db.send, { lineOf: (l) => l, timeOf: lineTime });
        const want = bad.flatMap((b, i) => (b ? [i] : []));
        expect(r.refused.map((x) => x.index)).toEqual(want);
        expect(r.stored).toBe(lines.length - want.length);
        expect([...db.stored].sort()).toEqual(lines.filter((l) => !l.includes('k=old')).sort());
        if (want.length > 0) expect(r.expectedRefused).toBe(want.length);
      }),
      { numRuns: 200 },
    );
  });

  it('finds a time range of refused points in a few requests (ordered by time first)', async () => {
    // 4096 points, the oldest 100 refused, sent in shuffled order
    const n = 4096;
    const times = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [times[i], times[j]] = [times[j]!, times[i]!];
    }
    const lines = times.map((t) => `m v=1 ${t}`);
    const db = fake1x((l) => lineTime(l)! < 100);
    const r = await deliver(lines, db.send, { lineOf: (l) => l, timeOf: lineTime });
    expect(r.refused).toHaveLength(100);
    expect(r.refused.every((x) => lineTime(lines[x.index]!)! < 100)).toBe(true);
    expect(r.requests).toBeLessThan(60);
  });

  it('takes named lines from the answer and confirms the rest with one more request', async () => {
    const lines = ['m v=1 1', 'm v= 2', 'm v=3 3', 'garbage'];
    let calls = 0;
    const send = async (batch: string[]) => {
      calls++;
      const bad = batch.filter((l) => l === 'm v= 2' || l === 'garbage');
      if (bad.length) {
        throw answer(
          400,
          `partial write: ${bad.map((l) => `unable to parse '${l}': missing field value`).join('\n')} dropped=0`,
        );
      }
    };
    const r = await deliver(lines, send, { lineOf: (l) => l });
    expect(r.refused.map((x) => x.index)).toEqual([1, 3]);
    expect(r.refused[0]!.reason).toBe('unable to parse: missing field value');
    expect(calls).toBe(2);
    expect(r.expectedRefused).toBe(2);
  });

  it('a group InfluxDB says it dropped entirely is refused without splitting it', async () => {
    const lines = Array.from({ length: 64 }, (_, i) => `m v=1 ${i}`);
    let calls = 0;
    const send = async (batch: string[]) => {
      calls++;
      throw answer(400, `partial write: field type conflict dropped=${batch.length}`);
    };
    const r = await deliver(lines, send, { lineOf: (l) => l, timeOf: lineTime });
    expect(r.refused).toHaveLength(64);
    expect(r.stored).toBe(0);
    expect(calls).toBe(1);
  });

  it('a transient or config problem while bisecting is thrown: nothing is decided', async () => {
    let calls = 0;
    const send = async (_batch: string[]) => {
      calls++;
      if (calls === 1) throw answer(400, `partial write: x dropped=1`);
      throw classify(404, '{"error":"database not found: \\"d\\""}', null, v1);
    };
    const err = await deliver(['a 1', 'b 2', 'c 3'], send, { timeOf: lineTime }).catch((e) => e);
    expect(err).toBeInstanceOf(WriteError);
    expect(err.kind).toBe('config');
  });

  it('uses what a target below has found (PartialWriteError) instead of searching again', async () => {
    const first = answer(400, 'partial write: x dropped=1');
    const below = new PartialWriteError(first, [{ index: 2, reason: 'x', status: 400 }], 3, 1, 5);
    let calls = 0;
    const r = await resolveRefused(
      ['a', 'b', 'c'],
      async () => {
        calls++;
      },
      below,
    );
    expect(calls).toBe(0);
    expect(r).toMatchObject({ refused: [{ index: 2, reason: 'x', status: 400 }], stored: 2, requests: 5 });
  });
});

describe('classify', () => {
  it.each([
    [404, '{"error":"database not found: \\"plant\\""}', 'config', /create database plant/],
    [401, '{"error":"authorization failed"}', 'config', /check credentials/],
    [
      403,
      '{"error":"\\"u\\" user is not authorized to write to database \\"plant\\""}',
      'config',
      /GRANT WRITE/,
    ],
    [500, '{"error":"retention policy not found: nope"}', 'config', /CREATE RETENTION POLICY "nope"/],
    [503, 'busy', 'transient', undefined],
    [429, '', 'transient', undefined],
    [400, '{"error":"partial write: x dropped=1"}', 'data', undefined],
    [413, '{"error":"Request Entity Too Large"}', 'data', /batchLines/],
  ])('%i %s is %s', (status, body, kind, hint) => {
    const e = classify(status, body, null, {
      api: 1,
      database: 'plant',
      retentionPolicy: 'nope',
      username: 'u',
    });
    expect(e.kind).toBe(kind);
    expect(e.retryable).toBe(kind !== 'data');
    if (hint) expect(e.hint).toMatch(hint);
    else expect(e.hint).toBeUndefined();
  });
});
