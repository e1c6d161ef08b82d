// Redis for the tests of the job broker: TEST_REDIS_URL, or the machine's Redis on loopback.
// When it cannot be reached the Redis tests are skipped with a message, except in CI
// (CI=true), where that is a failure.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const redisTestUrl = (): string => process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export async function redisReachable(url = redisTestUrl()): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Resolves to whether the Redis tests run; throws in CI when Redis is down. */
export async function requireRedis(what: string): Promise<boolean> {
  const url = redisTestUrl();
  if (await redisReachable(url)) return true;
  const message = `${what}: no Redis at ${url}. Start one (redis-server --port 6379) or set TEST_REDIS_URL.`;
  if (process.env.CI === 'true') throw new Error(message);
  process.stderr.write(`\n[skipped] ${message}\n`);
  return false;
}

/** A key prefix of its own, so test files running side by side never share a queue. */
export const uniqueJobPrefix = (): string => `sbtest-${randomBytes(5).toString('hex')}`;

/** Deletes every key under a prefix (the queues of one test). */
export async function clearJobPrefix(prefix: string, url = redisTestUrl()): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
