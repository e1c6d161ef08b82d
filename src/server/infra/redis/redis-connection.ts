// One ioredis connection, opened eagerly so that an unreachable Redis stops start-up with a
// message that names it, then kept alive by ioredis's reconnects (with a capped back-off).
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

const CONNECT_TIMEOUT_MS = 5_000;

/** A command connection and the prefix every key of this deployment starts with. */
export interface RedisLink {
  client: Redis;
  prefix: string;
}

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}

/** `name` shows in CLIENT LIST (letters, digits and punctuation, no spaces). */
export async function openRedis(url: string, log: Logger, name: string): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Commands issued while disconnected wait for the reconnect, up to this many attempts.
    maxRetriesPerRequest: 3,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  await connect(client, url);
  watch(client, log.child({ component: 'redis', connection: name }));
  return client;
}

/** A second connection to the same server (a subscriber cannot issue other commands). */
export async function duplicateRedis(source: Redis, url: string, log: Logger, name: string): Promise<Redis> {
  const client = source.duplicate({ lazyConnect: true, connectionName: name });
  await connect(client, url);
  watch(client, log.child({ component: 'redis', connection: name }));
  return client;
}

async function connect(client: Redis, url: string): Promise<void> {
  // Errors before the first connection are reported by connect(); without a listener ioredis
  // would also print them.
  let cause: Error | undefined;
  const quiet = (error: Error) => {
    cause ??= error;
  };
  client.on('error', quiet);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    const reason = (cause ?? (error as Error)).message.replace(/\.$/, '');
    throw new Error(`Redis is not reachable at ${redactRedisUrl(url)}: ${reason}. Check REDIS_URL.`, {
      cause: error,
    });
  } finally {
    client.off('error', quiet);
  }
}

function watch(client: Redis, log: Logger): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) log.warn({ err: error }, 'Redis connection failed; reconnecting');
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info('Redis connection restored');
    down = false;
  });
}

/** Closes gracefully (QUIT), or drops the socket when the server is gone. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}
