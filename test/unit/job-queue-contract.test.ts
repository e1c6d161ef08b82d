// The behaviour every job queue adapter promises, run against the database queue and the
// BullMQ (Redis) queue alike, on SQLite or on PostgreSQL when TEST_DATABASE_URL is set.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase, type DatabaseHandle } from '../../src/server/infra/db/connect.js';
import { migrateToLatest } from '../../src/server/infra/db/migrate.js';
import { createBullmqQueue } from '../../src/server/infra/queue/bullmq-queue.js';
import { createDbQueue } from '../../src/server/infra/queue/db-queue.js';
import { defineJob, handle, PermanentJobError, type JobQueue } from '../../src/server/infra/queue/job.js';
import { connectRedis } from '../../src/server/infra/queue/redis-connection.js';
import { databaseTarget } from '../support/harness.js';
import { clearJobPrefix, redisTestUrl, requireRedis, uniqueJobPrefix } from '../support/redis.js';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const withRedis = await requireRedis('job queue contract on Redis');

interface Adapter {
  kind: 'database' | 'redis';
  open(handle: DatabaseHandle): Promise<{ queue: JobQueue; dispose(): Promise<void> }>;
}

const adapters: Adapter[] = [
  {
    kind: 'database',
    async open(db) {
      return {
        queue: createDbQueue({ db: db.db, dialect: db.dialect, log }),
        dispose: async () => undefined,
      };
    },
  },
  ...(withRedis
    ? [
        {
          kind: 'redis' as const,
          async open(db: DatabaseHandle) {
            const prefix = uniqueJobPrefix();
            const redis = await connectRedis(redisTestUrl());
            return {
              queue: createBullmqQueue({ db: db.db, dialect: db.dialect, log, redis, prefix }),
              dispose: () => clearJobPrefix(prefix),
            };
          },
        },
      ]
    : []),
];

const limits = { media: 1, fetch: 1, send: 1, default: 2 };
const backoffCalls: number[] = [];

const job = defineJob({
  name: 'contract.work',
  queue: 'default',
  schema: z.object({ n: z.number() }),
  dedupeKey: (p) => String(p.n),
  maxAttempts: 3,
  backoffMs: (attempt) => {
    backoffCalls.push(attempt);
    return 50;
  },
});

async function waitFor(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}.`);
}

describe.each(adapters)('job queue contract on $kind', (adapter) => {
  let dir: string;
  let db: DatabaseHandle;
  let drop: () => Promise<void>;
  let queue: JobQueue;
  let dispose: () => Promise<void>;

  // One database per adapter, emptied between tests (creating and dropping a PostgreSQL
  // schema per test would slow every other test file that introspects the catalog).
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'queue-contract-'));
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
    await db.db.deleteFrom('accounts').execute();
    ({ queue, dispose } = await adapter.open(db));
    backoffCalls.length = 0;
  });
  afterEach(async () => {
    await queue.stop();
    await dispose();
  });

  const rows = () => db.db.selectFrom('jobs').selectAll().orderBy('createdAt').execute();

  it('names its engine and answers a ping', async () => {
    expect(queue.kind).toBe(adapter.kind);
    await expect(queue.ping()).resolves.toBeUndefined();
  });

  it('runs a job with its parsed payload', async () => {
    const seen: number[] = [];
    queue.start([handle(job, async ({ n }) => void seen.push(n))], limits);
    await queue.enqueue(db.db, job, { n: 7 });
    queue.notify();
    await queue.idle();
    expect(seen).toEqual([7]);
    expect((await rows())[0]).toMatchObject({ state: 'done', attempts: 1, dedupeKey: null });
    expect(await queue.counts()).toEqual({ done: 1 });
  });

  it('queues a job exactly when the transaction that enqueued it commits', async () => {
    const seen: number[] = [];
    queue.start([handle(job, async ({ n }) => void seen.push(n))], limits);
    const account = (id: string) => ({ id, name: id, ticketSeq: 0, createdAt: Date.now() });
    await expect(
      db.db.transaction().execute(async (tx) => {
        await tx.insertInto('accounts').values(account('rolled-back')).execute();
        await queue.enqueue(tx, job, { n: 40 });
        throw new Error('the use case failed');
      }),
    ).rejects.toThrow('the use case failed');
    await db.db.transaction().execute(async (tx) => {
      await tx.insertInto('accounts').values(account('committed')).execute();
      await queue.enqueue(tx, job, { n: 41 });
    });
    queue.notify();
    await queue.idle();
    expect(seen).toEqual([41]);
    expect((await rows()).map((row) => row.payload)).toEqual(['{"n":41}']);
    expect((await db.db.selectFrom('accounts').select('id').execute()).map((a) => a.id)).toEqual([
      'committed',
    ]);
  });

  it('does not queue a job twice while one with the same key is pending, and again once it is done', async () => {
    await queue.enqueue(db.db, job, { n: 1 });
    await queue.enqueue(db.db, job, { n: 1 });
    expect(await rows()).toHaveLength(1);
    const seen: number[] = [];
    queue.start([handle(job, async ({ n }) => void seen.push(n))], limits);
    queue.notify();
    await queue.idle();
    expect(seen).toEqual([1]);
    await queue.enqueue(db.db, job, { n: 1 });
    queue.notify();
    await queue.idle();
    expect(seen).toEqual([1, 1]);
    expect(await rows()).toHaveLength(2);
  });

  it('retries with backoff, then gives up and calls the give-up handler once', async () => {
    let attempts = 0;
    const gaveUp: string[] = [];
    queue.start(
      [
        handle(
          job,
          async () => {
            attempts += 1;
            throw new Error(`boom ${attempts}`);
          },
          async (_p, error) => void gaveUp.push((error as Error).message),
        ),
      ],
      limits,
    );
    await queue.enqueue(db.db, job, { n: 2 });
    queue.notify();
    await waitFor(async () => (await rows())[0]?.state === 'failed', 'the job to fail for good');
    await queue.idle();
    expect(attempts).toBe(3);
    expect((await rows())[0]).toMatchObject({ state: 'failed', attempts: 3, lastError: 'boom 3' });
    expect(gaveUp).toEqual(['boom 3']);
    expect(backoffCalls).toEqual(expect.arrayContaining([1, 2]));
  });

  it('stops at once on a permanent failure', async () => {
    let attempts = 0;
    const gaveUp: string[] = [];
    queue.start(
      [
        handle(
          job,
          async () => {
            attempts += 1;
            throw new PermanentJobError('gone for good');
          },
          async (_p, error) => void gaveUp.push((error as Error).message),
        ),
      ],
      limits,
    );
    await queue.enqueue(db.db, job, { n: 3 });
    queue.notify();
    await queue.idle();
    expect(attempts).toBe(1);
    expect(gaveUp).toEqual(['gone for good']);
    expect((await rows())[0]).toMatchObject({ state: 'failed', lastError: 'gone for good', dedupeKey: null });
  });

  it('runs a delayed job only once its delay has passed', async () => {
    const seen: number[] = [];
    queue.start([handle(job, async ({ n }) => void seen.push(n))], limits);
    const before = Date.now();
    await queue.enqueue(db.db, job, { n: 5 }, { delayMs: 1_500 });
    queue.notify();
    await queue.idle();
    const row = (await rows())[0]!;
    expect(row.runAt).toBeGreaterThanOrEqual(before + 1_500);
    if (Date.now() < row.runAt) expect(seen).toEqual([]);
    await waitFor(() => seen.length === 1, 'the delayed job');
    await queue.idle();
    expect((await rows())[0]).toMatchObject({ state: 'done' });
  });

  it('keeps at most the configured number of jobs of a queue running', async () => {
    let running = 0;
    let peak = 0;
    queue.start(
      [
        handle(job, async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 50));
          running -= 1;
        }),
      ],
      limits,
    );
    for (let n = 10; n < 20; n++) await queue.enqueue(db.db, job, { n });
    queue.notify();
    await queue.idle();
    expect(peak).toBe(2);
    expect((await rows()).every((row) => row.state === 'done')).toBe(true);
  });

  it('refuses a payload that does not match the declaration', async () => {
    await expect(queue.enqueue(db.db, job, { n: 'x' } as unknown as { n: number })).rejects.toThrow();
    expect(await rows()).toHaveLength(0);
  });
});
