// The composition root's building blocks: turn a configuration into live dependencies, and
import type { Kysely } from 'kysely';
// register the job handlers. Profiles differ only in which adapters are chosen here.
import { cpus } from 'node:os';
import pino, { type Logger } from 'pino';
import type { ChannelAdapter } from './channels/adapter.js';
import { acknowledgeHandler } from './channels/email/acknowledge.js';
import { createChannelRegistry } from './channels/registry.js';
import { sendMessageHandler } from './channels/send-message.js';
import type { Config } from './config.js';
import type { Deps } from './context.js';
import { deleteBlobJob, deleteUnreferencedBlob } from './domain/blobs.js';
import { deferredEventHandler } from './domain/deferred-events.js';
import { prune, pruneJob } from './domain/maintenance.js';
import type { BlobStore } from './infra/blobs/blob-store.js';
import { createLocalBlobStore } from './infra/blobs/local-blob-store.js';
import { createS3BlobStore } from './infra/blobs/s3-blob-store.js';
import { openDatabase, type DatabaseTarget } from './infra/db/connect.js';
import { migrateToLatest } from './infra/db/migrate.js';
import { openFanOut } from './infra/pubsub/open-pubsub.js';
import { releaseInterruptedJobs } from './infra/queue/db-queue.js';
import { declaredJobs, handle, type JobHandler, type JobQueue, type QueueName } from './infra/queue/job.js';
import { openJobQueue } from './infra/queue/open-job-queue.js';
import { loadOrCreateSecrets, type Secrets } from './infra/secrets.js';
import { deriveHandler, previewHandler } from './media/derive.js';
import { fetchMediaHandler } from './media/fetch-media.js';
import { piiScanHandler } from './media/pii-scan-job.js';
import type { OcrPool } from './media/redaction/ocr-pool.js';
import { sharedOcrPool } from './media/redaction/shared-ocr-pool.js';
import { orderedEventFeed } from './realtime/ordered-feed.js';
import { createSimulatorHost } from './simulators/simulator-host.js';

export interface Runtime {
  deps: Deps;
  close(): Promise<void>;
}

export function createLogger(level: string, pretty = false): Logger {
  return pino({
    level,
    base: { service: 'switchboard' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
      remove: true,
    },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss' } } }
      : {}),
  });
}

export interface RuntimeOptions {
  log?: Logger;
  adapters?: ChannelAdapter[];
  secrets?: Secrets;
  database?: DatabaseTarget;
  now?: () => number;
  /** Makes the text-recognition pool (default: a bounded tesseract.js pool sized to the cores). */
  ocrPool?: () => OcrPool;
  /** Prefix of every Redis key and channel (tests sharing one Redis each take their own). */
  redisPrefix?: string;
  /** Redis key prefix of the job queues (tests use one per server). */
  jobPrefix?: string;
}

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? createLogger(config.logLevel);
  const database = openDatabase(options.database ?? config.database);
  try {
    await database.ping();
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new Error(
      `The database (${database.dialect}) is not reachable: ${(error as Error).message}. Check DATABASE_URL.`,
      {
        cause: error,
      },
    );
  }
  const applied = await migrateToLatest(
    database.db as unknown as Kysely<unknown>,
    database.dialect,
    database.schema,
  );
  if (applied.length) log.info({ migrations: applied }, 'database migrated');
  if (database.dialect === 'sqlite') {
    const released = await releaseInterruptedJobs(database.db);
    if (released) log.info({ jobs: released }, 'jobs interrupted by the last stop were queued again');
  }
  const blobs = await openBlobStore(config).catch(async (error: unknown) => {
    await database.close().catch(() => undefined);
    throw error;
  });
  const fanOut = await openFanOut(config.redis, log, options.redisPrefix).catch(async (error: unknown) => {
    blobs.close?.();
    await database.close().catch(() => undefined);
    throw error;
  });
  const now = options.now ?? Date.now;
  let queue: JobQueue;
  try {
    queue = await openJobQueue({
      redis: config.redis,
      db: database.db,
      dialect: database.dialect,
      log: log.child({ component: 'jobs' }),
      now,
      ...(options.jobPrefix ? { prefix: options.jobPrefix } : {}),
    });
  } catch (error) {
    blobs.close?.();
    await fanOut.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
  const deps: Deps = {
    config,
    db: database.db,
    dialect: database.dialect,
    blobs,
    queue,
    pubsub: orderedEventFeed(fanOut.pubsub, database.db, log.child({ component: 'realtime' })),
    redis: fanOut.redis,
    secrets: options.secrets ?? (await loadOrCreateSecrets(database.db, config.dataDir, now)).secrets,
    channels: createChannelRegistry(options.adapters ?? []),
    simulators: createSimulatorHost({
      enabled: config.simulators,
      log: log.child({ component: 'simulators' }),
      publicUrl: () => config.publicUrl,
    }),
    ocr: sharedOcrPool(options.ocrPool),
    log,
    now,
  };
  return {
    deps,
    async close() {
      await deps.queue.stop();
      await deps.ocr.close();
      await deps.simulators.close();
      await deps.pubsub.close();
      await fanOut.close();
      deps.blobs.close?.();
      await database.close();
    },
  };
}

/** The blob store of the profile: S3 when S3_BUCKET is set (and reachable), else DATA_DIR/blobs. */
async function openBlobStore(config: Config): Promise<BlobStore> {
  if (!config.s3) return createLocalBlobStore(config.dataDir);
  const store = createS3BlobStore({ config: config.s3, dataDir: config.dataDir });
  try {
    await store.ping();
  } catch (error) {
    store.close?.();
    throw error;
  }
  return store;
}

export function jobHandlers(deps: Deps): JobHandler<unknown>[] {
  const handlers = [
    deriveHandler(deps),
    previewHandler(deps),
    fetchMediaHandler(deps),
    piiScanHandler(deps),
    sendMessageHandler(deps),
    acknowledgeHandler(deps),
    handle(deleteBlobJob, async ({ key }) => {
      await deleteUnreferencedBlob(deps, key);
    }),
    deferredEventHandler(deps),
    handle(pruneJob, async (_payload, context) => {
      context.log.info(await prune(deps), 'pruned');
    }),
  ];
  // Start-up fails when a job declared by any loaded module has no handler.
  const missing = declaredJobs().filter(
    (job) => !handlers.some((handler) => handler.definition.name === job.name),
  );
  if (missing.length) throw new Error(`No handler for job(s): ${missing.map((job) => job.name).join(', ')}.`);
  return handlers;
}

export function queueConcurrency(config: Config): Record<QueueName, number> {
  const cores = Math.max(1, Math.min(config.jobConcurrency, cpus().length || 1));
  return { media: cores, fetch: 8, send: 8, default: 2 };
}

const PRUNE_EVERY_MS = 3600_000;

/** Starts the workers, and the hourly housekeeping; returns a function that stops the timer. */
export function startJobs(deps: Deps): () => void {
  deps.queue.start(jobHandlers(deps), queueConcurrency(deps.config));
  const schedule = () =>
    deps.queue
      .enqueue(deps.db, pruneJob, {}, { delayMs: 60_000 })
      .then(() => deps.queue.notify())
      .catch((error: unknown) => deps.log.warn({ err: error }, 'could not schedule housekeeping'));
  void schedule();
  const timer = setInterval(() => void schedule(), PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
