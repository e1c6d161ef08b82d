// One Redis connection for the job broker, opened only after a probe shows the server answers,
// so an unreachable Redis stops start-up with a message that names REDIS_URL.
import { Redis } from 'ioredis';

const PROBE_TIMEOUT_MS = 5_000;

/** The URL without its password, for messages and logs. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an invalid URL';
  }
}

export async function connectRedis(url: string): Promise<Redis> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's own error (refused, unknown host) says more than the closed connection.
  let socketError: Error | undefined;
  probe.on('error', (error: Error) => {
    socketError ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = (socketError ?? (error as Error)).message.replace(/\.$/, '');
    throw new Error(`Redis is not reachable at ${describeRedisUrl(url)}: ${reason}. Check REDIS_URL.`, {
      cause: error,
    });
  } finally {
    probe.disconnect();
  }
  // BullMQ's workers block on this connection's duplicates and need unlimited retries.
  return new Redis(url, { maxRetriesPerRequest: null });
}
