/**
 * The registry of source kinds' config schemas: adding a source kind means adding its folder and one line here
 * (and one in sources.ts for its factory). Kept free of the kinds' client libraries so config/ can import it.
 */
import { z } from 'zod';
import { MqttSourceSchema } from './mqtt/schema.ts';
import { OpcuaSourceSchema } from './opcua/schema.ts';

export const SourcesSchema = z
  .strictObject({
    mqtt: z.array(MqttSourceSchema).default([]).describe('MQTT brokers, one connection setup each'),
    opcua: z.array(OpcuaSourceSchema).default([]).describe('OPC UA servers, one session each'),
  })
  .prefault({});

export type SourcesConfig = z.infer<typeof SourcesSchema>;
export type SourceKind = keyof SourcesConfig;
