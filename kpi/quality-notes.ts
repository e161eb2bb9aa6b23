/**
 * The quality report's notes, zh-CN with English after it (`中文。 English`), made where the calculation decides
 * them, so the CLI, the workbook and the CSV print one text. Pure.
 */
import type { CounterEvent } from '../transforms/counter.ts';

function note(zh: string, en: string): string {
  return `${zh}。 ${en}`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

/** What a counter event means, in zh-CN, with its readings. */
function eventZh(e: Pick<CounterEvent, 'kind' | 'previous' | 'current'>): string {
  switch (e.kind) {
    case 'rollover':
      return `计数器溢出归零：${e.previous} → ${e.current}，按溢出续计`;
    case 'reset':
      return `计数器由 ${e.previous} 降至 ${e.current} 且无换表记录：按从 0 重新计数（计 ${e.current}）；如确有换表，请登记换表记录`;
    case 'replacement':
      return `换表：旧表最后读数 ${e.previous}，新表首个读数 ${e.current}`;
    case 'replacement_without_final':
      return `换表缺旧表末读数：旧表最后读数 ${e.previous} 至换表之间的用量未知，按 0 计`;
  }
}

export const qualityNotes = {
  /** a virtual meter's term is incomplete */
  termIncomplete: (signal: string, ratio: number) =>
    note(`${signal} 完整率 ${pct(ratio)}`, `${signal} is ${pct(ratio)} complete`),
  noReadings: () => note('期间内外均无读数', 'no readings in or around the period'),
  rateGap: (hours: string) =>
    note(
      `期间有 ${hours} 小时无读数覆盖（未积分）`,
      `${hours} h of the period not covered by readings (not integrated)`,
    ),
  counterEvent: (e: CounterEvent, at: string) =>
    note(`${at} ${eventZh(e)}`, `${e.kind} at ${at}: ${e.message}`),
  noReadingBefore: (at: string, first: string) =>
    note(
      `${at} 及之前无读数：自首个读数 ${first} 起计`,
      `no reading at or before ${at}: counted from the first reading at ${first}`,
    ),
  noReadingAfter: (at: string, last: string) =>
    note(
      `${at} 及之后无读数：计至最后读数 ${last}`,
      `no reading at or after ${at}: counted up to the last reading at ${last}`,
    ),
  interpolated: (at: string) =>
    note(`${at} 无读数：取相邻读数插值`, `no reading at ${at}: value interpolated between neighbours`),
};
