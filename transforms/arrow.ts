/** Series <-> Apache Arrow tables (Float64 columns `time` and `value`). */
import { Float64, type Table, tableFromArrays } from 'apache-arrow';
import type { Series } from '../store/port.ts';

export function seriesFromTable(table: Table, timeCol = 'time', valueCol = 'value'): Series {
  const t = table.getChild(timeCol);
  const v = table.getChild(valueCol);
  if (t === null || v === null) throw new Error(`table has no '${t === null ? timeCol : valueCol}' column`);
  const times =
    t.type instanceof Float64 && t.data.length === 1
      ? (t.data[0]!.values as Float64Array)
      : Float64Array.from(t.toArray() as ArrayLike<number>);
  const values =
    v.type instanceof Float64 && v.data.length === 1
      ? (v.data[0]!.values as Float64Array)
      : Float64Array.from(v.toArray() as ArrayLike<number>);
  return { times: times.subarray(0, table.numRows), values: values.subarray(0, table.numRows) };
}

export function seriesToTable(s: Series): Table {
  return tableFromArrays({ time: s.times, value: s.values });
}
