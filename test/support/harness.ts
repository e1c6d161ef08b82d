// A whole server per test file, on a real database (SQLite by default; PostgreSQL when
// TEST_DATABASE_URL is set, in a schema of its own) and a throwaway data directory. Media go
// to DATA_DIR/blobs, or with TEST_S3=1 to a bucket of the harness's own on the run's s3rver.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { inject } from 'vitest';
import type { ChannelAdapter } from '../../src/server/channels/adapter.js';
import { createRuntime, startJobs, type Runtime } from '../../src/server/compose.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import type { Deps } from '../../src/server/context.js';
import { createAccount, createAgent } from '../../src/server/domain/agents.js';
import { buildApp } from '../../src/server/http/build-app.js';
import type { App } from '../../src/server/http/types.js';
import type { DatabaseTarget } from '../../src/server/infra/db/connect.js';
import { newToken } from '../../src/server/infra/ids.js';
import type { OcrPool } from '../../src/server/media/redaction/ocr-pool.js';
import { clearJobPrefix, uniqueJobPrefix } from './redis.js';
import { s3Endpoint } from './s3-server.js';

export interface Harness {
  app: App;
  deps: Deps;
  url: string;
  dataDir: string;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
  /** Restarts the process's parts on the same database and data directory. */
  restart(): Promise<void>;
  /** The blob keys (SHA-256) stored now, on disk or in the harness's bucket. */
  storedBlobKeys(): Promise<string[]>;
  /** Staged bytes kept outside DATA_DIR/tmp (S3 `staging/` objects); none on the local disk. */
  stagedObjectKeys(): Promise<string[]>;
}

export interface HarnessOptions {
  adapters?: ChannelAdapter[];
  jobs?: boolean;
  env?: Record<string, string>;
  extraRoutes?: Array<(app: App, deps: Deps) => void>;
  /** Serve a built web root (e.g. dist/web) like production does. */
  webRoot?: string;
  /** Replaces the text-recognition pool (e.g. with a scripted one). */
  ocrPool?: () => OcrPool;
}

export const testDatabaseUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;
/** Redis for jobs (BullMQ), the pub/sub and the rate limits when set; each harness keys its own prefixes. */
export const testRedisUrl = (): string | undefined => process.env.TEST_REDIS_URL || undefined;
export const testOnS3 = (): boolean => process.env.TEST_S3 === '1';

/** The S3_* variables of a fresh bucket when TEST_S3=1, else nothing (local disk). */
async function blobEnvironment(): Promise<{ env: Record<string, string>; bucket: string | null }> {
  if (!testOnS3()) return { env: {}, bucket: null };
  const endpoint = s3Endpoint(inject('s3Endpoint'));
  const bucket = await endpoint.createBucket();
  return { env: endpoint.env(bucket), bucket };
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) found.push(...(await filesUnder(join(dir, entry.name))));
    else found.push(entry.name);
  }
  return found;
}

export async function databaseTarget(
  dataDir: string,
): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  const url = testDatabaseUrl();
  if (!url)
    return {
      target: { kind: 'sqlite', file: join(dataDir, 'switchboard.sqlite') },
      drop: async () => undefined,
    };
  // Within a run the schemas are dropped together at its end (test/support/postgres-global-setup.ts).
  const run = process.env.SWITCHBOARD_TEST_RUN;
  const schema = `t_${run ? `${run}_` : ''}${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    target: { kind: 'postgres', url, searchPath: schema, poolSize: 5 },
    async drop() {
      if (run) return;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/**
 * Closes the server, then, if it is still waiting after a moment, drops the connections left:
 * a keep-alive connection whose request finished while the server was closing is not idle at
 * that instant, and would otherwise keep the close waiting for its keep-alive timeout.
 */
async function closeApp(app: App): Promise<void> {
  const closing = app.close();
  const timer = setTimeout(() => app.server.closeAllConnections(), 2_000);
  try {
    await closing;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a teardown step, and says which one it was when it takes long (for a timed-out hook). */
async function slowStepSaysSo(step: string, work: () => Promise<void>): Promise<void> {
  const timer = setTimeout(() => process.stderr.write(`[harness] still ${step} after 15 s\n`), 15_000);
  try {
    await work();
  } finally {
    clearTimeout(timer);
  }
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-test-'));
  const database = await databaseTarget(dataDir);
  const redisUrl = testRedisUrl();
  const blobs = await blobEnvironment();
  const config: Config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...blobs.env,
    ...(options.env ?? {}),
  });
  const redisPrefix = `test-${randomBytes(6).toString('hex')}:`;
  const jobPrefix = uniqueJobPrefix();
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const secrets = { sessionKey: newToken(), urlSigningKey: newToken() };

  let runtime: Runtime;
  let app: App;
  const harness = {} as Harness;

  async function start(): Promise<void> {
    runtime = await createRuntime(config, {
      log,
      adapters: options.adapters ?? [],
      secrets,
      database: database.target,
      ...(options.ocrPool ? { ocrPool: options.ocrPool } : {}),
      redisPrefix,
      jobPrefix,
    });
    app = await buildApp(runtime.deps, {
      extraRoutes: options.extraRoutes ?? [],
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    config.publicUrl = `http://127.0.0.1:${port}`;
    config.port = port;
    if (options.jobs !== false) startJobs(runtime.deps);
    Object.assign(harness, { app, deps: runtime.deps, url: config.publicUrl });
  }

  await start();
  Object.assign(harness, {
    dataDir,
    dialect: database.target.kind,
    async close() {
      await slowStepSaysSo('closing the HTTP server', () => closeApp(app));
      await slowStepSaysSo('closing the runtime', () => runtime.close());
      await database.drop();
      if (config.redis) await clearJobPrefix(jobPrefix, config.redis.url);
      await rm(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await closeApp(app);
      await runtime.close();
      await start();
    },
    async storedBlobKeys() {
      if (!blobs.bucket) return filesUnder(join(dataDir, 'blobs'));
      const keys = await s3Endpoint(inject('s3Endpoint')).listKeys(blobs.bucket, 'blobs/');
      return keys.map((key) => key.slice(key.lastIndexOf('/') + 1));
    },
    async stagedObjectKeys() {
      if (!blobs.bucket) return [];
      return s3Endpoint(inject('s3Endpoint')).listKeys(blobs.bucket, 'staging/');
    },
  });
  return harness;
}

export interface TestAccount {
  accountId: string;
  admin: { id: string; email: string; password: string };
}

let accounts = 0;

export async function buildAccount(harness: Harness, name = 'Acme'): Promise<TestAccount> {
  accounts += 1;
  const accountId = await createAccount(harness.deps.db, `${name} ${accounts}`, Date.now());
  const email = `admin${accounts}-${randomBytes(3).toString('hex')}@${name.toLowerCase()}.test`;
  const password = 'correct horse battery';
  const admin = await createAgent(harness.deps, accountId, {
    email,
    name: `${name} Admin`,
    role: 'admin',
    password,
  });
  return { accountId, admin: { id: admin.id, email, password } };
}

export async function buildAgent(harness: Harness, account: TestAccount, role: 'admin' | 'agent' = 'agent') {
  const email = `agent-${randomBytes(4).toString('hex')}@example.test`;
  const password = 'another long password';
  const agent = await createAgent(harness.deps, account.accountId, {
    email,
    name: `Agent ${email.slice(6, 10)}`,
    role,
    password,
  });
  return { ...agent, password };
}
