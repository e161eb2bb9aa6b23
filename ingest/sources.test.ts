/** Every source kind's sample config parses with its schema. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MqttSourceSchema } from './mqtt/schema.ts';
import { OpcuaSourceSchema } from './opcua/schema.ts';

describe('sample configs of the source kinds', () => {
  it('mqtt/sample.yaml', () => {
    const c = MqttSourceSchema.parse(
      parse(readFileSync(new URL('./mqtt/sample.yaml', import.meta.url), 'utf8')),
    );
    expect(c.subscriptions).toHaveLength(2);
    expect(c.qos).toBe(1);
  });
  it('opcua/sample.yaml', () => {
    const c = OpcuaSourceSchema.parse(
      parse(readFileSync(new URL('./opcua/sample.yaml', import.meta.url), 'utf8')),
    );
    expect(c.items[1]!.deadband).toEqual({ type: 'absolute', value: 0.5 });
  });
});
