/** Config of the OPC UA source kind (one server endpoint, its monitored items). */
import { z } from 'zod';
import { SecretRef } from '../../config/secrets.ts';
import { EdgeFields } from '../mqtt/schema.ts';

export const OpcuaItemSchema = z.strictObject({
  signal: z.string().min(1).describe('the signal id the readings are written under'),
  nodeId: z.string().min(1).describe('the variable to monitor, e.g. ns=2;s=Boiler.Gas.Total'),
  samplingIntervalMs: z
    .number()
    .int()
    .nonnegative()
    .default(1000)
    .describe('how often the server samples the variable, ms (0: as fast as it can)'),
  queueSize: z
    .number()
    .int()
    .positive()
    .default(10)
    .describe('samples the server queues between two publishes'),
  trigger: z
    .enum(['status-value', 'status-value-timestamp'])
    .default('status-value')
    .describe(
      'report on a change of status and value, or also of the source timestamp (every sample of a counter)',
    ),
  deadband: z
    .strictObject({
      type: z
        .enum(['absolute', 'percent'])
        .describe("absolute: in the variable's unit; percent: of the variable's EURange"),
      value: z
        .number()
        .nonnegative()
        .describe("the least change reported: in the variable's unit (absolute) or percent of its EURange"),
    })
    .optional()
    .describe('report a change only beyond this (percent needs an EURange on the server)'),
  ...EdgeFields,
});

export const OpcuaSourceSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/)
    .describe('source id, in logs, metrics labels and dead letters'),
  endpoint: z
    .string()
    .regex(/^opc\.tcp:\/\//, 'an OPC UA endpoint starts with opc.tcp://')
    .describe('server endpoint, opc.tcp://host:4840/path'),
  securityMode: z
    .enum(['None', 'Sign', 'SignAndEncrypt'])
    .default('None')
    .describe('message security of the secure channel'),
  securityPolicy: z
    .enum(['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'])
    .default('None')
    .describe('security policy of the secure channel'),
  identity: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('anonymous').describe('no user') }),
      z.strictObject({
        type: z.literal('username').describe('user name and password'),
        username: z.string().min(1).describe('user name'),
        password: SecretRef.describe('password, from env or file'),
      }),
      z.strictObject({
        type: z.literal('certificate').describe('an X.509 user certificate'),
        certFile: z.string().describe('PEM user certificate'),
        keyFile: z.string().describe("PEM file of the certificate's private key"),
      }),
    ])
    .default({ type: 'anonymous' })
    .describe('the user the session runs as'),
  pkiDir: z
    .string()
    .default('./pki/opcua')
    .describe("the client's PKI folder: own certificate, trusted/ and rejected/ server certificates"),
  applicationName: z
    .string()
    .default('plantkpi-collector')
    .describe("the client's application name, in its certificate and on the server"),
  maxItemsPerSubscription: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe('items are split into subscriptions of at most this many'),
  publishingIntervalMs: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe('how often the server sends a subscription its notifications, ms'),
  watchdogMs: z
    .number()
    .int()
    .positive()
    .default(15_000)
    .describe(
      "the server's clock (Server_ServerStatus_CurrentTime) must move within this, or the session is re-created, ms",
    ),
  retryItemsMs: z
    .number()
    .int()
    .positive()
    .default(5000)
    .describe('items the server refused (BadNodeIdUnknown ...) are tried again this often, ms'),
  maxBufferedReadings: z
    .number()
    .int()
    .positive()
    .default(200_000)
    .describe(
      'readings held in memory while the spool is full; beyond this the oldest are dropped and counted',
    ),
  items: z.array(OpcuaItemSchema).min(1).describe('the variables to monitor, one per signal'),
});

export type OpcuaSourceConfig = z.infer<typeof OpcuaSourceSchema>;
export type OpcuaItem = z.infer<typeof OpcuaItemSchema>;
