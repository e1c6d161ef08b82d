import { mkdir, utimes, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_RETENTION_MS, prune } from '../../src/server/domain/maintenance.js';
import { newId } from '../../src/server/infra/ids.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ jobs: false });
});
afterAll(() => h.close());

describe('housekeeping', () => {
  it('prunes old events, finished jobs and stale staging files, and keeps the rest', async () => {
    const { accountId } = await buildAccount(h);
    const now = Date.now();
    const old = now - EVENT_RETENTION_MS - 1000;
    await h.deps.db
      .insertInto('events')
      .values([
        { accountId, type: 'ticket.updated', ticketId: null, payload: '{}', createdAt: old },
        { accountId, type: 'ticket.updated', ticketId: null, payload: '{}', createdAt: now },
      ])
      .execute();
    const job = (state: 'done' | 'queued', updatedAt: number) => ({
      id: newId(),
      name: 'x',
      queue: 'default',
      payload: '{}',
      state,
      attempts: 1,
      maxAttempts: 1,
      runAt: now + 3600_000,
      lockedUntil: null,
      lockedBy: null,
      dedupeKey: null,
      lastError: null,
      createdAt: updatedAt,
      updatedAt,
    });
    await h.deps.db
      .insertInto('jobs')
      .values([job('done', old), job('queued', old), job('done', now)])
      .execute();
    const tmp = join(h.dataDir, 'tmp');
    await mkdir(tmp, { recursive: true });
    await writeFile(join(tmp, 'stage-old'), 'x');
    await utimes(join(tmp, 'stage-old'), new Date(old), new Date(old));
    await writeFile(join(tmp, 'stage-new'), 'y');

    expect(await prune(h.deps)).toEqual({ events: 1, jobs: 1, staging: 1 });
    expect(await h.deps.db.selectFrom('events').select('createdAt').execute()).toEqual([{ createdAt: now }]);
    expect((await h.deps.db.selectFrom('jobs').select('state').execute()).map((j) => j.state).sort()).toEqual(
      ['done', 'queued'],
    );
    expect(await readdir(tmp)).toEqual(['stage-new']);
  });
});
