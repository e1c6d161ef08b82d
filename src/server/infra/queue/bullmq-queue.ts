// Jobs on BullMQ (Redis) for the scale profile. Enqueueing writes the job row in the caller's
// transaction, exactly as the database queue does; the outbox relay hands committed rows to
// one BullMQ queue per QueueName, and BullMQ workers run them with the row as the record of
// state. A worker holds a job under a lock it renews while alive; when it dies the lock
// lapses, BullMQ's stalled-job check puts the job back, and another worker runs it.
import { hostname } from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';
import { newToken } from '../ids.js';
import { createProcessor } from './bullmq-processor.js';
import { countJobRows, insertJobRow } from './job-rows.js';
import { settledWithin, STOP_GRACE_MS, type JobHandler, type JobQueue, type QueueName } from './job.js';
import { createOutboxRelay, type OutboxRow } from './outbox-relay.js';
import { repairLostJobs } from './outbox-repair.js';

const QUEUE_NAMES: QueueName[] = ['media', 'fetch', 'send', 'default'];
/** Longest lock: a job held by a worker that died is run again within about twice this. */
const MAX_LOCK_MS = 30_000;
const KEEP_DONE = { age: 3600, count: 1000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 10_000 };

export interface BullmqQueueDeps {
  db: Db;
  dialect: Dialect;
  log: Logger;
  /** From connectRedis; the queue closes it on stop. */
  redis: Redis;
  /** Key prefix in Redis, so several deployments (or test runs) can share one server. */
  prefix: string;
  now?: () => number;
  /** How often rows are checked against what Redis still holds (default every minute). */
  repairEveryMs?: number;
  /** How long past due a row must be before it is checked (default five minutes). */
  overdueMs?: number;
}

export function createBullmqQueue(deps: BullmqQueueDeps): JobQueue {
  const now = deps.now ?? Date.now;
  const connection = deps.redis;
  const workerId = `${hostname()}:${process.pid}:${newToken(4)}`;
  const handlers = new Map<string, JobHandler<unknown>>();
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  let active = 0;
  let closed = false;
  // ioredis reconnects by itself; without a listener it would print each error to stderr.
  connection.on('error', (error: Error) => deps.log.warn({ err: error }, 'Redis connection error'));

  const queueFor = (name: string): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection, prefix: deps.prefix });
      queue.on('error', (error) => deps.log.error({ err: error, queue: name }, 'job queue error'));
      queues.set(name, queue);
    }
    return queue;
  };

  async function handOver(rows: OutboxRow[]): Promise<void> {
    const byQueue = new Map<string, OutboxRow[]>();
    for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
    const at = now();
    for (const [name, list] of byQueue) {
      await queueFor(name).addBulk(
        list.map((row) => ({
          name: row.name,
          data: {},
          opts: {
            jobId: row.id,
            delay: Math.max(0, row.runAt - at),
            attempts: row.maxAttempts,
            backoff: { type: 'definition' },
            removeOnComplete: KEEP_DONE,
            removeOnFail: KEEP_FAILED,
          },
        })),
      );
    }
  }

  const relay = createOutboxRelay({ db: deps.db, dialect: deps.dialect, log: deps.log, now, handOver });
  let repairing: Promise<void> | null = null;
  const repair = () =>
    repairLostJobs({
      db: deps.db,
      log: deps.log,
      now,
      overdueMs: deps.overdueMs ?? 5 * 60_000,
      brokerState: async (name, id) => queueFor(name).getJobState(id),
      forget: async (name, id) => void (await queueFor(name).remove(id)),
    })
      .then((repaired) => (repaired > 0 ? relay.run() : undefined))
      .catch((error: unknown) => deps.log.error({ err: error }, 'could not compare jobs with Redis'));
  const repairTimer = setInterval(() => {
    if (closed || repairing) return;
    repairing = repair().finally(() => {
      repairing = null;
    });
  }, deps.repairEveryMs ?? 60_000);
  repairTimer.unref();

  const runJob = createProcessor({ db: deps.db, log: deps.log, now, workerId, handlers });

  function startWorker(name: QueueName, concurrency: number): Worker {
    const definitions = [...handlers.values()]
      .map((handler) => handler.definition)
      .filter((definition) => definition.queue === name);
    const lockDuration = Math.min(MAX_LOCK_MS, ...definitions.map((definition) => definition.leaseMs));
    const worker = new Worker(
      name,
      async (job: Job) => {
        active += 1;
        try {
          await runJob(job);
        } finally {
          active -= 1;
        }
      },
      {
        connection,
        prefix: deps.prefix,
        concurrency,
        lockDuration,
        stalledInterval: lockDuration,
        // Restarts after a worker died count as attempts; the processor gives up past the
        // job's maxAttempts, so BullMQ must not fail the job on its own before that.
        maxStalledCount: Math.max(1, ...definitions.map((definition) => definition.maxAttempts)),
        settings: {
          backoffStrategy: (attemptsMade, _type, _error, job) =>
            handlers.get(job?.name ?? '')?.definition.backoffMs(attemptsMade) ?? 1_000,
        },
      },
    );
    worker.on('error', (error) => deps.log.error({ err: error, queue: name }, 'job worker error'));
    return worker;
  }

  return {
    kind: 'redis',

    async enqueue(db, definition, payload, options) {
      await insertJobRow(db, definition, payload, options, now());
    },

    notify() {
      if (!closed) void relay.run();
    },

    start(list, concurrency) {
      for (const handler of list) handlers.set(handler.definition.name, handler);
      for (const name of QUEUE_NAMES) workers.push(startWorker(name, concurrency[name]));
      void relay.run();
    },

    async stop() {
      if (closed) return;
      closed = true;
      clearInterval(repairTimer);
      await repairing;
      await relay.stop();
      // Waits for the running jobs to finish, for a while: then the workers close without them,
      // and the jobs' locks lapse so that another worker runs them again.
      const closing = workers.splice(0);
      if (!(await settledWithin(Promise.all(closing.map((worker) => worker.close())), STOP_GRACE_MS)))
        await Promise.all(closing.map((worker) => worker.close(true)));
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      queues.clear();
      await connection.quit().catch(() => connection.disconnect());
    },

    async idle({ timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await relay.run();
        const due = await deps.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where((eb) =>
            eb.or([
              eb.and([eb('state', '=', 'queued'), eb('runAt', '<=', now())]),
              eb('state', '=', 'running'),
            ]),
          )
          .executeTakeFirstOrThrow();
        if (Number(due.n) === 0 && active === 0) return;
        if (Date.now() > deadline)
          throw new Error(`The job queue did not become idle within ${timeoutMs} ms.`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },

    counts() {
      return countJobRows(deps.db);
    },

    async ping() {
      await connection.ping();
    },
  };
}
