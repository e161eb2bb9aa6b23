/** What every source kind gets from the collector: the intake (group commit into the spool), the edge processor, dead letters, metrics, a logger. */
import type { DeadLetterFile } from './dead-letter.ts';
import type { EdgeProcessor } from './edge.ts';
import type { Intake } from './intake.ts';
import type { Metrics } from './metrics.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export interface SourceMetrics {
  messagesIn: ReturnType<Metrics['counter']>;
  readingsIn: ReturnType<Metrics['counter']>;
  deadLettered: ReturnType<Metrics['counter']>;
  duplicates: ReturnType<Metrics['counter']>;
  reconnects: ReturnType<Metrics['counter']>;
}

/** What /health says of a source: every connection up, or which one is not and why. */
export interface SourceStatus {
  id: string;
  connected: boolean;
  connections: { clientId: string; state: string; sinceMs: number; lastError: string | null }[];
}

export interface SourceContext {
  /** group commit into the spool: readings are durable when their group is */
  intake: Intake;
  edge: EdgeProcessor;
  deadLetter: DeadLetterFile;
  metrics: SourceMetrics;
  log: Log;
}

export function sourceMetrics(m: Metrics): SourceMetrics {
  return {
    messagesIn: m.counter('plantkpi_messages_in_total', 'messages or notifications received, per source'),
    readingsIn: m.counter('plantkpi_readings_in_total', 'readings durably spooled, per source'),
    deadLettered: m.counter(
      'plantkpi_dead_lettered_total',
      'payloads or readings written to the dead-letter file',
    ),
    duplicates: m.counter(
      'plantkpi_duplicates_dropped_total',
      'exact duplicate readings dropped at the edge',
    ),
    reconnects: m.counter('plantkpi_reconnects_total', 'reconnections to a source'),
  };
}

/** Structured JSON log lines on stderr. */
export function jsonLog(stream: NodeJS.WritableStream = process.stderr, minLevel: LogLevel = 'info'): Log {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  return (level, msg, fields) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return;
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
}
