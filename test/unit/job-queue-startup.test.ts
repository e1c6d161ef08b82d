// Choosing the job queue at start-up: REDIS_URL selects BullMQ, and an unreachable Redis
// stops start-up with a message that names the variable.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRuntime } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/config.js';
import { newToken } from '../../src/server/infra/ids.js';
import { clearJobPrefix, redisTestUrl, requireRedis, uniqueJobPrefix } from '../support/redis.js';

const withRedis = await requireRedis('job queue start-up on Redis');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'queue-startup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = {
  log: pino({ level: 'silent' }),
  secrets: { sessionKey: newToken(), urlSigningKey: newToken() },
};

it('refuses to start when Redis cannot be reached, naming REDIS_URL and hiding the password', async () => {
  const config = loadConfig({ DATA_DIR: dir, REDIS_URL: 'redis://:hunter2@127.0.0.1:1' });
  const failure = createRuntime(config, options);
  await expect(failure).rejects.toThrow(
    /Redis is not reachable at redis:\/\/:\*\*\*@127\.0\.0\.1:1.*REDIS_URL/,
  );
  await expect(failure).rejects.not.toThrow(/hunter2/);
});

it('runs jobs on the database queue without REDIS_URL', async () => {
  const runtime = await createRuntime(loadConfig({ DATA_DIR: dir }), options);
  expect(runtime.deps.queue.kind).toBe('database');
  await runtime.close();
});

it.skipIf(!withRedis)('runs jobs on BullMQ with REDIS_URL', async () => {
  const jobPrefix = uniqueJobPrefix();
  const runtime = await createRuntime(loadConfig({ DATA_DIR: dir, REDIS_URL: redisTestUrl() }), {
    ...options,
    jobPrefix,
  });
  expect(runtime.deps.queue.kind).toBe('redis');
  await runtime.deps.queue.ping();
  await runtime.close();
  await clearJobPrefix(jobPrefix);
});
