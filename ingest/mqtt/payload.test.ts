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
      Buffer.from(JSON.stringify({ data: { v: 12.5, ts: T }, q: 'Uncertain' })),
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
    ['a text value', '{"value":"abc","ts":1790000000000}', /^value at 'value' is "abc", not a number$/],
    [
      'an object value',
      '{"value":{"v":1},"ts":1790000000000}',
      /value at 'value' is \{"v":1\}, not a number/,
    ],
    ['a boolean time', '{"value":1,"ts":true}', /^time at 'ts' is the boolean true, not a number$/],
    ['no time', '{"value":1}', /no time at 'ts'/],
    ['time in seconds read as ms', '{"value":1,"ts":1790000000}', /outside 2000\.\.2100/],
    ['an ISO time without offset', '{"value":1,"ts":"2026-10-01T08:00:00"}', /with an offset/],
  ])('reject %s with a reason', (_, text, reason) => {
    const s = sub({ signal: 'S', timePath: 'ts', ...(text.includes('"ts":"') ? { timeFormat: 'iso' } : {}) });
    expect(() => decodeMessage(s, {}, Buffer.from(text), 0)).toThrow(PayloadError);
    expect(() => decodeMessage(s, {}, Buffer.from(text), 0)).toThrow(reason);
  });
  it('dead-letter booleans and numeric strings by default, naming the path and the value', () => {
    const s = sub({ signal: 'S', valuePath: 'data.v', timePath: 'ts' });
    const msg = (body: unknown) => Buffer.from(JSON.stringify(body));
    expect(() => decodeMessage(s, {}, msg({ data: { v: true }, ts: T }), 0)).toThrow(
      new PayloadError(
        "value at 'data.v' is the boolean true, not a number (booleans: number would read it as 1)",
      ),
    );
    expect(() => decodeMessage(s, {}, msg({ data: { v: '12.5' }, ts: T }), 0)).toThrow(
      new PayloadError(
        `value at 'data.v' is the string "12.5", not a number (numericStrings: number would read it as 12.5)`,
      ),
    );
    // in an array, the element is named too
    expect(() =>
      decodeMessage(
        s,
        {},
        msg([
          { data: { v: 1 }, ts: T },
          { data: { v: false }, ts: T },
        ]),
        0,
      ),
    ).toThrow(/^\[1\] value at 'data.v' is the boolean false/);
    // an epoch time written as a string follows the same option
    expect(() => decodeMessage(s, {}, msg({ data: { v: 1 }, ts: String(T) }), 0)).toThrow(
      `time at 'ts' is the string "${T}", not a number`,
    );
  });
  it('read booleans as 1/0 and numeric strings as numbers when the subscription says so', () => {
    const s = sub({ signal: 'S', timePath: 'ts', booleans: 'number', numericStrings: 'number' });
    const value = (v: unknown, ts: unknown = T) =>
      decodeMessage(s, {}, Buffer.from(JSON.stringify({ value: v, ts })), 0)[0]!;
    expect(value(true).value).toBe(1);
    expect(value(false).value).toBe(0);
    expect(value('12.5').value).toBe(12.5);
    expect(value(' -3e2 ').value).toBe(-300);
    expect(value(1, String(T)).timeMs).toBe(T);
    // only decimal numbers: not hexadecimal, not Infinity, not empty
    for (const v of ['0x10', 'Infinity', '', '12,5', '1e999'])
      expect(() => value(v), v).toThrow(PayloadError);
    // a boolean is never a time
    expect(() => value(1, true)).toThrow(/time at 'ts' is the boolean true, not a number$/);
    // each option on its own
    const onlyBool = sub({ signal: 'S', timePath: 'ts', booleans: 'number' });
    expect(() => decodeMessage(onlyBool, {}, Buffer.from(`{"value":"1","ts":${T}}`), 0)).toThrow(
      /numericStrings/,
    );
  });
  it('read a plain payload as one decimal number', () => {
    const s = sub({ payload: 'plain', signal: 'S', receiveTimeFallback: true });
    expect(decodeMessage(s, {}, Buffer.from(' 42.5\n'), 7)).toEqual([
      { signal: 'S', timeMs: 7, value: 42.5 },
    ]);
    expect(() => decodeMessage(s, {}, Buffer.from('true'), 7)).toThrow('payload "true" is not a number');
    expect(() => decodeMessage(s, {}, Buffer.from('0x10'), 7)).toThrow(PayloadError);
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
  it('read Boolean and String metrics per the subscription, and never dead-letter the message for them', () => {
    const data = Buffer.from(
      sp.encodePayload({
        timestamp: T,
        metrics: [
          { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
          { name: 'Pump.running', type: 'Boolean', value: true },
          { name: 'E-1', type: 'Double', value: 10 },
          { name: 'Level', type: 'String', value: '12.5' },
          { name: 'Label', type: 'String', value: 'tank 1' },
        ],
      }),
    );
    const byDefault = sub({ payload: 'sparkplug', signal: '{metric}' });
    expect(decodeMessage(byDefault, {}, data, 0, new Map())).toEqual([
      { signal: 'E-1', timeMs: T, value: 10 },
    ]);
    const asNumbers = sub({
      payload: 'sparkplug',
      signal: '{metric}',
      booleans: 'number',
      numericStrings: 'number',
    });
    expect(decodeMessage(asNumbers, {}, data, 0, new Map())).toEqual([
      { signal: 'Node Control/Rebirth', timeMs: T, value: 0 },
      { signal: 'Pump.running', timeMs: T, value: 1 },
      { signal: 'E-1', timeMs: T, value: 10 },
      { signal: 'Level', timeMs: T, value: 12.5 },
    ]);
  });
  it('reject garbage and unknown aliases', () => {
    const s = sub({ payload: 'sparkplug' });
    expect(() => decodeMessage(s, {}, Buffer.from([0xff, 0xff, 0xff]), 0, new Map())).toThrow(PayloadError);
    const data = sp.encodePayload({ timestamp: T, metrics: [{ alias: 7, type: 'Double', value: 1 }] });
    expect(() => decodeMessage(s, {}, Buffer.from(data), 0, new Map())).toThrow(/alias 7/);
  });
});
