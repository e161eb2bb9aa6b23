/**
 * Whether the Redis the queues live in keeps them: BullMQ's production guide asks for `maxmemory-policy noeviction`
 * (an evicted key is a lost or broken job) and persistence (AOF, `appendfsync everysec`). The worker and the
 * scheduler check at start and warn, or refuse with `jobs.redis.requireDurable`.
 */
import type { Redis } from 'ioredis';

async function configValue(redis: Redis, key: string): Promise<string> {
  const pair = (await redis.config('GET', key)) as string[];
  return pair[1] ?? '';
}

/** What makes this Redis lose queued jobs, one line each; empty when it keeps them. */
export async function redisDurabilityProblems(redis: Redis): Promise<string[]> {
  let policy: string;
  let appendonly: string;
  let save: string;
  try {
    policy = await configValue(redis, 'maxmemory-policy');
    appendonly = await configValue(redis, 'appendonly');
    save = await configValue(redis, 'save');
  } catch (err) {
    return [
      `its settings cannot be read (CONFIG GET refused: ${(err as Error).message}): make sure it runs with maxmemory-policy noeviction and appendonly yes`,
    ];
  }
  const problems: string[] = [];
  if (policy !== 'noeviction')
    problems.push(
      `maxmemory-policy is ${policy}: under memory pressure Redis evicts queue keys (lost jobs); set noeviction`,
    );
  if (appendonly !== 'yes' && save.trim() === '')
    problems.push(
      'it keeps nothing on disk (appendonly no, no save points): a restart loses every queued job; set appendonly yes (appendfsync everysec)',
    );
  return problems;
}
