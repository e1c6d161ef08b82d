// A durable job queue in the application's own database. A job is a row; a worker claims it
// by moving it to `running` with a lease, so a job held by a worker that died is taken up
// again when the lease lapses. Used by the embedded profile (SQLite) and by PostgreSQL
// deployments without a broker.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';
import type { Row } from '../db/schema.js';
import { newToken } from '../ids.js';
import { countJobRows, insertJobRow } from './job-rows.js';
import {
  PermanentJobError,
  settledWithin,
  STOP_GRACE_MS,
  type JobHandler,
  type JobQueue,
  type QueueName,
} from './job.js';

const POLL_MS = 1_000;

export function createDbQueue(deps: {
  db: Db;
  dialect: Dialect;
  log: Logger;
  now?: () => number;
  /** How long stop() waits for running jobs (default STOP_GRACE_MS). */
  stopGraceMs?: number;
}): JobQueue {
  const now = deps.now ?? Date.now;
  const workerId = `${hostname()}:${process.pid}:${newToken(4)}`;
  const handlers = new Map<string, JobHandler<unknown>>();
  const running = new Map<QueueName, number>();
  const inFlight = new Set<Promise<void>>();
  let limits: Record<QueueName, number> | null = null;
  let stopped = true;
  let timer: NodeJS.Timeout | null = null;
  let pumping = false;
  let pumpAgain = false;

  async function claim(queue: QueueName): Promise<Row<'jobs'> | null> {
    const at = now();
    const due = deps.db
      .selectFrom('jobs')
      .select('id')
      .where('queue', '=', queue)
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('runAt', '<=', at)]),
          eb.and([eb('state', '=', 'running'), eb('lockedUntil', '<', at)]),
        ]),
      )
      .orderBy('runAt')
      .limit(1)
      .$if(deps.dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
    const claimed = await deps.db
      .updateTable('jobs')
      .set((eb) => ({
        state: 'running',
        lockedBy: workerId,
        lockedUntil: at,
        attempts: eb('attempts', '+', 1),
        updatedAt: at,
      }))
      .where('id', '=', due)
      .returningAll()
      .executeTakeFirst();
    if (!claimed) return null;
    const handler = handlers.get(claimed.name);
    const leaseMs = handler?.definition.leaseMs ?? 10 * 60_000;
    await deps.db
      .updateTable('jobs')
      .set({ lockedUntil: at + leaseMs })
      .where('id', '=', claimed.id)
      .execute();
    return claimed;
  }

  async function finish(job: Row<'jobs'>): Promise<void> {
    await deps.db
      .updateTable('jobs')
      .set({ state: 'done', dedupeKey: null, lockedBy: null, lockedUntil: null, updatedAt: now() })
      .where('id', '=', job.id)
      .execute();
  }

  async function fail(
    job: Row<'jobs'>,
    handler: JobHandler<unknown> | undefined,
    error: unknown,
  ): Promise<boolean> {
    const permanent = error instanceof PermanentJobError || !handler;
    const giveUp = permanent || job.attempts >= job.maxAttempts;
    const message = error instanceof Error ? error.message : String(error);
    const delay = handler ? handler.definition.backoffMs(job.attempts) : 0;
    await deps.db
      .updateTable('jobs')
      .set(
        giveUp
          ? {
              state: 'failed',
              dedupeKey: null,
              lockedBy: null,
              lockedUntil: null,
              lastError: message,
              updatedAt: now(),
            }
          : {
              state: 'queued',
              runAt: now() + delay,
              lockedBy: null,
              lockedUntil: null,
              lastError: message,
              updatedAt: now(),
            },
      )
      .where('id', '=', job.id)
      .execute();
    return giveUp;
  }

  async function execute(job: Row<'jobs'>): Promise<void> {
    const handler = handlers.get(job.name);
    const log = deps.log.child({ job: job.name, jobId: job.id, attempt: job.attempts });
    const context = {
      jobId: job.id,
      attempt: job.attempts,
      isLastAttempt: job.attempts >= job.maxAttempts,
      log,
    };
    let payload: unknown;
    try {
      if (!handler) throw new PermanentJobError(`No handler is registered for job "${job.name}".`);
      payload = handler.definition.schema.parse(JSON.parse(job.payload));
      await handler.run(payload, context);
      await finish(job);
      log.debug('job done');
    } catch (error) {
      const gaveUp = await fail(job, handler, error).catch((failError: unknown) => {
        log.error(
          { err: failError },
          'could not record the job failure; its lease will expire and it will run again',
        );
        return false;
      });
      log[gaveUp ? 'error' : 'warn'](
        { err: error },
        gaveUp ? 'job failed; giving up' : 'job failed; will retry',
      );
      if (gaveUp && handler?.onGiveUp && payload !== undefined) {
        await handler.onGiveUp(payload, error, context).catch((hookError: unknown) => {
          log.error({ err: hookError }, 'the give-up handler failed');
        });
      }
    }
  }

  async function pump(): Promise<void> {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        if (stopped || !limits) return;
        for (const queue of Object.keys(limits) as QueueName[]) {
          while (!stopped && (running.get(queue) ?? 0) < limits[queue]) {
            const job = await claim(queue);
            if (!job) break;
            running.set(queue, (running.get(queue) ?? 0) + 1);
            const task = execute(job).finally(() => {
              running.set(queue, (running.get(queue) ?? 1) - 1);
              inFlight.delete(task);
              void pump();
            });
            inFlight.add(task);
          }
        }
      } while (pumpAgain);
    } catch (error) {
      deps.log.error({ err: error }, 'the job queue could not claim jobs; retrying shortly');
    } finally {
      pumping = false;
    }
  }

  const queue: JobQueue = {
    kind: 'database',

    async enqueue(db, definition, payload, options) {
      await insertJobRow(db, definition, payload, options, now());
    },

    notify() {
      void pump();
    },

    start(list, concurrency) {
      for (const handler of list) handlers.set(handler.definition.name, handler);
      limits = concurrency;
      stopped = false;
      timer = setInterval(() => void pump(), POLL_MS);
      timer.unref();
      void pump();
    },

    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      const running = inFlight.size;
      const graceMs = deps.stopGraceMs ?? STOP_GRACE_MS;
      if (!(await settledWithin(Promise.allSettled([...inFlight]), graceMs)))
        deps.log.warn(
          { running, graceMs },
          'jobs still running at shutdown are left to their leases and will run again',
        );
    },

    async idle({ timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
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
        if (Number(due.n) === 0 && inFlight.size === 0) return;
        if (Date.now() > deadline)
          throw new Error(`The job queue did not become idle within ${timeoutMs} ms.`);
        void pump();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },

    counts() {
      return countJobRows(deps.db);
    },

    async ping() {
      await deps.db.selectFrom('jobs').select('id').limit(1).execute();
    },
  };
  return queue;
}

/** Jobs left `running` by a process that stopped (only one process uses a SQLite file). */
export async function releaseInterruptedJobs(db: Db): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ state: 'queued', lockedBy: null, lockedUntil: null })
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
