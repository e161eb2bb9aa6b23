/** How the simulated site's readings leave it: one MQTT JSON message per unit and step, the PLC's over OPC UA. */
import type { MqttClient } from 'mqtt';
import type { SimReading } from './model.ts';

export interface Published {
  /** readings sent over MQTT */
  mqtt: number;
  /** values written to the OPC UA server */
  opcua: number;
}

/** Publishes one step: topic site/<unit>/data, payload [{signal, value, time}], QoS 1; 'opcua' readings to `setOpcua`. */
export async function publishStep(
  pub: MqttClient,
  readings: readonly SimReading[],
  setOpcua: (writes: [string, number, number][]) => void,
): Promise<Published> {
  const byUnit = new Map<string, SimReading[]>();
  for (const r of readings) byUnit.set(r.unit, [...(byUnit.get(r.unit) ?? []), r]);
  const done: Published = { mqtt: 0, opcua: 0 };
  for (const [unit, rs] of byUnit) {
    if (unit === 'opcua') {
      setOpcua(rs.map((r) => [r.signal, r.value, r.timeMs]));
      done.opcua += rs.length;
      continue;
    }
    const body = rs.map((r) => ({
      signal: r.signal,
      value: r.value,
      time: new Date(r.timeMs).toISOString(),
    }));
    await pub.publishAsync(`site/${unit}/data`, JSON.stringify(body), { qos: 1 });
    done.mqtt += rs.length;
  }
  return done;
}
