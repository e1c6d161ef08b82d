// The composition root's building blocks: turn a configuration into live dependencies, and
import type { Kysely } from 'kysely';
// register the job handlers. Profiles differ only in which adapters are chosen here.
import { cpus } from 'node:os';
import pino, { type Logger } from 'pino';
import type { ChannelAdapter } from './channels/adapter.js';
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
import { createMemoryPubSub } from './infra/pubsub/pubsub.js';
import { createDbQueue, releaseInterruptedJobs } from './infra/queue/db-queue.js';
import { declaredJobs, handle, type JobHandler, type QueueName } from './infra/queue/job.js';
import { loadOrCreateSecrets, type Secrets } from './infra/secrets.js';
import { deriveHandler, previewHandler } from './media/derive.js';
import { fetchMediaHandler } from './media/fetch-media.js';
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
  const now = options.now ?? Date.now;
  const deps: Deps = {
    config,
    db: database.db,
    dialect: database.dialect,
    blobs,
    queue: createDbQueue({
      db: database.db,
      dialect: database.dialect,
      log: log.child({ component: 'jobs' }),
      now,
    }),
    pubsub: createMemoryPubSub(),
    secrets: options.secrets ?? loadOrCreateSecrets(config.dataDir).secrets,
    channels: createChannelRegistry(options.adapters ?? []),
    simulators: createSimulatorHost({
      enabled: config.simulators,
      log: log.child({ component: 'simulators' }),
      publicUrl: () => config.publicUrl,
    }),
    log,
    now,
  };
  return {
    deps,
    async close() {
      await deps.queue.stop();
      await deps.simulators.close();
      await deps.pubsub.close();
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
    sendMessageHandler(deps),
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
