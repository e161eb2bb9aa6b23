/** Series <-> Apache Arrow tables (Float64 columns `time` and `value`). */
import { Float64, type Table, tableFromArrays, type Vector } from 'apache-arrow';
import type { Series } from '../store/port.ts';

/**
 * The series held in two columns of a table. A Float64 column without nulls in one chunk is used without copying;
 * other numeric columns (integers, Int64, timestamps and dates as epoch ms) are copied into Float64Arrays.
 * Throws when a column is missing, holds nulls or non-numbers, or the times are not ascending and unique.
 */
export function seriesFromTable(table: Table, timeCol = 'time', valueCol = 'value'): Series {
  const times = column(table, timeCol);
  const values = column(table, valueCol);
  for (let i = 1; i < times.length; i++)
    if (!(times[i]! > times[i - 1]!))
      throw new Error(
        `column '${timeCol}' is not ascending and unique at row ${i} (${times[i - 1]} then ${times[i]}): sort the ` +
          'table by time and drop duplicate times first',
      );
  return { times, values };
}

/** A table with Float64 columns `time` (epoch ms) and `value`. */
export function seriesToTable(s: Series): Table {
  if (s.times.length !== s.values.length)
    throw new Error(`series has ${s.times.length} times but ${s.values.length} values`);
  return tableFromArrays({ time: s.times, value: s.values });
}

function column(table: Table, name: string): Float64Array {
  const col = table.getChild(name) as Vector | null;
  if (col === null) {
    const names = table.schema.fields.map((f) => f.name).join(', ');
    throw new Error(`table has no column '${name}' (it has: ${names || 'none'})`);
  }
  if (col.nullCount > 0)
    throw new Error(`column '${name}' holds ${col.nullCount} nulls: drop those rows first`);
  if (col.type instanceof Float64 && col.data.length === 1)
    return (col.data[0]!.values as Float64Array).subarray(0, col.length);
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const v: unknown = col.get(i);
    if (typeof v === 'number') out[i] = v;
    else if (typeof v === 'bigint') out[i] = Number(v);
    else throw new Error(`column '${name}' is not numeric (${col.type}): row ${i} holds ${String(v)}`);
  }
  return out;
}
