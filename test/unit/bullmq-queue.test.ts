// What only the Redis queue has to get right: the outbox relay hands each committed row to
// BullMQ once in effect, from any process, even when no one called notify().
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase, type DatabaseHandle } from '../../src/server/infra/db/connect.js';
import { migrateToLatest } from '../../src/server/infra/db/migrate.js';
import { createBullmqQueue } from '../../src/server/infra/queue/bullmq-queue.js';
import { defineJob, handle, type JobQueue } from '../../src/server/infra/queue/job.js';
import { connectRedis } from '../../src/server/infra/queue/redis-connection.js';
import { databaseTarget } from '../support/harness.js';
import { clearJobPrefix, redisTestUrl, requireRedis, uniqueJobPrefix } from '../support/redis.js';

const withRedis = await requireRedis('BullMQ queue tests');
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const limits = { media: 1, fetch: 1, send: 1, default: 2 };

const job = defineJob({
  name: 'bullmq.work',
  queue: 'default',
  schema: z.object({ n: z.number() }),
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}.`);
}

describe.skipIf(!withRedis)('BullMQ job queue', () => {
  let dir: string;
  let db: DatabaseHandle;
  let drop: () => Promise<void>;
  let prefix: string;
  const opened: JobQueue[] = [];

  const openQueue = async (
    timing: { repairEveryMs?: number; overdueMs?: number } = {},
  ): Promise<JobQueue> => {
    const queue = createBullmqQueue({
      db: db.db,
      dialect: db.dialect,
      log,
      redis: await connectRedis(redisTestUrl()),
      prefix,
      ...timing,
    });
    opened.push(queue);
    return queue;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bullmq-'));
    const database = await databaseTarget(dir);
    drop = database.drop;
    db = openDatabase(database.target);
    await migrateToLatest(db.db as unknown as Kysely<unknown>, db.dialect, db.schema);
  });
  afterAll(async () => {
    await db.close();
    await drop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await db.db.deleteFrom('jobs').execute();
    prefix = uniqueJobPrefix();
  });
  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.stop();
    await clearJobPrefix(prefix);
  });

  const rows = () => db.db.selectFrom('jobs').selectAll().execute();

  it('runs a job enqueued by a process without workers on another process', async () => {
    const web = await openQueue();
    const worker = await openQueue();
    const seen: number[] = [];
    worker.start([handle(job, async ({ n }) => void seen.push(n))], limits);
    await db.db.transaction().execute((tx) => web.enqueue(tx, job, { n: 1 }));
    web.notify();
    await waitFor(() => seen.length === 1, 'the job to run');
    await worker.idle();
    expect(seen).toEqual([1]);
    expect((await rows())[0]).toMatchObject({ state: 'done', attempts: 1 });
    expect((await rows())[0]?.relayedAt).toEqual(expect.any(Number));
  });

  it('relays a committed job that nobody announced', async () => {
    const worker = await openQueue();
    const seen: number[] = [];
    worker.start([handle(job, async ({ n }) => void seen.push(n))], limits);
    await worker.enqueue(db.db, job, { n: 2 });
    await waitFor(() => seen.length === 1, 'the relay timer to hand the job over');
    expect(seen).toEqual([2]);
  });

  it('relays again a job that Redis lost', async () => {
    const web = await openQueue();
    await web.enqueue(db.db, job, { n: 5 });
    web.notify();
    let relayed = false;
    await waitFor(async () => {
      relayed = relayed || (await rows())[0]?.relayedAt != null;
      return relayed;
    }, 'the relay');
    // Redis restarts empty.
    await clearJobPrefix(prefix);
    const worker = await openQueue({ repairEveryMs: 50, overdueMs: 0 });
    const seen: number[] = [];
    worker.start([handle(job, async ({ n }) => void seen.push(n))], limits);
    await waitFor(() => seen.length === 1, 'the lost job to run');
    await worker.idle();
    expect(seen).toEqual([5]);
    expect(await rows()).toMatchObject([{ state: 'done', attempts: 1 }]);
  });

  it('holds a row handed over twice once, and never runs a finished row again', async () => {
    const queue = await openQueue();
    let runs = 0;
    queue.start([handle(job, async () => void (runs += 1))], limits);
    const bull = new Queue('default', { connection: { url: redisTestUrl() }, prefix });
    try {
      // A relay that stopped before marking its rows: the next pass adds them again.
      await queue.enqueue(db.db, job, { n: 3 }, { delayMs: 60_000 });
      queue.notify();
      await queue.idle();
      await db.db.updateTable('jobs').set({ relayedAt: null }).execute();
      queue.notify();
      await queue.idle();
      expect(await bull.getDelayedCount()).toBe(1);
      await db.db.deleteFrom('jobs').execute();

      await queue.enqueue(db.db, job, { n: 4 });
      queue.notify();
      await queue.idle();
      expect(runs).toBe(1);
      const [row] = await rows();
      // The same row reaching BullMQ after its first copy ran and was removed.
      await bull.remove(row!.id);
      await bull.add(job.name, {}, { jobId: row!.id });
      await waitFor(
        async () => (await bull.getJobState(row!.id)) === 'completed',
        'BullMQ to finish the second copy',
      );
    } finally {
      await bull.close();
    }
    expect(runs).toBe(1);
    expect(await rows()).toMatchObject([{ state: 'done', attempts: 1 }]);
  });
});
