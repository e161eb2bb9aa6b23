/**
 * `plantkpi serve` in a process of its own for test/portal-serve.test.ts, with the test users beside the records
 * store (until the records store keeps users itself): node --import tsx test/portal-serve-child.ts CONFIG DATA
 */
import { stdio } from '../cli/args.ts';
import { cmdServe } from '../cli/serve.ts';
import { withUsers } from '../portal/testing/memory-users.ts';
import { testUsers } from './portal-users.ts';

const [config, data] = process.argv.slice(2);
process.exitCode = await cmdServe({ values: { config, data, port: '0' }, positionals: [] }, stdio, {
  records: async (r) => withUsers(r, await testUsers(r)),
});
