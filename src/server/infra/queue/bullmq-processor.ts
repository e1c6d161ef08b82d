// Runs one broker job against its row in the jobs table. The row carries the payload and the
// job's state, so dedupe keys, counts and retention work as with the database queue, and a
// row that has already finished is never run again (a relay may hand a row over twice).
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import { errorMessage } from './job-rows.js';
import { PermanentJobError, type JobContext, type JobHandler } from './job.js';

export interface ProcessorDeps {
  db: Db;
  log: Logger;
  now: () => number;
  workerId: string;
  handlers: Map<string, JobHandler<unknown>>;
}

export function createProcessor(deps: ProcessorDeps): (job: Job) => Promise<void> {
  const { db, now } = deps;

  async function giveUp(
    id: string,
    handler: JobHandler<unknown> | undefined,
    payload: unknown,
    error: unknown,
    context: JobContext,
  ): Promise<never> {
    await db
      .updateTable('jobs')
      .set({
        state: 'failed',
        dedupeKey: null,
        lockedBy: null,
        lockedUntil: null,
        lastError: errorMessage(error),
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute();
    context.log.error({ err: error }, 'job failed; giving up');
    if (handler?.onGiveUp && payload !== undefined) {
      await handler.onGiveUp(payload, error, context).catch((hookError: unknown) => {
        context.log.error({ err: hookError }, 'the give-up handler failed');
      });
    }
    throw new UnrecoverableError(errorMessage(error));
  }

  return async function process(job: Job): Promise<void> {
    const id = job.id ?? '';
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.state === 'done' || row.state === 'failed') return;
    const handler = deps.handlers.get(row.name);
    // Starts count the runs cut short by a worker that died, as the database queue's leases do.
    const attempt = Math.max(1, job.attemptsStarted);
    const log = deps.log.child({ job: row.name, jobId: id, attempt });
    const context: JobContext = { jobId: id, attempt, isLastAttempt: attempt >= row.maxAttempts, log };
    let payload: unknown;
    try {
      if (!handler) throw new PermanentJobError(`No handler is registered for job "${row.name}".`);
      payload = handler.definition.schema.parse(JSON.parse(row.payload));
    } catch (error) {
      return giveUp(id, handler, payload, error, context);
    }
    if (attempt > row.maxAttempts) {
      const error = new Error(`The workers running this job stopped ${attempt - 1} times.`);
      return giveUp(id, handler, payload, error, context);
    }
    await db
      .updateTable('jobs')
      .set({
        state: 'running',
        attempts: attempt,
        lockedBy: deps.workerId,
        lockedUntil: now() + handler.definition.leaseMs,
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute();
    try {
      await handler.run(payload, context);
    } catch (error) {
      if (error instanceof PermanentJobError || attempt >= row.maxAttempts)
        return giveUp(id, handler, payload, error, context);
      // The broker waits the same delay (see backoffStrategy) before the next attempt.
      const delay = handler.definition.backoffMs(job.attemptsMade + 1);
      await db
        .updateTable('jobs')
        .set({
          state: 'queued',
          runAt: now() + delay,
          lockedBy: null,
          lockedUntil: null,
          lastError: errorMessage(error),
          updatedAt: now(),
        })
        .where('id', '=', id)
        .execute();
      log.warn({ err: error }, 'job failed; will retry');
      throw error;
    }
    await db
      .updateTable('jobs')
      .set({ state: 'done', dedupeKey: null, lockedBy: null, lockedUntil: null, updatedAt: now() })
      .where('id', '=', id)
      .execute();
    log.debug('job done');
  };
}
