/** The registry of source kinds' factories (their schemas are in schemas.ts). */
import type { SourceContext, SourceStatus } from './context.ts';
import { MqttSource } from './mqtt/source.ts';
import { withOpcua } from './opcua/library.ts';
import type { SourcesConfig } from './schemas.ts';

export interface Source {
  readonly id: string;
  start(): Promise<void>;
  /** for /health and the connected gauge */
  status(): SourceStatus;
  stop(): Promise<void>;
}

export async function createSources(cfg: SourcesConfig, ctx: SourceContext): Promise<Source[]> {
  const sources: Source[] = cfg.mqtt.map((c) => new MqttSource(c, ctx));
  if (cfg.opcua.length > 0) {
    // node-opcua only when an OPC UA source is configured, its output in the collector's log
    const { OpcuaSource } = await withOpcua(ctx.log, () => import('./opcua/source.ts'));
    sources.push(...cfg.opcua.map((c) => new OpcuaSource(c, ctx)));
  }
  return sources;
}
