/**
 * Partial writes: InfluxDB refused some points of a batch and (1.x, 3.x) stored the others. The rule: find exactly
 * the refused points, so that only they are dead-lettered and the rest count as stored.
 *
 *  - Where the answer names the refused lines, take them from it: InfluxDB 1.x/2.x `unable to parse '<line>': why`
 *    (one per line), InfluxDB 3 `data: [{line_number, original_line, error_message}]`. The other points are sent
 *    once more, which confirms them (2.x refuses a whole batch on a parse error, so that re-send is what stores them).
 *  - Where it cannot say which points (`points beyond retention policy dropped=3`, a field type conflict naming only
 *    the measurement and field, a 413), bisect: send halves again until single refused points remain. Re-sending a
 *    stored point is idempotent (same series, same timestamp: it overwrites itself). The batch is ordered by time
 *    first, because what InfluxDB refuses usually lies in a time range (older than the retention policy; the shard
 *    where a field has another type), so the refused points sit together and few requests find them.
 *
 * Every point counted as stored was answered 2xx in some request; every refused one was refused alone, or in a group
 * InfluxDB said it dropped entirely. When InfluxDB gave `dropped=N`, the count found is checked against it.
 */
import {
  asWriteError,
  PartialWriteError,
  type RefusedPoint,
  serverText,
  type WriteError,
} from './write-error.ts';

export interface Refusal {
  /** the answer says `partial write`: the points not refused were stored */
  partial: boolean;
  /** InfluxDB's `dropped=N` */
  dropped?: number;
  /** refused lines by their text (`unable to parse '<line>': <why>`) */
  named: { line: string; reason: string }[];
  /** refused lines by their 0-based position in the request (InfluxDB 3) */
  numbered: { index: number; line?: string; reason: string }[];
  /** the reason, without the batch-specific `dropped=N` */
  reason: string;
}

const UNABLE = "unable to parse '";

/** Reads what InfluxDB says about a refused write. `isLine` tells the real lines apart (a line may hold `': `). */
export function parseRefusal(err: WriteError, isLine?: (line: string) => boolean): Refusal {
  const text = err.body !== undefined ? serverText(err.body) : err.message;
  const partial = /partial write/i.test(text);
  const droppedMatch = /dropped=(\d+)\s*$/.exec(text);
  const named: Refusal['named'] = [];
  const parts = text.split(UNABLE);
  for (const seg of parts.slice(1)) {
    // `<line>': <why>` up to the next one; the line itself may contain `': `, so try every cut
    const body = seg.replace(/\s*dropped=\d+\s*$/, '').replace(/\n$/, '');
    const cuts: number[] = [];
    for (let at = body.indexOf("': "); at >= 0; at = body.indexOf("': ", at + 1)) cuts.push(at);
    if (cuts.length === 0) continue;
    const cut = (isLine && cuts.find((c) => isLine(body.slice(0, c)))) ?? cuts[cuts.length - 1]!;
    named.push({ line: body.slice(0, cut), reason: `unable to parse: ${body.slice(cut + 3).trim()}` });
  }
  const numbered: Refusal['numbered'] = [];
  if (err.body !== undefined) {
    try {
      const j = JSON.parse(err.body) as { data?: unknown };
      if (Array.isArray(j.data)) {
        for (const d of j.data as {
          line_number?: unknown;
          original_line?: unknown;
          error_message?: unknown;
        }[]) {
          if (typeof d?.line_number !== 'number') continue;
          numbered.push({
            index: d.line_number - 1,
            ...(typeof d.original_line === 'string' ? { line: d.original_line } : {}),
            reason: typeof d.error_message === 'string' ? d.error_message : text,
          });
        }
      }
    } catch {
      // not JSON
    }
  }
  return {
    partial,
    ...(droppedMatch ? { dropped: Number(droppedMatch[1]) } : {}),
    named,
    numbered,
    reason: reasonOf(err),
  };
}

/** An error's message without what only holds for its batch (`dropped=N`, the `partial write:` preface). */
export function reasonOf(err: WriteError): string {
  return err.message
    .replace(/\s*dropped=\d+/, '')
    .replace(/partial write: /i, '')
    .replace(/\s*\(\d+ of \d+ points refused, the rest stored\)$/, '');
}

export interface ResolveOptions<T> {
  /** the line protocol of an item, to match lines the answer names */
  lineOf?: (item: T) => string;
  /** the time of an item, to bisect in time order */
  timeOf?: (item: T) => number | undefined;
}

export interface Resolution {
  /** by index into the items */
  refused: RefusedPoint[];
  stored: number;
  /** the server's count of refused points (`dropped=N`, or the lines it named), when it gave one */
  expectedRefused?: number;
  /** requests made, the first included */
  requests: number;
  /** the answer to the first request, when it was refused */
  firstError?: WriteError;
}

/** The timestamp at the end of a line of line protocol, if it has one. */
export function lineTime(line: string): number | undefined {
  const m = / (-?\d+)\s*$/.exec(line);
  return m ? Number(m[1]) : undefined;
}

/**
 * Finds exactly which of `items` the server refused, after `send(items)` failed with a data error `first`.
 * Throws (a WriteError) when a re-send meets a transient or config problem: nothing is decided then, and the
 * caller retries the whole batch later (which is idempotent).
 */
export async function resolveRefused<T>(
  items: readonly T[],
  send: (batch: T[]) => Promise<void>,
  first: WriteError,
  o: ResolveOptions<T> = {},
): Promise<Resolution> {
  const refused: RefusedPoint[] = [];
  let requests = 1;
  let lineIndex: Map<string, number[]> | undefined;
  const linesOf = () => {
    if (lineIndex === undefined && o.lineOf) {
      lineIndex = new Map();
      items.forEach((it, i) => {
        const l = o.lineOf!(it).trim();
        const list = lineIndex!.get(l);
        if (list) list.push(i);
        else lineIndex!.set(l, [i]);
      });
    }
    return lineIndex;
  };

  const trySend = async (idx: number[]): Promise<WriteError | null> => {
    requests++;
    try {
      await send(idx.map((i) => items[i]!));
      return null;
    } catch (err) {
      const e = asWriteError(err);
      if (e.kind !== 'data') throw e;
      return e;
    }
  };

  const refuse = (i: number, reason: string, status?: number) =>
    refused.push({ index: i, reason, ...(status !== undefined ? { status } : {}) });

  // idx: the items of the request that got `err`, in the order they were sent
  const solve = async (idx: number[], err: WriteError, timeOrdered: boolean): Promise<void> => {
    if (err instanceof PartialWriteError) {
      // the target below has already found them
      if (err !== first) requests += Math.max(0, err.requests - 1);
      for (const r of err.refused) refuse(idx[r.index]!, r.reason, r.status ?? err.status);
      return;
    }
    const map = linesOf();
    const ans = parseRefusal(err, map ? (l) => map.has(l.trim()) : undefined);
    const named = new Map<number, string>(); // position in idx -> reason
    for (const n of ans.numbered) {
      if (n.index < 0 || n.index >= idx.length) continue;
      if (n.line !== undefined && o.lineOf && o.lineOf(items[idx[n.index]!]!).trim() !== n.line.trim())
        continue;
      named.set(n.index, n.reason);
    }
    if (map && ans.named.length > 0) {
      const pos = new Map(idx.map((i, k) => [i, k]));
      for (const n of ans.named) {
        for (const i of map.get(n.line.trim()) ?? []) {
          const k = pos.get(i);
          if (k !== undefined) named.set(k, n.reason);
        }
      }
    }
    if (named.size > 0) {
      for (const [k, reason] of named) refuse(idx[k]!, reason, err.status);
      const rest = idx.filter((_, k) => !named.has(k));
      if (rest.length === 0) return;
      const e = await trySend(rest);
      if (e) await solve(rest, e, timeOrdered);
      return;
    }
    if (idx.length === 1) {
      refuse(idx[0]!, ans.reason, err.status);
      return;
    }
    if (ans.partial && ans.dropped !== undefined && ans.dropped >= idx.length) {
      for (const i of idx) refuse(i, ans.reason, err.status);
      return;
    }
    let order = idx;
    if (!timeOrdered && o.timeOf) {
      const t = new Map(idx.map((i) => [i, o.timeOf!(items[i]!) ?? Number.NEGATIVE_INFINITY]));
      order = [...idx].sort((a, b) => t.get(a)! - t.get(b)!);
    }
    const mid = order.length >> 1;
    for (const half of [order.slice(0, mid), order.slice(mid)]) {
      const e = await trySend(half);
      if (e) await solve(half, e, true);
    }
  };

  const all = items.map((_, i) => i);
  await solve(all, first, false);
  refused.sort((a, b) => a.index - b.index);

  let expectedRefused: number | undefined;
  if (first instanceof PartialWriteError) expectedRefused = first.expectedRefused;
  else {
    const ans = parseRefusal(first, lineIndex ? (l) => lineIndex!.has(l.trim()) : undefined);
    if (ans.partial && ans.dropped !== undefined && ans.dropped > 0) expectedRefused = ans.dropped;
    else if (ans.numbered.length > 0) expectedRefused = ans.numbered.length;
    else if (ans.named.length > 0) expectedRefused = ans.named.length;
  }
  return {
    refused,
    stored: items.length - refused.length,
    ...(expectedRefused !== undefined ? { expectedRefused } : {}),
    requests: first instanceof PartialWriteError ? first.requests : requests,
    firstError: first,
  };
}

/**
 * Sends `items`; when the server refuses some, finds exactly which (resolveRefused). Resolves with what was refused
 * (empty when all were stored); throws a transient or config WriteError when it could not tell.
 */
export async function deliver<T>(
  items: readonly T[],
  send: (batch: T[]) => Promise<void>,
  o: ResolveOptions<T> = {},
): Promise<Resolution> {
  try {
    await send([...items]);
    return { refused: [], stored: items.length, requests: 1 };
  } catch (err) {
    const e = asWriteError(err);
    if (e.kind !== 'data') throw e;
    return resolveRefused(items, send, e, o);
  }
}
