import { mkdir, utimes, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAFT_RETENTION_MS, EVENT_RETENTION_MS, prune } from '../../src/server/domain/maintenance.js';
import type { Attachment } from '../../src/shared/api-schemas.js';
import { signIn } from '../support/client.js';
import { jpeg } from '../support/images.js';
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

    expect(await prune(h.deps)).toEqual({ events: 1, jobs: 1, staging: 1, drafts: 0 });
    expect(await h.deps.db.selectFrom('events').select('createdAt').execute()).toEqual([{ createdAt: now }]);
    expect((await h.deps.db.selectFrom('jobs').select('state').execute()).map((j) => j.state).sort()).toEqual(
      ['done', 'queued'],
    );
    expect(await readdir(tmp)).toEqual(['stage-new']);
  });
});

describe('uploads never sent', () => {
  it('are discarded after a day, their bytes released; recent drafts stay', async () => {
    const account = await buildAccount(h);
    const agent = await signIn(h, account.admin.email, account.admin.password);
    const upload = async (name: string, bytes: Buffer) =>
      (await agent.upload<{ attachments: Attachment[] }>([{ name, bytes, type: 'image/jpeg' }])).body
        .attachments[0] as Attachment;
    const stale = await upload('stale.jpg', await jpeg(40, 30));
    const fresh = await upload('fresh.jpg', await jpeg(50, 30));
    await h.deps.db
      .updateTable('attachments')
      .set({ createdAt: Date.now() - DRAFT_RETENTION_MS - 1000 })
      .where('id', '=', stale.id)
      .execute();
    const staleKey = (
      await h.deps.db
        .selectFrom('attachments')
        .select('blobKey')
        .where('id', '=', stale.id)
        .executeTakeFirstOrThrow()
    ).blobKey as string;

    expect((await prune(h.deps)).drafts).toBe(1);
    expect((await agent.request('GET', `/api/attachments/${stale.id}/content`)).status).toBe(404);
    expect((await agent.request('GET', `/api/attachments/${fresh.id}/content`)).status).toBe(200);
    expect(await h.deps.db.selectFrom('blobs').select('key').where('key', '=', staleKey).execute()).toEqual(
      [],
    );
    const deletes = await h.deps.db
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', 'blobs.delete')
      .execute();
    expect(deletes.map((job) => JSON.parse(job.payload) as unknown)).toContainEqual({ key: staleKey });
  });
});

describe('job declarations', () => {
  it('refuses to start workers when a declared job has no handler', async () => {
    const { defineJob } = await import('../../src/server/infra/queue/job.js');
    const { jobHandlers } = await import('../../src/server/compose.js');
    const { z } = await import('zod');
    expect(() => jobHandlers(h.deps)).not.toThrow();
    defineJob({ name: 'orphan.job', queue: 'default', schema: z.object({}) });
    expect(() => jobHandlers(h.deps)).toThrow(/No handler for job\(s\): orphan\.job/);
  });
});
