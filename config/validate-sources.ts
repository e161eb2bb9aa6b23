/** Source bindings: every bound signal exists, units convert, topic templates read. */
import { parseTopicTemplate } from '../ingest/mqtt/topic.ts';
import { rateTimeUnitMs, unitFactor } from '../transforms/units.ts';
import type { Problem } from './problems.ts';
import type { PlantConfig } from './schema.ts';
import { didYouMean, ID_KIND, unknownId } from './suggest.ts';

export function checkSources(c: PlantConfig): Problem[] {
  const problems: Problem[] = [];
  const signals = new Map(c.signals.map((s) => [s.id, s]));
  const checkUnit = (from: string | undefined, signal: string, path: string) => {
    const s = signals.get(signal);
    if (from === undefined || s === undefined) return;
    try {
      unitFactor(from, s.unit);
    } catch {
      const rate = rateTimeUnitMs(from) && rateTimeUnitMs(s.unit);
      if (!rate)
        problems.push({
          path,
          message: `unit '${from}' cannot be converted to ${signal}'s unit '${s.unit}'`,
        });
    }
  };
  const ids = new Set<string>();
  const uniqueId = (id: string, path: string) => {
    if (ids.has(id)) problems.push({ path, message: `duplicate source id '${id}'` });
    ids.add(id);
  };
  c.sources.mqtt.forEach((m, i) => {
    uniqueId(m.id, `sources.mqtt[${i}].id`);
    m.subscriptions.forEach((sub, j) => {
      const at = `sources.mqtt[${i}].subscriptions[${j}]`;
      let names: string[] = [];
      try {
        parseTopicTemplate(sub.topic);
        names = [...sub.topic.matchAll(/\{(\w+)(\.\.\.)?\}/g)].map((x) => x[1]!);
      } catch (err) {
        problems.push({ path: `${at}.topic`, message: (err as Error).message });
      }
      if (sub.signal === undefined && sub.signalPath === undefined && sub.payload !== 'sparkplug') {
        problems.push({
          path: at,
          message: 'name the signal: signal (a template over the topic) or signalPath',
        });
      }
      if (sub.signal !== undefined) {
        const used = [...sub.signal.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!);
        for (const u of used) {
          if (!names.includes(u) && !(sub.payload === 'sparkplug' && u === 'metric')) {
            problems.push({
              path: `${at}.signal`,
              message: `'{${u}}' is not captured by the topic '${sub.topic}'${didYouMean(u, names)}`,
            });
          }
        }
        if (used.length === 0) {
          if (!signals.has(sub.signal))
            problems.push({
              path: `${at}.signal`,
              message: unknownId(ID_KIND.signal, sub.signal, signals.keys()),
            });
          else checkUnit(sub.unit, sub.signal, `${at}.unit`);
        }
      }
    });
  });
  c.sources.opcua.forEach((o, i) => {
    uniqueId(o.id, `sources.opcua[${i}].id`);
    if ((o.securityMode === 'None') !== (o.securityPolicy === 'None')) {
      problems.push({
        path: `sources.opcua[${i}].securityPolicy`,
        message: `security mode ${o.securityMode} needs ${o.securityMode === 'None' ? 'policy None' : 'a policy other than None'}`,
      });
    }
    o.items.forEach((item, j) => {
      if (!signals.has(item.signal)) {
        problems.push({
          path: `sources.opcua[${i}].items[${j}].signal`,
          message: unknownId(ID_KIND.signal, item.signal, signals.keys()),
        });
      } else checkUnit(item.unit, item.signal, `sources.opcua[${i}].items[${j}].unit`);
    });
  });
  return problems;
}
