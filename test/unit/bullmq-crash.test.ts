// A worker process dies in the middle of a media job; another worker finishes the job, and
// the job's effect happens once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/server/infra/db/connect.js';
import { migrateToLatest } from '../../src/server/infra/db/migrate.js';
import { createBullmqQueue } from '../../src/server/infra/queue/bullmq-queue.js';
import { handle, type JobQueue } from '../../src/server/infra/queue/job.js';
import { connectRedis } from '../../src/server/infra/queue/redis-connection.js';
import { crashJob, crashLimits } from '../support/crash-job.js';
import { databaseTarget } from '../support/harness.js';
import { clearJobPrefix, redisTestUrl, requireRedis, uniqueJobPrefix } from '../support/redis.js';

const withRedis = await requireRedis('worker crash test on Redis');
const cleanup: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function startChild(env: Record<string, string>): { child: ChildProcess; started: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/job-worker-child.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /started (\S+)\n/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) =>
      reject(new Error(`The worker process exited (${code}) before taking the job.`)),
    );
  });
  return { child, started };
}

it.skipIf(!withRedis)(
  'gives a job whose worker was killed to another worker, and its effect happens once',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'queue-crash-'));
    const database = await databaseTarget(dir);
    const db: DatabaseHandle = openDatabase(database.target);
    const prefix = uniqueJobPrefix();
    cleanup.push(async () => {
      await db.close();
      await database.drop();
      await clearJobPrefix(prefix);
      await rm(dir, { recursive: true, force: true });
    });
    await migrateToLatest(db.db as unknown as Kysely<unknown>, db.dialect, db.schema);
    await sql`create table crash_effects (job_id text primary key)`.execute(db.db);

    // The first worker takes the job; the job row was committed before any worker ran.
    const scratch = createBullmqQueue({
      db: db.db,
      dialect: db.dialect,
      log: pino({ level: 'silent' }),
      redis: await connectRedis(redisTestUrl()),
      prefix,
    });
    await scratch.enqueue(db.db, crashJob, { file: 'big.mov' });
    await scratch.stop();
    const { child, started } = startChild({
      CHILD_DATABASE: JSON.stringify(database.target),
      CHILD_REDIS_URL: redisTestUrl(),
      CHILD_PREFIX: prefix,
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    cleanup.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const jobId = await started;
    expect(await db.db.selectFrom('jobs').select(['state', 'attempts']).executeTakeFirst()).toEqual({
      state: 'running',
      attempts: 1,
    });

    child.kill('SIGKILL');
    await exited;

    // A second worker takes the job once the dead worker's lock has lapsed.
    let runs = 0;
    const queue: JobQueue = createBullmqQueue({
      db: db.db,
      dialect: db.dialect,
      log: pino({ level: 'silent' }),
      redis: await connectRedis(redisTestUrl()),
      prefix,
    });
    cleanup.push(() => queue.stop());
    queue.start(
      [
        handle(crashJob, async (_payload, context) => {
          runs += 1;
          await sql`insert into crash_effects (job_id) values (${context.jobId})`.execute(db.db);
        }),
      ],
      crashLimits,
    );
    await queue.idle({ timeoutMs: 25_000 });

    expect(runs).toBe(1);
    const effects = await sql<{ jobId: string }>`select job_id from crash_effects`.execute(db.db);
    expect(effects.rows).toEqual([{ jobId }]);
    expect(await db.db.selectFrom('jobs').select(['id', 'state', 'attempts']).execute()).toEqual([
      { id: jobId, state: 'done', attempts: 2 },
    ]);
  },
);
