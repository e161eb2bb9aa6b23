/** The same store contract against a real private InfluxDB 1.x: through v1 and through the v2 API in front of it. */
import { afterAll, beforeAll } from 'vitest';
import { type InfluxServer, startInflux } from '../../test/services/influxd.ts';
import { startV2Compat, type V2Compat } from '../../test/services/v2-compat.ts';
import { storeContract } from '../contract.ts';
import { InfluxStore } from './store.ts';
import { V1WriteTarget, V2WriteTarget } from './targets.ts';

let influx: InfluxServer;
let compat: V2Compat;
let n = 0;
beforeAll(async () => {
  influx = await startInflux();
  compat = await startV2Compat(influx.url);
});
afterAll(async () => {
  await compat?.close();
  await influx?.destroy();
});

storeContract('InfluxDB 1.x (v1 write, InfluxQL)', async () => {
  const database = `contract_v1_${++n}`;
  await influx.query(`CREATE DATABASE ${database}`);
  const store = new InfluxStore(
    { url: influx.url, database, site: 'S' },
    new V1WriteTarget({ url: influx.url, database }),
  );
  return { store, cleanup: async () => void (await influx.query(`DROP DATABASE ${database}`)) };
});

storeContract('InfluxDB v2 API (token, bucket; InfluxQL over /query)', async () => {
  const database = `contract_v2_${++n}`;
  await influx.query(`CREATE DATABASE ${database}`);
  const store = new InfluxStore(
    { url: compat.url, database, site: 'S', token: compat.token },
    new V2WriteTarget({ url: compat.url, token: compat.token, org: 'plant', bucket: `${database}/autogen` }),
  );
  return { store, cleanup: async () => void (await influx.query(`DROP DATABASE ${database}`)) };
});
