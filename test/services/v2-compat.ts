/**
 * InfluxDB 1.6 has no v2 API. This test fixture puts in front of the real InfluxDB 1.x what InfluxDB 1.8+ and 2.x
 * expose — POST /api/v2/write (org, bucket "db/rp", Token auth) and /query with Token auth — and forwards to the
 * real server's v1 endpoints, so the v2 client path writes into and reads from a real InfluxDB.
 */
import http from 'node:http';
import { freePort } from './ports.ts';

export interface V2Compat {
  url: string;
  token: string;
  /** requests seen, for assertions that the v2 path was really taken */
  v2Writes: number;
  close(): Promise<void>;
}

export async function startV2Compat(influxUrl: string, token = 'test-token'): Promise<V2Compat> {
  const port = await freePort();
  const state: V2Compat = { url: `http://127.0.0.1:${port}`, token, v2Writes: 0, close: async () => {} };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', state.url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (req.headers.authorization !== `Token ${token}`) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"code":"unauthorized","message":"unauthorized access"}');
      return;
    }
    let target: URL;
    if (url.pathname === '/api/v2/write') {
      state.v2Writes++;
      const [db, rp] = (url.searchParams.get('bucket') ?? '').split('/');
      target = new URL('/write', influxUrl);
      target.searchParams.set('db', db ?? '');
      if (rp) target.searchParams.set('rp', rp);
      target.searchParams.set('precision', url.searchParams.get('precision') ?? 'ns');
    } else if (url.pathname === '/query' || url.pathname === '/ping') {
      target = new URL(url.pathname + url.search, influxUrl);
    } else {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'content-encoding']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const up = await fetch(target, {
      method: req.method ?? 'GET',
      headers,
      ...(body.length ? { body } : {}),
    });
    const text = await up.text();
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'text/plain' }).end(text);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  state.close = () => new Promise((r) => server.close(() => r()));
  return state;
}
