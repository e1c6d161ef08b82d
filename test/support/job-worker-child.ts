// A worker process for the crash test: it takes the long media job, says so on standard
// output, and works on it until it is killed.
import pino from 'pino';
import { openDatabase, type DatabaseTarget } from '../../src/server/infra/db/connect.js';
import { createBullmqQueue } from '../../src/server/infra/queue/bullmq-queue.js';
import { handle } from '../../src/server/infra/queue/job.js';
import { connectRedis } from '../../src/server/infra/queue/redis-connection.js';
import { crashJob, crashLimits } from './crash-job.js';

const target = JSON.parse(process.env.CHILD_DATABASE ?? '') as DatabaseTarget;
const database = openDatabase(target);
const redis = await connectRedis(process.env.CHILD_REDIS_URL ?? '');
const queue = createBullmqQueue({
  db: database.db,
  dialect: database.dialect,
  log: pino({ level: 'silent' }),
  redis,
  prefix: process.env.CHILD_PREFIX ?? '',
});
queue.start(
  [
    handle(crashJob, async (_payload, context) => {
      process.stdout.write(`started ${context.jobId}\n`);
      await new Promise(() => undefined);
    }),
  ],
  crashLimits,
);
