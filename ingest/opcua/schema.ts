/** Config of the OPC UA source kind (one server endpoint, its monitored items). */
import { z } from 'zod';
import { SecretRef } from '../../config/secrets.ts';
import { EdgeFields } from '../mqtt/schema.ts';

export const OpcuaItemSchema = z.object({
  signal: z.string().min(1),
  /** e.g. ns=2;s=Boiler.Gas.Total */
  nodeId: z.string().min(1),
  samplingIntervalMs: z.number().int().nonnegative().default(1000),
  queueSize: z.number().int().positive().default(10),
  /** report on a change of status and value (default), or also of the source timestamp (every sample of a counter) */
  trigger: z.enum(['status-value', 'status-value-timestamp']).default('status-value'),
  deadband: z
    .object({ type: z.enum(['absolute', 'percent']), value: z.number().nonnegative() })
    .optional()
    .describe('report a change only beyond this (percent needs an EURange on the server)'),
  ...EdgeFields,
});

export const OpcuaSourceSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.:-]+$/),
  /** opc.tcp://host:4840/path */
  endpoint: z.string().regex(/^opc\.tcp:\/\//, 'an OPC UA endpoint starts with opc.tcp://'),
  securityMode: z.enum(['None', 'Sign', 'SignAndEncrypt']).default('None'),
  securityPolicy: z
    .enum(['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'])
    .default('None'),
  identity: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('anonymous') }),
      z.object({ type: z.literal('username'), username: z.string().min(1), password: SecretRef }),
      z.object({ type: z.literal('certificate'), certFile: z.string(), keyFile: z.string() }),
    ])
    .default({ type: 'anonymous' }),
  /** the client's PKI: own certificate, trusted/ and rejected/ server certificates */
  pkiDir: z.string().default('./pki/opcua'),
  applicationName: z.string().default('plantkpi-collector'),
  /** items are split into subscriptions of at most this many */
  maxItemsPerSubscription: z.number().int().positive().default(1000),
  publishingIntervalMs: z.number().int().positive().default(1000),
  /** the server's clock (Server_ServerStatus_CurrentTime) must move within this, or the session is re-created */
  watchdogMs: z.number().int().positive().default(15_000),
  /** items the server refused (BadNodeIdUnknown ...) are tried again this often */
  retryItemsMs: z.number().int().positive().default(5000),
  /** readings held in memory while the spool is full; beyond this the oldest are dropped and counted */
  maxBufferedReadings: z.number().int().positive().default(200_000),
  items: z.array(OpcuaItemSchema).min(1),
});

export type OpcuaSourceConfig = z.infer<typeof OpcuaSourceSchema>;
export type OpcuaItem = z.infer<typeof OpcuaItemSchema>;
