import {
  Float64,
  Int32,
  makeVector,
  Table,
  TimestampMillisecond,
  TimestampSecond,
  tableFromArrays,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { seriesFromTable, seriesToTable } from './arrow.ts';

const f = (a: number[]) => Float64Array.from(a);
const T0 = 1_790_000_000_000;

describe('seriesToTable', () => {
  it('writes Float64 columns time and value', () => {
    const t = seriesToTable({ times: f([T0, T0 + 1000]), values: f([1.5, 2.5]) });
    expect(t.numRows).toBe(2);
    expect(t.schema.fields.map((x) => [x.name, String(x.type)])).toEqual([
      ['time', 'Float64'],
      ['value', 'Float64'],
    ]);
    expect(t.getChild('value')!.get(1)).toBe(2.5);
  });

  it('refuses columns of different lengths', () => {
    expect(() => seriesToTable({ times: f([1, 2]), values: f([1]) })).toThrow(/2 times but 1 values/);
  });
});

describe('seriesFromTable', () => {
  it('round-trips a series through an Arrow table', () => {
    const s = { times: f([T0, T0 + 1, T0 + 2]), values: f([4.5, 5.5, 6.5]) };
    const back = seriesFromTable(seriesToTable(s));
    expect(back.times).toEqual(s.times);
    expect(back.values).toEqual(s.values);
    expect(back.times).toBeInstanceOf(Float64Array);
  });

  it('round-trips an empty series', () => {
    const back = seriesFromTable(seriesToTable({ times: f([]), values: f([]) }));
    expect([back.times.length, back.values.length]).toEqual([0, 0]);
  });

  it('reads other column names, and a sliced table', () => {
    const t = tableFromArrays({ ts: f([1, 2, 3, 4]), kw: f([10, 20, 30, 40]) });
    const s = seriesFromTable(t.slice(1, 3), 'ts', 'kw');
    expect([...s.times]).toEqual([2, 3]);
    expect([...s.values]).toEqual([20, 30]);
  });

  it('reads a table of several chunks', () => {
    const a = tableFromArrays({ time: f([1, 2]), value: f([5, 6]) });
    const b = tableFromArrays({ time: f([3]), value: f([7]) });
    const s = seriesFromTable(a.concat(b));
    expect([...s.times]).toEqual([1, 2, 3]);
    expect([...s.values]).toEqual([5, 6, 7]);
  });

  it('converts timestamps, Int64 and Int32 columns to numbers (epoch ms for timestamps)', () => {
    const t = new Table({
      time: vectorFromArray([new Date(T0), new Date(T0 + 1000)], new TimestampMillisecond()),
      value: makeVector(BigInt64Array.from([5n, 7n])),
    });
    expect(seriesFromTable(t)).toEqual({ times: f([T0, T0 + 1000]), values: f([5, 7]) });
    const secs = new Table({
      time: vectorFromArray([new Date(5000), new Date(6000)], new TimestampSecond()),
      value: vectorFromArray([1, 2], new Int32()),
    });
    expect(seriesFromTable(secs)).toEqual({ times: f([5000, 6000]), values: f([1, 2]) });
  });

  it('names a missing column and the columns there are', () => {
    const t = tableFromArrays({ time: f([1]), kw: f([1]) });
    expect(() => seriesFromTable(t)).toThrow("table has no column 'value' (it has: time, kw)");
  });

  it('refuses nulls and non-numeric columns', () => {
    const nulls = new Table({
      time: vectorFromArray([1, 2, 3], new Float64()),
      value: vectorFromArray([1, null, 3], new Float64()),
    });
    expect(() => seriesFromTable(nulls)).toThrow("column 'value' holds 1 nulls");
    const text = new Table({
      time: vectorFromArray([1], new Float64()),
      value: vectorFromArray(['a'], new Utf8()),
    });
    expect(() => seriesFromTable(text)).toThrow(/column 'value' is not numeric/);
  });

  it('refuses times that are not ascending and unique', () => {
    expect(() => seriesFromTable(tableFromArrays({ time: f([1, 3, 2]), value: f([0, 0, 0]) }))).toThrow(
      "column 'time' is not ascending and unique at row 2 (3 then 2)",
    );
    expect(() => seriesFromTable(tableFromArrays({ time: f([1, 1]), value: f([0, 0]) }))).toThrow(/row 1/);
  });
});
