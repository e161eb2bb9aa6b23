/**
 * `plantkpi opcua browse URL`: walks a server's Objects folder and prints its numeric variables as a draft of the
 * signals and the opcua source's items (YAML), for an engineer to edit: ids, units and carriers need a person.
 * A variable counts as numeric when its declared DataType is a numeric built-in type, or when it is declared with an
 * abstract type (BaseDataType, Number, Integer, UInteger: open62541 servers declare many variables so) and its
 * current value is a numeric scalar.
 */
import {
  AttributeIds,
  BrowseDirection,
  DataType,
  NodeClass,
  OPCUAClient,
  type ReferenceDescription,
  UserTokenType,
  VariantArrayType,
} from 'node-opcua';

const NUMERIC = new Set([
  DataType.Boolean,
  DataType.SByte,
  DataType.Byte,
  DataType.Int16,
  DataType.UInt16,
  DataType.Int32,
  DataType.UInt32,
  DataType.Int64,
  DataType.UInt64,
  DataType.Float,
  DataType.Double,
]);

/** ns=0 abstract DataTypes a variable may be declared with while holding a number: BaseDataType, Number, Integer, UInteger */
const ABSTRACT = new Map([
  [24, 'BaseDataType'],
  [26, 'Number'],
  [27, 'Integer'],
  [28, 'UInteger'],
]);

export interface BrowseOptions {
  maxDepth: number;
  maxNodes: number;
  /** user name and password, when the server allows no anonymous session */
  identity?: { user: string; password: string };
}

export async function browseServer(url: string, opts: BrowseOptions): Promise<string> {
  const client = OPCUAClient.create({
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 1, initialDelay: 500 },
  });
  await client.connect(url);
  try {
    const session = await client.createSession(
      opts.identity
        ? { type: UserTokenType.UserName, userName: opts.identity.user, password: opts.identity.password }
        : { type: UserTokenType.Anonymous },
    );
    const found: { nodeId: string; path: string; dataType: string }[] = [];
    const queue: { nodeId: string; path: string; depth: number }[] = [
      { nodeId: 'ns=0;i=85', path: '', depth: 0 },
    ];
    const seen = new Set<string>();
    while (queue.length > 0 && found.length < opts.maxNodes) {
      const node = queue.shift()!;
      const res = await session.browse({
        nodeId: node.nodeId,
        browseDirection: BrowseDirection.Forward,
        referenceTypeId: 'HierarchicalReferences',
        includeSubtypes: true,
        nodeClassMask: NodeClass.Object | NodeClass.Variable,
        resultMask: 63,
      });
      for (const ref of (res.references ?? []) as ReferenceDescription[]) {
        const id = ref.nodeId.toString();
        if (seen.has(id) || ref.nodeId.namespace === 0) continue;
        seen.add(id);
        const path = node.path ? `${node.path}.${ref.browseName.name}` : String(ref.browseName.name);
        if (ref.nodeClass === NodeClass.Variable) {
          const dv = await session.read({ nodeId: ref.nodeId, attributeId: AttributeIds.DataType });
          const type = dv.value.value as { namespace?: number; value?: unknown } | null;
          const dt = type?.namespace === 0 && typeof type.value === 'number' ? type.value : undefined;
          if (dt !== undefined && NUMERIC.has(dt)) {
            found.push({ nodeId: id, path, dataType: DataType[dt] ?? String(dt) });
          } else if (dt !== undefined && ABSTRACT.has(dt)) {
            // declared abstract: what it holds now decides
            const v = (await session.read({ nodeId: ref.nodeId, attributeId: AttributeIds.Value })).value;
            if (v.arrayType === VariantArrayType.Scalar && NUMERIC.has(v.dataType))
              found.push({ nodeId: id, path, dataType: `${ABSTRACT.get(dt)}, now ${DataType[v.dataType]}` });
          }
        }
        if (node.depth + 1 < opts.maxDepth) queue.push({ nodeId: id, path, depth: node.depth + 1 });
      }
    }
    await session.close();
    const sig = (p: string) => p.replace(/[^A-Za-z0-9_.:-]/g, '_');
    const lines = [
      `# Draft from ${url}: ${found.length} numeric variables. Set each signal's kind, unit and carrier or product.`,
      'signals:',
      ...found.map((f) => `  - { id: ${sig(f.path)}, kind: gauge, unit: "1" }   # ${f.dataType}`),
      'sources:',
      '  opcua:',
      '    - id: opcua-1',
      `      endpoint: ${url}`,
      '      items:',
      ...found.map(
        (f) => `        - { signal: ${sig(f.path)}, nodeId: "${f.nodeId}", samplingIntervalMs: 1000 }`,
      ),
    ];
    return `${lines.join('\n')}\n`;
  } finally {
    await client.disconnect();
  }
}
