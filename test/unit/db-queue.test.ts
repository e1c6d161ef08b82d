// What only the database queue does: retry times from its own clock, and what becomes of a
// job when its process stops or dies (leases). What every queue promises (payloads, keys,
// permanent failures, concurrency, refused payloads) is in job-queue-contract.test.ts, which
// runs against this queue too.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase, type DatabaseHandle } from '../../src/server/infra/db/connect.js';
import { migrateToLatest } from '../../src/server/infra/db/migrate.js';
import { createDbQueue, releaseInterruptedJobs } from '../../src/server/infra/queue/db-queue.js';
import { defineJob, handle, type JobQueue } from '../../src/server/infra/queue/job.js';

let dir: string;
let handle_: DatabaseHandle;
let queue: JobQueue;
let clock = 1_000_000;

const job = defineJob({
  name: 'test.work',
  queue: 'default',
  schema: z.object({ n: z.number() }),
  dedupeKey: (p) => String(p.n),
  maxAttempts: 3,
  backoffMs: () => 60_000,
});

const limits = { media: 1, fetch: 1, send: 1, default: 2 };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'queue-'));
  handle_ = openDatabase({ kind: 'sqlite', file: join(dir, 'q.sqlite') });
  await migrateToLatest(handle_.db as unknown as Kysely<unknown>, 'sqlite');
  clock = 1_000_000;
  queue = createDbQueue({
    db: handle_.db,
    dialect: 'sqlite',
    log: pino({ level: 'silent' }),
    now: () => clock,
  });
});
afterEach(async () => {
  await queue.stop();
  await handle_.close();
  await rm(dir, { recursive: true, force: true });
});

const rows = () => handle_.db.selectFrom('jobs').selectAll().orderBy('createdAt').execute();

describe('database job queue', () => {
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
    await queue.enqueue(handle_.db, job, { n: 2 });
    queue.notify();
    await queue.idle();
    expect(attempts).toBe(1);
    expect((await rows())[0]).toMatchObject({ state: 'queued', lastError: 'boom 1', runAt: clock + 60_000 });
    clock += 60_001;
    await queue.idle();
    clock += 60_001;
    await queue.idle();
    expect(attempts).toBe(3);
    expect((await rows())[0]).toMatchObject({ state: 'failed', attempts: 3 });
    expect(gaveUp).toEqual(['boom 3']);
  });

  it('gives a job interrupted by a stop to the next process', async () => {
    await queue.enqueue(handle_.db, job, { n: 30 });
    await handle_.db
      .updateTable('jobs')
      .set({ state: 'running', lockedBy: 'dead-worker', lockedUntil: clock + 600_000 })
      .execute();
    expect(await releaseInterruptedJobs(handle_.db)).toBe(1);
    const seen: number[] = [];
    queue.start([handle(job, async ({ n }) => void seen.push(n))], limits);
    await queue.idle();
    expect(seen).toEqual([30]);
  });

  it('stops after its grace period when a job never finishes, leaving the job to its lease', async () => {
    const impatient = createDbQueue({
      db: handle_.db,
      dialect: 'sqlite',
      log: pino({ level: 'silent' }),
      now: () => clock,
      stopGraceMs: 50,
    });
    let started = false;
    impatient.start(
      [
        handle(job, async () => {
          started = true;
          await new Promise(() => undefined);
        }),
      ],
      limits,
    );
    await impatient.enqueue(handle_.db, job, { n: 40 });
    impatient.notify();
    await expect.poll(() => started).toBe(true);
    await impatient.stop();
    const row = await handle_.db.selectFrom('jobs').select('state').executeTakeFirstOrThrow();
    expect(row.state).toBe('running');
    expect(await releaseInterruptedJobs(handle_.db)).toBe(1);
  });

  it('takes over a job whose worker let its lease lapse', async () => {
    await queue.enqueue(handle_.db, job, { n: 31 });
    await handle_.db
      .updateTable('jobs')
      .set({ state: 'running', lockedBy: 'other-host', lockedUntil: clock - 1, attempts: 1 })
      .execute();
    const seen: number[] = [];
    queue.start([handle(job, async ({ n }) => void seen.push(n))], limits);
    await queue.idle();
    expect(seen).toEqual([31]);
    expect((await rows())[0]).toMatchObject({ state: 'done', attempts: 2 });
  });
});
