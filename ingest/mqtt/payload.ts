/** Turning one MQTT message into raw readings: JSON mapping, Sparkplug B, or a plain number. */
import { createRequire } from 'node:module';
import { DateTime } from 'luxon';
import type { MqttSubscription } from './schema.ts';
import { fillTemplate } from './topic.ts';

const require = createRequire(import.meta.url);
const sparkplug = require('sparkplug-payload').get('spBv1.0') as {
  decodePayload(buf: Uint8Array): SparkplugPayload;
};

interface SparkplugMetric {
  name?: string;
  alias?: number | { toNumber(): number };
  timestamp?: number | { toNumber(): number };
  value?: unknown;
  isNull?: boolean;
}
interface SparkplugPayload {
  timestamp?: number | { toNumber(): number };
  metrics?: SparkplugMetric[];
}

export class PayloadError extends Error {}

export interface RawReading {
  signal: string;
  timeMs: number;
  value: number;
  quality?: string;
}

/** `a.b[2].c` */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1] !== '') cur = (cur as Record<string, unknown> | null)?.[m[1]!];
    for (const idx of m[2]!.match(/\d+/g) ?? []) cur = (cur as unknown[] | null)?.[Number(idx)];
    if (cur === undefined) return undefined;
  }
  return cur;
}

function toNumber(v: unknown, what: string): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PayloadError(`${what} is not a finite number`);
    return v;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (v && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  throw new PayloadError(`${what} ${JSON.stringify(v)?.slice(0, 40)} is not a number`);
}

export function parseTime(v: unknown, format: MqttSubscription['timeFormat']): number {
  if (format === 'iso') {
    if (typeof v !== 'string') throw new PayloadError('time is not an ISO string');
    const dt = DateTime.fromISO(v, { setZone: true });
    if (!dt.isValid || !/([+-]\d{2}:?\d{2}|Z)$/.test(v))
      throw new PayloadError(`time '${v}' is not ISO 8601 with an offset`);
    return dt.toMillis();
  }
  const n = toNumber(v, 'time');
  const ms = format === 'epoch-s' ? n * 1000 : format === 'epoch-us' ? n / 1000 : n;
  // 2000-01-01 .. 2100-01-01: anything else is a unit mistake
  if (ms < 946_684_800_000 || ms > 4_102_444_800_000)
    throw new PayloadError(`time ${n} is outside 2000..2100 as ${format}`);
  return Math.round(ms);
}

export function decodeMessage(
  sub: MqttSubscription,
  captures: Record<string, string>,
  payload: Buffer,
  receivedMs: number,
  aliases?: Map<number, string>,
): RawReading[] {
  if (sub.payload === 'plain') {
    if (!sub.receiveTimeFallback)
      throw new PayloadError('a plain payload has no time: set receiveTimeFallback');
    const text = payload.toString('utf8').trim();
    return [{ signal: signalOf(sub, captures), timeMs: receivedMs, value: toNumber(text, 'payload') }];
  }
  if (sub.payload === 'sparkplug') return decodeSparkplug(sub, captures, payload, aliases);
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new PayloadError(`not JSON: ${(err as Error).message}`);
  }
  const items = Array.isArray(doc) ? doc : [doc];
  if (items.length === 0) throw new PayloadError('empty JSON array');
  return items.map((item, i) => {
    const where = Array.isArray(doc) ? `[${i}] ` : '';
    const raw = getPath(item, sub.valuePath);
    if (raw === undefined || raw === null) throw new PayloadError(`${where}no value at '${sub.valuePath}'`);
    let timeMs: number;
    if (sub.timePath !== undefined && getPath(item, sub.timePath) !== undefined) {
      timeMs = parseTime(getPath(item, sub.timePath), sub.timeFormat);
    } else if (sub.receiveTimeFallback) {
      timeMs = receivedMs;
    } else {
      throw new PayloadError(`${where}no time at '${sub.timePath ?? '(timePath not set)'}'`);
    }
    let signal: string;
    if (sub.signalPath !== undefined) {
      const s = getPath(item, sub.signalPath);
      if (typeof s !== 'string' || s === '')
        throw new PayloadError(`${where}no signal id at '${sub.signalPath}'`);
      signal = s;
    } else signal = signalOf(sub, captures);
    const quality = sub.qualityPath ? getPath(item, sub.qualityPath) : undefined;
    return {
      signal,
      timeMs,
      value: toNumber(raw, `${where}value`),
      ...(typeof quality === 'string' ? { quality } : {}),
    };
  });
}

function signalOf(sub: MqttSubscription, captures: Record<string, string>): string {
  if (sub.signal === undefined)
    throw new PayloadError('the subscription names no signal (signal or signalPath)');
  try {
    return fillTemplate(sub.signal, captures);
  } catch (err) {
    throw new PayloadError((err as Error).message);
  }
}

function decodeSparkplug(
  sub: MqttSubscription,
  captures: Record<string, string>,
  payload: Buffer,
  aliases?: Map<number, string>,
): RawReading[] {
  let p: SparkplugPayload;
  try {
    p = sparkplug.decodePayload(new Uint8Array(payload));
  } catch (err) {
    throw new PayloadError(`not a Sparkplug B payload: ${(err as Error).message}`);
  }
  const out: RawReading[] = [];
  for (const m of p.metrics ?? []) {
    const alias = m.alias === undefined ? undefined : toNumber(m.alias, 'alias');
    if (m.name && alias !== undefined) aliases?.set(alias, m.name);
    const name = m.name || (alias !== undefined ? aliases?.get(alias) : undefined);
    if (!name)
      throw new PayloadError(`metric with alias ${alias} has no name and no birth certificate named it`);
    if (m.isNull || m.value === null || m.value === undefined) continue;
    if (typeof m.value === 'string' || (typeof m.value === 'object' && !('toNumber' in (m.value as object))))
      continue;
    const ts = m.timestamp ?? p.timestamp;
    if (ts === undefined) throw new PayloadError(`metric '${name}' has no timestamp`);
    const signal = fillTemplate(sub.signal ?? '{metric}', { ...captures, metric: name });
    out.push({ signal, timeMs: toNumber(ts, 'timestamp'), value: toNumber(m.value, `metric '${name}'`) });
  }
  return out;
}
