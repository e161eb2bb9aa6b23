/** Turning one MQTT message into raw readings: JSON mapping, Sparkplug B, or a plain number. */
import { createRequire } from 'node:module';
import { DateTime } from 'luxon';
import type { Reading } from '../../store/port.ts';
import { EARLIEST_MS, LATEST_MS } from '../edge.ts';
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

/** compiled paths: `a.b[2].c` -> ['a', 'b', 2, 'c'] (null: not a path) */
const compiled = new Map<string, (string | number)[] | null>();

function compilePath(path: string): (string | number)[] | null {
  let steps = compiled.get(path);
  if (steps !== undefined) return steps;
  steps = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((\[\d+\])*)$/.exec(part);
    if (!m) {
      steps = null;
      break;
    }
    if (m[1] !== '') steps.push(m[1]!);
    for (const idx of m[2]!.match(/\d+/g) ?? []) steps.push(Number(idx));
  }
  if (compiled.size < 10_000) compiled.set(path, steps);
  return steps;
}

/** `a.b[2].c` */
export function getPath(obj: unknown, path: string): unknown {
  const steps = compilePath(path);
  if (steps === null) return undefined;
  let cur: unknown = obj;
  for (const step of steps) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  return cur;
}

/** a decimal number as text: `12`, `-0.5`, `1e3` (not `0x10`, `Infinity` or an empty string) */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** How a subscription reads JSON values that are not numbers (booleans, numbers written as strings). */
export interface NumberRules {
  booleans: 'dead-letter' | 'number';
  numericStrings: 'dead-letter' | 'number';
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/**
 * A number where the payload should have one. `what` names the place (`value at 'data.v'`). Booleans and numeric
 * strings are numbers only when the subscription says so; `booleans: null` means a boolean is never one (a time).
 */
function jsonNumber(
  v: unknown,
  what: string,
  rules: { booleans: NumberRules['booleans'] | null; numericStrings: NumberRules['numericStrings'] },
): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PayloadError(`${what} is not a finite number`);
    return v;
  }
  if (typeof v === 'boolean') {
    if (rules.booleans === 'number') return v ? 1 : 0;
    throw new PayloadError(
      `${what} is the boolean ${v}, not a number` +
        (rules.booleans === null ? '' : ` (booleans: number would read it as ${v ? 1 : 0})`),
    );
  }
  if (typeof v === 'string' && DECIMAL.test(v.trim())) {
    const n = Number(v.trim());
    if (!Number.isFinite(n)) throw new PayloadError(`${what} ${show(v)} is not a finite number`);
    if (rules.numericStrings === 'number') return n;
    throw new PayloadError(
      `${what} is the string ${show(v)}, not a number (numericStrings: number would read it as ${n})`,
    );
  }
  throw new PayloadError(`${what} is ${show(v)}, not a number`);
}

/** A plain payload: the whole text is one decimal number. */
function plainNumber(text: string): number {
  const n = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n)) throw new PayloadError(`payload ${show(text)} is not a number`);
  return n;
}

/** Sparkplug's 64-bit integers arrive as Long objects. */
function longNumber(v: number | { toNumber(): number }): number {
  return typeof v === 'number' ? v : v.toNumber();
}

/**
 * A source time in the subscription's format. An epoch time written as a string is read only with
 * `numericStrings: number`; a boolean never is a time. The window of acceptable times is the edge's business.
 */
export function parseTime(
  v: unknown,
  format: MqttSubscription['timeFormat'],
  o: { what?: string; numericStrings?: NumberRules['numericStrings'] } = {},
): number {
  const what = o.what ?? 'time';
  if (format === 'iso') {
    if (typeof v !== 'string') throw new PayloadError(`${what} is ${show(v)}, not an ISO 8601 string`);
    const dt = DateTime.fromISO(v, { setZone: true });
    if (!dt.isValid || !/([+-]\d{2}:?\d{2}|Z)$/.test(v))
      throw new PayloadError(`time '${v}' is not ISO 8601 with an offset`);
    return dt.toMillis();
  }
  const n = jsonNumber(v, what, { booleans: null, numericStrings: o.numericStrings ?? 'dead-letter' });
  const ms = format === 'epoch-s' ? n * 1000 : format === 'epoch-us' ? n / 1000 : n;
  // 2000-01-01 .. 2100-01-01: anything else is a unit mistake
  if (ms < EARLIEST_MS || ms > LATEST_MS)
    throw new PayloadError(`${what} ${n} is outside 2000..2100 as ${format}`);
  return Math.round(ms);
}

export function decodeMessage(
  sub: MqttSubscription,
  captures: Record<string, string>,
  payload: Buffer,
  receivedMs: number,
  aliases?: Map<number, string>,
): Reading[] {
  if (sub.payload === 'plain') {
    if (!sub.receiveTimeFallback)
      throw new PayloadError('a plain payload has no time: set receiveTimeFallback');
    const text = payload.toString('utf8').trim();
    return [{ signal: signalOf(sub, captures), timeMs: receivedMs, value: plainNumber(text) }];
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
    const t = sub.timePath !== undefined ? getPath(item, sub.timePath) : undefined;
    if (typeof t === 'number' && sub.timeFormat === 'epoch-ms' && t >= EARLIEST_MS && t <= LATEST_MS) {
      timeMs = Math.round(t); // the common case, without building the messages of the checks below
    } else if (t !== undefined) {
      timeMs = parseTime(t, sub.timeFormat, {
        what: `${where}time at '${sub.timePath}'`,
        numericStrings: sub.numericStrings,
      });
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
      value:
        typeof raw === 'number' && Number.isFinite(raw)
          ? raw
          : jsonNumber(raw, `${where}value at '${sub.valuePath}'`, sub),
      ...(typeof quality === 'string' ? { quality } : {}),
    };
  });
}

/** signal ids filled from a topic's captures (the MQTT source reuses the captures object of a topic it has seen) */
const filled = new WeakMap<Record<string, string>, string>();

function signalOf(sub: MqttSubscription, captures: Record<string, string>): string {
  if (sub.signal === undefined)
    throw new PayloadError('the subscription names no signal (signal or signalPath)');
  const known = filled.get(captures);
  if (known !== undefined) return known;
  try {
    const signal = fillTemplate(sub.signal, captures);
    filled.set(captures, signal);
    return signal;
  } catch (err) {
    throw new PayloadError((err as Error).message);
  }
}

function decodeSparkplug(
  sub: MqttSubscription,
  captures: Record<string, string>,
  payload: Buffer,
  aliases?: Map<number, string>,
): Reading[] {
  let p: SparkplugPayload;
  try {
    p = sparkplug.decodePayload(new Uint8Array(payload));
  } catch (err) {
    throw new PayloadError(`not a Sparkplug B payload: ${(err as Error).message}`);
  }
  const out: Reading[] = [];
  for (const m of p.metrics ?? []) {
    const alias = m.alias === undefined ? undefined : longNumber(m.alias);
    if (m.name && alias !== undefined) aliases?.set(alias, m.name);
    const name = m.name || (alias !== undefined ? aliases?.get(alias) : undefined);
    if (!name)
      throw new PayloadError(`metric with alias ${alias} has no name and no birth certificate named it`);
    if (m.isNull) continue;
    const value = sparkplugValue(m.value, `metric '${name}'`, sub);
    if (value === null) continue;
    const ts = m.timestamp ?? p.timestamp;
    if (ts === undefined) throw new PayloadError(`metric '${name}' has no timestamp`);
    const signal = fillTemplate(sub.signal ?? '{metric}', { ...captures, metric: name });
    out.push({ signal, timeMs: longNumber(ts), value });
  }
  return out;
}

/**
 * A Sparkplug metric's value as a number, or null for a metric that gives no reading. Metrics carry their type, so a
 * Boolean or a String is data, not a malformed payload: `booleans: number` reads a Boolean as 1/0 and
 * `numericStrings: number` a String holding a decimal number; otherwise they are skipped, like DataSets, Templates
 * and Bytes, and the message's other metrics are kept (every NBIRTH carries the Boolean `Node Control/Rebirth`).
 */
function sparkplugValue(v: unknown, what: string, rules: NumberRules): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PayloadError(`${what} is not a finite number`);
    return v;
  }
  if (typeof v === 'boolean') return rules.booleans === 'number' ? (v ? 1 : 0) : null;
  if (typeof v === 'string') {
    const t = v.trim();
    return rules.numericStrings === 'number' && DECIMAL.test(t) && Number.isFinite(Number(t))
      ? Number(t)
      : null;
  }
  if (typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return null;
}
