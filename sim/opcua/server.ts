/**
 * A simulated plant's OPC UA server (node-opcua): numeric variables under Objects/Plant whose values are set with
 * their source time, nodes that can be removed and added again, security modes and a PKI of its own. Used by the
 * tests and the demo. Restart keeps the port, the PKI and the variables.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DataType,
  MessageSecurityMode,
  type Namespace,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  type StatusCode,
  StatusCodes,
  type UAVariable,
  Variant,
} from 'node-opcua';

/** a status name such as Good or UncertainLastUsableValue */
export type StatusName = Exclude<keyof typeof StatusCodes, 'prototype'>;

export interface SimOpcuaOptions {
  port: number;
  /**
   * the host name the server puts in its endpoint URLs (default 127.0.0.1): the name clients reach it by (compose:
   * `simulator`), or node-opcua clients warn that the endpoint they were given names another host
   */
  hostname?: string;
  /** the server's own PKI (own certificate, trusted/ and rejected/ client certificates) */
  pkiDir: string;
  /** variable ids: reachable as ns=1;s=<id> */
  variables: string[];
  /** offer only secured endpoints (SignAndEncrypt with these policies) */
  secureOnly?: SecurityPolicy[];
  /** username -> password; anonymous is allowed when absent */
  users?: Record<string, string>;
  /** PKI folder of the user certificates the server accepts (X.509 identity) */
  userPkiDir?: string;
  /** variables report BadWaitingForInitialData until first set (a driven simulation) */
  waitForData?: boolean;
  /** fastest sampling the variables allow; 0 reports every change (accelerated simulation) */
  minimumSamplingIntervalMs?: number;
  /**
   * variables declared with the abstract BaseDataType, as open62541 servers declare them, holding a fixed value: a
   * number as a Double, a string as a String. Reachable as ns=1;s=<id>; not driven by set().
   */
  abstractVariables?: Record<string, number | string>;
}

export class SimOpcuaServer {
  private server: OPCUAServer | null = null;
  private ns: Namespace | null = null;
  private readonly values = new Map<string, { value: number; sourceMs: number }>();
  private readonly nodes = new Map<string, UAVariable>();
  private readonly removed = new Set<string>();
  private readonly written = new Set<string>();
  readonly certificateManager: OPCUACertificateManager;
  readonly userCertificateManager: OPCUACertificateManager | null;

  constructor(private readonly o: SimOpcuaOptions) {
    for (const id of o.variables) this.values.set(id, { value: 0, sourceMs: Date.now() });
    this.certificateManager = new OPCUACertificateManager({
      rootFolder: o.pkiDir,
      automaticallyAcceptUnknownCertificate: false,
    });
    this.userCertificateManager = o.userPkiDir
      ? new OPCUACertificateManager({
          rootFolder: o.userPkiDir,
          automaticallyAcceptUnknownCertificate: false,
        })
      : null;
  }

  private get host(): string {
    return this.o.hostname ?? '127.0.0.1';
  }

  get endpoint(): string {
    return `opc.tcp://${this.host}:${this.o.port}/plantkpi/sim`;
  }

  /** the server's certificate (DER), for a client to trust */
  certificate(): Buffer {
    const pem = readFileSync(path.join(this.o.pkiDir, 'own', 'certs', 'certificate.pem'), 'utf8');
    const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    return Buffer.from(b64, 'base64');
  }

  async start(): Promise<void> {
    await this.certificateManager.initialize();
    await this.userCertificateManager?.initialize();
    const users = this.o.users;
    const server = new OPCUAServer({
      port: this.o.port,
      hostname: this.host,
      alternateHostname: [this.host],
      resourcePath: '/plantkpi/sim',
      serverCertificateManager: this.certificateManager,
      ...(this.userCertificateManager ? { userCertificateManager: this.userCertificateManager } : {}),
      certificateFile: path.join(this.o.pkiDir, 'own', 'certs', 'certificate.pem'),
      privateKeyFile: path.join(this.o.pkiDir, 'own', 'private', 'private_key.pem'),
      buildInfo: { productName: 'plantkpi simulated plant' },
      serverCapabilities: {
        maxSubscriptionsPerSession: 50,
        maxSubscriptions: 500,
        maxMonitoredItems: 1_000_000,
        // 0: variables with MinimumSamplingInterval 0 are served exception-based, every change delivered
        minSupportedSampleRate: this.o.minimumSamplingIntervalMs ?? 50,
      },
      allowAnonymous: users === undefined,
      ...(users ? { userManager: { isValidUser: (u: string, p: string) => users[u] === p } } : {}),
      ...(this.o.secureOnly
        ? { securityModes: [MessageSecurityMode.SignAndEncrypt], securityPolicies: this.o.secureOnly }
        : {
            securityModes: [
              MessageSecurityMode.None,
              MessageSecurityMode.Sign,
              MessageSecurityMode.SignAndEncrypt,
            ],
            securityPolicies: [
              SecurityPolicy.None,
              SecurityPolicy.Basic256Sha256,
              SecurityPolicy.Aes128_Sha256_RsaOaep,
              SecurityPolicy.Aes256_Sha256_RsaPss,
            ],
          }),
    });
    await server.initialize();
    this.server = server;
    const addressSpace = server.engine.addressSpace!;
    this.ns = addressSpace.getOwnNamespace();
    this.nodes.clear();
    for (const id of this.values.keys()) if (!this.removed.has(id)) this.addNode(id);
    for (const [id, value] of Object.entries(this.o.abstractVariables ?? {})) {
      this.ns.addVariable({
        organizedBy: addressSpace.rootFolder.objects,
        browseName: id,
        nodeId: `s=${id}`,
        dataType: 'BaseDataType',
        value: new Variant(
          typeof value === 'number'
            ? { dataType: DataType.Double, value }
            : { dataType: DataType.String, value },
        ),
      });
    }
    await server.start();
  }

  private addNode(id: string): void {
    const folder = this.ns!.addressSpace.rootFolder.objects;
    const v = this.ns!.addVariable({
      organizedBy: folder,
      browseName: id,
      nodeId: `s=${id}`,
      dataType: 'Double',
      minimumSamplingInterval: this.o.minimumSamplingIntervalMs ?? 50,
    });
    const cur = this.values.get(id)!;
    if (this.o.waitForData && !this.written.has(id)) {
      // nothing measured yet: a status, no value (a client takes no reading from it)
      v.setValueFromSource(
        new Variant({ dataType: DataType.Null }),
        StatusCodes.BadWaitingForInitialData,
        new Date(cur.sourceMs),
      );
    } else {
      v.setValueFromSource(
        new Variant({ dataType: DataType.Double, value: cur.value }),
        StatusCodes.Good,
        new Date(cur.sourceMs),
      );
    }
    this.nodes.set(id, v);
  }

  /** Sets a value with its source time (and a status other than Good, e.g. 'UncertainLastUsableValue'). */
  set(id: string, value: number, sourceMs: number, status: StatusName = 'Good'): void {
    this.values.set(id, { value, sourceMs });
    this.written.add(id);
    this.nodes
      .get(id)
      ?.setValueFromSource(
        new Variant({ dataType: DataType.Double, value }),
        StatusCodes[status] as StatusCode,
        new Date(sourceMs),
      );
  }

  /** Deletes the node from the address space (clients see BadNodeIdUnknown). */
  remove(id: string): void {
    const node = this.nodes.get(id);
    if (node) this.ns!.addressSpace.deleteNode(node);
    this.nodes.delete(id);
    this.removed.add(id);
  }

  /** Adds a removed node again under the same node id. */
  restore(id: string): void {
    this.removed.delete(id);
    if (this.server) this.addNode(id);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    this.ns = null;
    this.nodes.clear();
    if (s) await s.shutdown(0);
  }
}
