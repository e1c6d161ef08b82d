// Chooses the fan-out for the configuration: Redis when REDIS_URL is set (with the command
// connection shared by the rate limits), in-process otherwise.
import type { Logger } from 'pino';
import { closeRedis, duplicateRedis, openRedis, type RedisLink } from '../redis/redis-connection.js';
import { createMemoryPubSub, type PubSub } from './pubsub.js';
import { createRedisPubSub } from './redis-pubsub.js';

export interface FanOut {
  pubsub: PubSub;
  /** The process's command connection to Redis, or null in the embedded profile. */
  redis: RedisLink | null;
  close(): Promise<void>;
}

export const DEFAULT_REDIS_PREFIX = 'switchboard:';

export async function openFanOut(
  redis: { url: string } | null,
  log: Logger,
  prefix = DEFAULT_REDIS_PREFIX,
): Promise<FanOut> {
  if (!redis) {
    const pubsub = createMemoryPubSub();
    return { pubsub, redis: null, close: () => pubsub.close() };
  }
  const client = await openRedis(redis.url, log, `${prefix}commands`);
  let subscriber;
  try {
    subscriber = await duplicateRedis(client, redis.url, log, `${prefix}subscriber`);
  } catch (error) {
    await closeRedis(client);
    throw error;
  }
  const pubsub = createRedisPubSub({
    publisher: client,
    subscriber,
    prefix: `${prefix}events:`,
    log: log.child({ component: 'pubsub' }),
  });
  return {
    pubsub,
    redis: { client, prefix },
    async close() {
      await pubsub.close();
      await closeRedis(client);
    },
  };
}
