import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeMessage, getPath, PayloadError } from './payload.ts';
import { MqttSubscriptionSchema } from './schema.ts';
import { fillTemplate, parseTopicTemplate } from './topic.ts';

const sub = (o: Record<string, unknown>) => MqttSubscriptionSchema.parse({ topic: 'x', ...o });
const T = 1_790_000_000_000;

describe('topic templates', () => {
  it('turn placeholders into wildcards and capture them', () => {
    const t = parseTopicTemplate('plant/{unit}/{meter}/energy');
    expect(t.filter).toBe('plant/+/+/energy');
    expect(t.match('plant/ELY/E-1/energy')).toEqual({ unit: 'ELY', meter: 'E-1' });
    expect(t.match('plant/ELY/E-1/power')).toBeNull();
    expect(t.match('plant/ELY/E-1/energy/x')).toBeNull();
    const rest = parseTopicTemplate('spBv1.0/{group}/NDATA/{edge}/{device...}');
    expect(rest.filter).toBe('spBv1.0/+/NDATA/+/#');
    expect(rest.match('spBv1.0/G/NDATA/E/d1/x')).toEqual({ group: 'G', edge: 'E', device: 'd1/x' });
  });
  it('refuse placeholders that do not take a whole level', () => {
    expect(() => parseTopicTemplate('plant/E-{meter}')).toThrow(/whole level/);
    expect(() => parseTopicTemplate('a/#/b')).toThrow(/last level/);
  });
  it('fill signal templates from captures', () => {
    expect(fillTemplate('{unit}.{meter}', { unit: 'A', meter: 'B' })).toBe('A.B');
    expect(() => fillTemplate('{nope}', {})).toThrow(/not captured/);
  });
});

describe('JSON payloads', () => {
  it('map value, time, quality and signal by path', () => {
    const s = sub({ signal: '{meter}', valuePath: 'data.v', timePath: 'data.ts', qualityPath: 'q' });
    const r = decodeMessage(
      s,
      { meter: 'E-1' },
      Buffer.from(JSON.stringify({ data: { v: '12.5', ts: T }, q: 'Uncertain' })),
      0,
    );
    expect(r).toEqual([{ signal: 'E-1', timeMs: T, value: 12.5, quality: 'Uncertain' }]);
  });
  it('read arrays, signal paths and every time format', () => {
    const s = sub({ signalPath: 'id', valuePath: 'v', timePath: 't', timeFormat: 'epoch-s' });
    const r = decodeMessage(
      s,
      {},
      Buffer.from(
        JSON.stringify([
          { id: 'A', v: 1, t: T / 1000 },
          { id: 'B', v: 2, t: T / 1000 },
        ]),
      ),
      0,
    );
    expect(r.map((x) => [x.signal, x.timeMs])).toEqual([
      ['A', T],
      ['B', T],
    ]);
    const iso = sub({ signal: 'S', timePath: 't', timeFormat: 'iso' });
    expect(
      decodeMessage(iso, {}, Buffer.from('{"value":1,"t":"2026-10-01T08:00:00+08:00"}'), 0)[0]!.timeMs,
    ).toBe(Date.parse('2026-10-01T00:00:00Z'));
  });
  it.each([
    ['not JSON', '{"value":', /not JSON/],
    ['no value', '{"ts":1790000000000}', /no value at 'value'/],
    ['a text value', '{"value":"abc","ts":1790000000000}', /is not a number/],
    ['no time', '{"value":1}', /no time at 'ts'/],
    ['time in seconds read as ms', '{"value":1,"ts":1790000000}', /outside 2000\.\.2100/],
    ['an ISO time without offset', '{"value":1,"ts":"2026-10-01T08:00:00"}', /with an offset/],
  ])('reject %s with a reason', (_, text, reason) => {
    const s = sub({ signal: 'S', timePath: 'ts', ...(text.includes('"ts":"') ? { timeFormat: 'iso' } : {}) });
    expect(() => decodeMessage(s, {}, Buffer.from(text), 0)).toThrow(PayloadError);
    expect(() => decodeMessage(s, {}, Buffer.from(text), 0)).toThrow(reason);
  });
  it('use the receive time only when told to', () => {
    const s = sub({ signal: 'S', receiveTimeFallback: true });
    expect(decodeMessage(s, {}, Buffer.from('{"value":3}'), 42)[0]!.timeMs).toBe(42);
  });
  it('getPath handles indices', () => {
    expect(getPath({ a: [{ b: 1 }, { b: 2 }] }, 'a[1].b')).toBe(2);
    expect(getPath({ a: 1 }, 'a.b.c')).toBeUndefined();
  });
});

describe('Sparkplug B payloads', () => {
  const sp = createRequire(import.meta.url)('sparkplug-payload').get('spBv1.0');
  it('decode metrics with their timestamps, names from birth aliases', () => {
    const aliases = new Map<number, string>();
    const birth = sp.encodePayload({
      timestamp: T,
      metrics: [{ name: 'E-1', alias: 1, type: 'Double', value: 10, timestamp: T }],
    });
    const s = sub({ payload: 'sparkplug', signal: '{metric}' });
    expect(decodeMessage(s, {}, Buffer.from(birth), 0, aliases)).toEqual([
      { signal: 'E-1', timeMs: T, value: 10 },
    ]);
    const data = sp.encodePayload({
      timestamp: T + 1000,
      metrics: [{ alias: 1, type: 'Double', value: 11.5 }],
    });
    expect(decodeMessage(s, {}, Buffer.from(data), 0, aliases)).toEqual([
      { signal: 'E-1', timeMs: T + 1000, value: 11.5 },
    ]);
  });
  it('reject garbage and unknown aliases', () => {
    const s = sub({ payload: 'sparkplug' });
    expect(() => decodeMessage(s, {}, Buffer.from([0xff, 0xff, 0xff]), 0, new Map())).toThrow(PayloadError);
    const data = sp.encodePayload({ timestamp: T, metrics: [{ alias: 7, type: 'Double', value: 1 }] });
    expect(() => decodeMessage(s, {}, Buffer.from(data), 0, new Map())).toThrow(/alias 7/);
  });
});
