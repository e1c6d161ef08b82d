// Everything a use case may touch, built once by the composition root (main.ts) and passed
// down explicitly. Nothing else holds state.
import type { Logger } from 'pino';
import type { ChannelRegistry } from './channels/registry.js';
import type { Config } from './config.js';
import type { BlobStore } from './infra/blobs/blob-store.js';
import type { Db } from './infra/db/connect.js';
import type { Dialect } from './infra/db/dialect.js';
import type { PubSub } from './infra/pubsub/pubsub.js';
import type { RedisLink } from './infra/redis/redis-connection.js';
import type { JobQueue } from './infra/queue/job.js';
import type { Secrets } from './infra/secrets.js';
import type { SharedOcrPool } from './media/redaction/shared-ocr-pool.js';
import type { SimulatorHost } from './simulators/simulator-host.js';

export interface Deps {
  config: Config;
  db: Db;
  dialect: Dialect;
  blobs: BlobStore;
  queue: JobQueue;
  pubsub: PubSub;
  /** Shared counters (rate limits) live here when Redis is configured; null keeps them in process. */
  redis: RedisLink | null;
  secrets: Secrets;
  channels: ChannelRegistry;
  /** Fake providers running inside the app for channels in simulator mode. */
  simulators: SimulatorHost;
  /** Text recognition for personal-data scans, one bounded pool per process, started on first use. */
  ocr: SharedOcrPool;
  log: Logger;
  now(): number;
}
