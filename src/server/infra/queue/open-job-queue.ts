// Chooses the job queue for the profile: BullMQ when REDIS_URL is set, else the database.
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';
import { createBullmqQueue } from './bullmq-queue.js';
import { createDbQueue } from './db-queue.js';
import type { JobQueue } from './job.js';
import { connectRedis } from './redis-connection.js';

export const DEFAULT_JOB_PREFIX = 'switchboard';

export async function openJobQueue(deps: {
  redis: { url: string } | null;
  db: Db;
  dialect: Dialect;
  log: Logger;
  now: () => number;
  /** Redis key prefix for the queues (default "switchboard"). */
  prefix?: string;
}): Promise<JobQueue> {
  if (!deps.redis) return createDbQueue(deps);
  const redis = await connectRedis(deps.redis.url);
  return createBullmqQueue({ ...deps, redis, prefix: deps.prefix ?? DEFAULT_JOB_PREFIX });
}
