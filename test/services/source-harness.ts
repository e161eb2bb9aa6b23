/** A source's context for in-process tests: a real spool in a temp dir, the edge, dead letters, metrics, a log. */
import path from 'node:path';
import { type LogLevel, type SourceContext, sourceMetrics } from '../../ingest/context.ts';
import { DeadLetterFile } from '../../ingest/dead-letter.ts';
import { EdgeProcessor } from '../../ingest/edge.ts';
import { decodeReadings } from '../../ingest/influx/codec.ts';
import { Intake } from '../../ingest/intake.ts';
import { Metrics } from '../../ingest/metrics.ts';
import { Spool } from '../../ingest/spool/spool.ts';
import type { Reading } from '../../store/port.ts';

export interface Harness {
  ctx: SourceContext;
  logs: { level: LogLevel; msg: string; fields?: Record<string, unknown> }[];
  /** everything spooled so far, drained from the spool */
  drain(): Promise<Reading[]>;
  close(): Promise<void>;
}

export async function sourceHarness(dir: string, units: Record<string, string>): Promise<Harness> {
  const spool = await Spool.open({ dir: path.join(dir, 'spool') });
  const logs: Harness['logs'] = [];
  const edge = new EdgeProcessor(new Map(Object.entries(units)));
  const metrics = sourceMetrics(new Metrics());
  const ctx: SourceContext = {
    intake: new Intake(spool, edge, {
      onDurable: (per) => {
        for (const [source, n] of per) metrics.readingsIn.inc({ source }, n);
      },
    }),
    edge,
    deadLetter: new DeadLetterFile(path.join(dir, 'dead.jsonl')),
    metrics,
    log: (level, msg, fields) => {
      logs.push({ level, msg, ...(fields ? { fields } : {}) });
    },
  };
  const got: Reading[] = [];
  return {
    ctx,
    logs,
    async drain() {
      for (let b = await spool.next(1000); b; b = await spool.next(1000)) {
        for (const p of b.payloads) got.push(...decodeReadings(p));
        await spool.ack(b);
      }
      return got;
    },
    close: () => spool.close(),
  };
}
