// Jobs are declared once (name, queue, payload schema, retries, dedupe key) and run by any
// queue adapter: the database queue of the embedded profile or a broker at scale.
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Db } from '../db/connect.js';

export type QueueName = 'media' | 'fetch' | 'send' | 'default';

export interface JobDefinition<P> {
  name: string;
  queue: QueueName;
  schema: z.ZodType<P>;
  /** Total tries, the first included. */
  maxAttempts: number;
  /** Delay before the retry that follows failed attempt `attempt` (1-based). */
  backoffMs(attempt: number): number;
  /** Jobs with the same key are not queued twice while one of them is pending. */
  dedupeKey?(payload: P): string;
  /** A running job whose worker has not finished it within this time is given to another worker. */
  leaseMs: number;
}

const declared = new Map<string, JobDefinition<never>>();

/** Every job declared by the modules loaded so far. */
export const declaredJobs = (): JobDefinition<never>[] => [...declared.values()];

export function defineJob<P>(
  definition: Pick<JobDefinition<P>, 'name' | 'queue' | 'schema'> &
    Partial<Omit<JobDefinition<P>, 'name' | 'queue' | 'schema'>>,
): JobDefinition<P> {
  if (declared.has(definition.name)) throw new Error(`The job "${definition.name}" is declared twice.`);
  const job: JobDefinition<P> = {
    maxAttempts: 5,
    backoffMs: (attempt) => Math.min(60 * 60_000, 2_000 * 4 ** (attempt - 1)),
    leaseMs: 10 * 60_000,
    ...definition,
  };
  declared.set(job.name, job as unknown as JobDefinition<never>);
  return job;
}

export interface JobContext {
  jobId: string;
  attempt: number;
  isLastAttempt: boolean;
  log: Logger;
}

export interface JobHandler<P> {
  definition: JobDefinition<P>;
  run(payload: P, context: JobContext): Promise<void>;
  /** Called once when the job will not be tried again. */
  onGiveUp?(payload: P, error: unknown, context: JobContext): Promise<void>;
}

/** Thrown by a handler when trying again cannot help. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

export function handle<P>(
  definition: JobDefinition<P>,
  run: JobHandler<P>['run'],
  onGiveUp?: JobHandler<P>['onGiveUp'],
): JobHandler<unknown> {
  return { definition, run, ...(onGiveUp ? { onGiveUp } : {}) } as unknown as JobHandler<unknown>;
}

export interface EnqueueOptions {
  delayMs?: number;
}

export interface JobQueue {
  /** Where jobs wait: the application's database, or a Redis broker. */
  readonly kind: 'database' | 'redis';
  /** Queues a job. Pass the open transaction so the job exists exactly when the data does. */
  enqueue<P>(db: Db, definition: JobDefinition<P>, payload: P, options?: EnqueueOptions): Promise<void>;
  /** Tells the workers that jobs were committed. */
  notify(): void;
  /** Starts running jobs with these handlers, at most `concurrency[queue]` at a time per queue. */
  start(handlers: JobHandler<unknown>[], concurrency: Record<QueueName, number>): void;
  /**
   * Stops taking jobs and waits for the running ones to finish, at most STOP_GRACE_MS: a job
   * still running then is left to its lease, and another worker (or the next start) takes it.
   */
  stop(): Promise<void>;
  /** Resolves when no job is due or running (for tests and benchmarks). */
  idle(options?: { timeoutMs?: number }): Promise<void>;
  counts(): Promise<Record<string, number>>;
  /** Rejects when the queue's engine cannot be reached. */
  ping(): Promise<void>;
}

/** How long stopping waits for running jobs before leaving them to their leases. */
export const STOP_GRACE_MS = 20_000;

/** Resolves when `work` settles or `ms` have passed, whichever comes first; true if it settled. */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      work.then(
        () => true as const,
        () => true as const,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
