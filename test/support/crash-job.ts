// A long media job shared by the crash test and the worker process it kills.
import { z } from 'zod';
import { defineJob } from '../../src/server/infra/queue/job.js';

export const crashJob = defineJob({
  name: 'test.crash-media',
  queue: 'media',
  schema: z.object({ file: z.string() }),
  maxAttempts: 3,
  backoffMs: () => 100,
  // A worker that stops renewing its lock loses the job after about this long.
  leaseMs: 1_000,
});

export const crashLimits = { media: 1, fetch: 1, send: 1, default: 1 };
