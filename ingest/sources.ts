/** The registry of source kinds' factories (their schemas are in schemas.ts). */
import type { SourceContext, SourceStatus } from './context.ts';
import { MqttSource } from './mqtt/source.ts';
import { OpcuaSource } from './opcua/source.ts';
import type { SourcesConfig } from './schemas.ts';

export interface Source {
  readonly id: string;
  start(): Promise<void>;
  /** for /health and the connected gauge */
  status(): SourceStatus;
  stop(): Promise<void>;
}

export function createSources(cfg: SourcesConfig, ctx: SourceContext): Source[] {
  return [...cfg.mqtt.map((c) => new MqttSource(c, ctx)), ...cfg.opcua.map((c) => new OpcuaSource(c, ctx))];
}
