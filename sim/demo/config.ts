/**
 * The configs the demo runs with, each derived from the loaded one as a new object (the loaded config is never
 * edited): sources pointed at the demo's services and paths under its data directory; then, for the KPIs, the meter
 * replacement the simulation staged; for the jobs, their Redis.
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import type { PlantConfig } from '../../config/schema.ts';
import { parseConfigTime } from '../../config/time.ts';
import { InfluxSchema } from '../../store/influx/schema.ts';
import { type Period, parsePeriod } from '../../transforms/periods.ts';

/** The simulated stretch of October 2026 in the site's time zone. */
export interface DemoWindow {
  /** epoch ms of 2026-10-01 00:00 local, inclusive */
  startMs: number;
  /** epoch ms of the end, exclusive: local midnight after the last simulated day */
  endMs: number;
  /** the KPI period: '2026-10' for the whole month, else '2026-10-01..<end date>' */
  period: Period;
}

export function demoWindow(timeZone: string, days: number): DemoWindow {
  const startMs = parseConfigTime('2026-10-01', timeZone);
  const endMs = Math.min(parseConfigTime('2026-11-01', timeZone), startMs + days * 86_400_000);
  const endDate = DateTime.fromMillis(endMs, { zone: timeZone }).toISODate();
  const label = days >= 31 ? '2026-10' : `2026-10-01..${endDate}`;
  return { startMs, endMs, period: parsePeriod(label, timeZone) };
}

export interface RunConfigInput {
  /** the demo's data directory: spool, dead letters, PKI and exports go under it */
  dataDir: string;
  mqttUrl: string;
  opcuaEndpoint: string;
  /** InfluxDB 1.x to store in; absent: the config's own `influx:` section (none: the embedded store) */
  influx?: { url: string; database: string };
  /** start of the replayed readings: they are accepted however old they are at `nowMs` */
  startMs: number;
  /** the wall-clock time the run starts (only to size the reading window, never a data timestamp) */
  nowMs: number;
}

/** The config as the collector runs it: the first MQTT and OPC UA sources pointed at the demo's services. */
export function runConfig(base: PlantConfig, i: RunConfigInput): PlantConfig {
  const [mqtt, ...moreMqtt] = base.sources.mqtt;
  const [opcua, ...moreOpcua] = base.sources.opcua;
  if (mqtt === undefined || opcua === undefined)
    throw new Error(
      'the demo config needs an MQTT source (sources.mqtt[0]) and an OPC UA source (sources.opcua[0])',
    );
  // a replay of October 2026: its readings are accepted however old they are by now (the 2000 floor still applies)
  const replayAgeS = Math.ceil((i.nowMs - i.startMs) / 1000) + 86_400;
  const win = base.collector.readingWindow;
  return {
    ...base,
    sources: {
      ...base.sources,
      mqtt: [{ ...mqtt, url: i.mqttUrl }, ...moreMqtt],
      opcua: [
        { ...opcua, endpoint: i.opcuaEndpoint, pkiDir: path.join(i.dataDir, 'client-pki') },
        ...moreOpcua,
      ],
    },
    spool: { ...base.spool, dir: path.join(i.dataDir, 'spool') },
    collector: {
      ...base.collector,
      deadLetterDir: path.join(i.dataDir, 'dead-letter'),
      readingWindow: { ...win, maxAgeS: Math.max(win.maxAgeS, replayAgeS) },
    },
    jobs: { ...base.jobs, exportDir: path.join(i.dataDir, 'exports') },
    ...(i.influx ? { influx: InfluxSchema.parse(i.influx) } : {}),
  };
}

/** The E-AUX meter's replacement, as maintenance records it once the simulation has staged it. */
export interface Replacement {
  atMs: number;
  oldFinal: number;
}

/** The config the KPIs are computed with: the run's, plus the replacement recorded on the E-AUX meter. */
export function withReplacement(config: PlantConfig, replacement: Replacement | null): PlantConfig {
  if (replacement === null) return config;
  return {
    ...config,
    signals: config.signals.map((s) =>
      s.id === 'E-AUX' && s.kind === 'counter'
        ? {
            ...s,
            replacements: [
              ...s.replacements,
              {
                at: new Date(replacement.atMs).toISOString(),
                oldFinal: replacement.oldFinal,
                newStart: 0,
                note: '电表更换 meter replaced (recorded by maintenance)',
              },
            ],
          }
        : s,
    ),
  };
}

/** The config the KPI jobs run with: the demo's Redis, a queue prefix of its own, months left open after export. */
export function jobsConfig(config: PlantConfig, redisUrl: string, prefix: string): PlantConfig {
  return {
    ...config,
    jobs: {
      ...config.jobs,
      redis: { ...config.jobs.redis, url: redisUrl },
      prefix,
      lockMonthAfterExport: false,
    },
  };
}
