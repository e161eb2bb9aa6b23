/** Config of the MQTT source kind (one broker connection, several subscriptions). */
import { z } from 'zod';
import { SecretRef } from '../../config/secrets.ts';

export const EdgeFields = {
  /** raw * scale + offset, before unit conversion */
  scale: z.number().default(1),
  offset: z.number().default(0),
  /** unit of the incoming values; converted to the signal's declared unit (absent: already in it) */
  unit: z.string().optional(),
};

export const MqttSubscriptionSchema = z.object({
  /** topic template: `plant/{unit}/{meter}/energy`, or a plain filter with + and # */
  topic: z.string().min(1),
  payload: z.enum(['json', 'sparkplug', 'plain']).default('json'),
  /** signal id, a template over the topic's captures (and {metric} for Sparkplug): `{meter}`, `E-{meter}` */
  signal: z.string().optional(),
  /** JSON: dotted path of the signal id inside the payload (instead of `signal`) */
  signalPath: z.string().optional(),
  /** JSON: dotted path of the value, e.g. `value`, `data.v`, `readings[0].v` */
  valuePath: z.string().default('value'),
  /** JSON: dotted path of the source time */
  timePath: z.string().optional(),
  timeFormat: z.enum(['epoch-ms', 'epoch-s', 'epoch-us', 'iso']).default('epoch-ms'),
  /** JSON: dotted path of a quality/status string */
  qualityPath: z.string().optional(),
  /** without a time in the payload, use the time the collector received it (off: such a payload is dead-lettered) */
  receiveTimeFallback: z.boolean().default(false),
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
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.:-]+$/),
    /** mqtt://host:1883, mqtts://host:8883, ws://, wss:// */
    url: z.string().min(1),
    /** 4 = MQTT 3.1.1, 5 = MQTT 5 */
    protocolVersion: z.union([z.literal(4), z.literal(5)]).default(5),
    /** fixed client id: a persistent session is bound to it */
    clientId: z.string().min(1),
    username: z.string().optional(),
    password: SecretRef.optional(),
    tls: z
      .object({
        caFile: z.string().optional(),
        certFile: z.string().optional(),
        keyFile: z.string().optional(),
        keyPassphrase: SecretRef.optional(),
        rejectUnauthorized: z.boolean().default(true),
      })
      .optional(),
    /** QoS of the subscriptions; 1 = at least once (the default: nothing lost) */
    qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
    /** MQTT 5 session expiry; 3.1.1 uses clean=false */
    sessionExpiryS: z
      .number()
      .int()
      .nonnegative()
      .default(7 * 24 * 3600),
    keepaliveS: z.number().int().positive().default(30),
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
    subscriptions: z.array(MqttSubscriptionSchema).min(1),
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
