// The scale profile's engines for tests: PostgreSQL (TEST_DATABASE_URL) and Redis
// (TEST_REDIS_URL). Tests that need both skip, saying so, when either is missing.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { createRuntime, type Runtime } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/config.js';
import { newToken } from '../../src/server/infra/ids.js';

export const scaleEngines = (): { databaseUrl: string; redisUrl: string } | null => {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  return databaseUrl && redisUrl ? { databaseUrl, redisUrl } : null;
};

export const scaleSkipReason = 'needs TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL (Redis)';

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty PostgreSQL schema; drop() removes it with everything in it. */
export async function freshSchema(url: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `s_${randomBytes(6).toString('hex')}`;
  await admin(url, (client) => client.query(`create schema ${schema}`));
  return {
    schema,
    drop: () =>
      admin(url, (client) => client.query(`drop schema if exists ${schema} cascade`)).then(() => undefined),
  };
}

/** A fresh, empty PostgreSQL database (for processes configured by DATABASE_URL alone). */
export async function freshDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sb_${randomBytes(6).toString('hex')}`;
  await admin(url, (client) => client.query(`create database ${name}`));
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    url: own.toString(),
    drop: () =>
      admin(url, (client) => client.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}

export async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  return admin(url, work);
}

/** One "instance": a runtime on a shared schema and Redis prefix, as a separate process would have. */
export async function scaleRuntime(
  engines: { databaseUrl: string; redisUrl: string },
  schema: string,
  redisPrefix: string,
  poolSize = 4,
): Promise<Runtime & { dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-scale-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', REDIS_URL: engines.redisUrl });
  const runtime = await createRuntime(config, {
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    secrets: { sessionKey: newToken(), urlSigningKey: newToken() },
    database: { kind: 'postgres', url: engines.databaseUrl, searchPath: schema, poolSize },
    redisPrefix,
  });
  return {
    ...runtime,
    dataDir,
    async close() {
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
