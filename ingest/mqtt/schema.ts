/** Config of the MQTT source kind (one broker connection, several subscriptions). */
import { z } from 'zod';
import { SecretRef } from '../../config/secrets.ts';

export const EdgeFields = {
  scale: z.number().default(1).describe('value = raw * scale + offset, before the unit conversion'),
  offset: z.number().default(0).describe('added after scale, in the incoming unit'),
  unit: z
    .string()
    .optional()
    .describe("unit of the incoming values, converted to the signal's unit; absent: already in it"),
};

export const MqttSubscriptionSchema = z.strictObject({
  topic: z
    .string()
    .min(1)
    .describe(
      'topic template: {name} takes one level (+), {name...} as the last level the rest (#); or a plain filter with + and #',
    ),
  payload: z
    .enum(['json', 'sparkplug', 'plain'])
    .default('json')
    .describe('json: values at paths; sparkplug: Sparkplug B metrics; plain: a bare number'),
  signal: z
    .string()
    .optional()
    .describe(
      "signal id, a template over the topic's captures (and {metric} for Sparkplug): {meter}, E-{meter}",
    ),
  signalPath: z
    .string()
    .optional()
    .describe('JSON: dotted path of the signal id inside the payload (instead of signal)'),
  valuePath: z
    .string()
    .default('value')
    .describe('JSON: dotted path of the value, e.g. value, data.v, readings[0].v'),
  timePath: z.string().optional().describe('JSON: dotted path of the source time'),
  timeFormat: z
    .enum(['epoch-ms', 'epoch-s', 'epoch-us', 'iso'])
    .default('epoch-ms')
    .describe('JSON: how the time at timePath is written (iso with an offset)'),
  qualityPath: z.string().optional().describe('JSON: dotted path of a quality or status string'),
  receiveTimeFallback: z
    .boolean()
    .default(false)
    .describe(
      'a payload without a time gets the time the collector received it; off: such a payload is dead-lettered',
    ),
  booleans: z
    .enum(['dead-letter', 'number'])
    .default('dead-letter')
    .describe(
      "JSON true/false where the value should be a number: 'dead-letter' (default) dead-letters the payload with the path and the value; 'number' reads true as 1 and false as 0. Sparkplug B Boolean metrics (a declared type, not a mistake): 'number' reads them as 1/0, 'dead-letter' skips them and keeps the message's other metrics",
    ),
  numericStrings: z
    .enum(['dead-letter', 'number'])
    .default('dead-letter')
    .describe(
      "a JSON string holding a decimal number (\"12.5\") where the value or an epoch time should be a number: 'dead-letter' (default) dead-letters the payload with the path and the value; 'number' reads it as the number. Sparkplug B String metrics: 'number' reads those holding a decimal number, otherwise they are skipped",
    ),
  ...EdgeFields,
});

export const MqttSourceSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]+$/)
      .describe('source id, in logs, metrics labels and dead letters'),
    url: z.string().min(1).describe('broker URL: mqtt://host:1883, mqtts://host:8883, ws://, wss://'),
    protocolVersion: z
      .union([z.literal(4), z.literal(5)])
      .default(5)
      .describe('4 = MQTT 3.1.1, 5 = MQTT 5'),
    clientId: z
      .string()
      .min(1)
      .describe(
        'fixed client id: the broker keeps the persistent session (and unacknowledged messages) under it',
      ),
    username: z.string().optional().describe('user name sent to the broker'),
    password: SecretRef.optional().describe('password, from env or file'),
    tls: z
      .strictObject({
        caFile: z.string().optional().describe("PEM file of the CA that signed the broker's certificate"),
        certFile: z.string().optional().describe('PEM client certificate, for brokers that ask for one'),
        keyFile: z.string().optional().describe("PEM file of the client certificate's key"),
        keyPassphrase: SecretRef.optional().describe('passphrase of keyFile, from env or file'),
        rejectUnauthorized: z
          .boolean()
          .default(true)
          .describe('refuse a broker whose certificate does not verify'),
      })
      .optional()
      .describe('TLS options for mqtts:// and wss://'),
    qos: z
      .union([z.literal(0), z.literal(1), z.literal(2)])
      .default(1)
      .describe('QoS of the subscriptions; 1 = at least once (nothing lost)'),
    sessionExpiryS: z
      .number()
      .int()
      .nonnegative()
      .default(7 * 24 * 3600)
      .describe(
        'MQTT 5 session expiry, s: how long the broker keeps the session while away (3.1.1: clean=false)',
      ),
    keepaliveS: z.number().int().positive().default(30).describe('MQTT keepalive interval, s'),
    reconnectPeriodMs: z
      .number()
      .int()
      .positive()
      .default(2000)
      .describe(
        'first wait before reconnecting after a lost connection or a refused CONNACK, ms; doubles up to reconnectMaxMs',
      ),
    reconnectMaxMs: z
      .number()
      .int()
      .positive()
      .default(60_000)
      .describe('longest wait between reconnection attempts, ms'),
    onAuthFailure: z
      .enum(['retry', 'exit'])
      .default('retry')
      .describe(
        "when the broker refuses the credentials at start: 'retry' (with backoff, logged at each refusal, /health degraded) or 'exit' with a clear message",
      ),
    inflightWindow: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(1000)
      .describe(
        'QoS 1 messages received and not yet acknowledged, per connection: advertised as MQTT 5 Receive Maximum; with MQTT 3.1.1 the collector stops reading past it until the spool has caught up',
      ),
    connections: z
      .number()
      .int()
      .min(1)
      .max(16)
      .default(1)
      .describe(
        'connections to the broker; more than one needs shared subscriptions ($share/<group>/<filter>) so that each message goes to one of them. Client ids get -1, -2, ... appended',
      ),
    subscriptions: z
      .array(MqttSubscriptionSchema)
      .min(1)
      .describe('topics to subscribe to and how to read their payloads'),
  })
  .superRefine((c, ctx) => {
    if (c.connections > 1) {
      c.subscriptions.forEach((s, i) => {
        if (!s.topic.startsWith('$share/'))
          ctx.addIssue({
            code: 'custom',
            path: ['subscriptions', i, 'topic'],
            message: `with connections: ${c.connections} every topic must be a shared subscription ($share/<group>/${s.topic}), or each connection receives every message`,
          });
      });
    }
  });

export type MqttSourceConfig = z.infer<typeof MqttSourceSchema>;
export type MqttSubscription = z.infer<typeof MqttSubscriptionSchema>;
