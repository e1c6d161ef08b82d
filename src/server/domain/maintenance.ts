// Housekeeping: the event log keeps a week (clients further behind reload), finished jobs a
// day, and staging files left by a crash are removed.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Deps } from '../context.js';
import { defineJob } from '../infra/queue/job.js';
import { discardDraft } from './redaction.js';

export const EVENT_RETENTION_MS = 7 * 24 * 3600_000;
export const JOB_RETENTION_MS = 24 * 3600_000;
const STAGING_RETENTION_MS = 24 * 3600_000;
/** Uploads never sent (a closed tab, a removed chip) are discarded after this. */
export const DRAFT_RETENTION_MS = 24 * 3600_000;
const DRAFTS_PER_RUN = 500;

export const pruneJob = defineJob({
  name: 'maintenance.prune',
  queue: 'default',
  schema: z.object({}),
  dedupeKey: () => 'prune',
  maxAttempts: 2,
});

export async function prune(
  deps: Deps,
): Promise<{ events: number; jobs: number; staging: number; drafts: number }> {
  const now = deps.now();
  const events = await deps.db
    .deleteFrom('events')
    .where('createdAt', '<', now - EVENT_RETENTION_MS)
    .executeTakeFirst();
  const jobs = await deps.db
    .deleteFrom('jobs')
    .where('state', 'in', ['done', 'failed'])
    .where('updatedAt', '<', now - JOB_RETENTION_MS)
    .executeTakeFirst();
  let staging = 0;
  const tmp = join(deps.config.dataDir, 'tmp');
  for (const name of await readdir(tmp).catch(() => [] as string[])) {
    const path = join(tmp, name);
    const info = await stat(path).catch(() => null);
    if (info && now - info.mtimeMs > STAGING_RETENTION_MS) {
      await rm(path, { force: true, recursive: true });
      staging += 1;
    }
  }
  // Object storage keeps its own staging area (S3: `staging/`); the local store has none.
  if (deps.blobs.pruneStaging) staging += await deps.blobs.pruneStaging(now - STAGING_RETENTION_MS);
  // Housekeeping spans accounts: each draft is then discarded within its own account.
  const stale = await deps.db
    .selectFrom('attachments')
    .select(['accountId', 'id'])
    .where('messageId', 'is', null)
    .where('createdAt', '<', now - DRAFT_RETENTION_MS)
    .orderBy('createdAt')
    .limit(DRAFTS_PER_RUN)
    .execute();
  let drafts = 0;
  for (const draft of stale) if (await discardDraft(deps, draft.accountId, draft.id)) drafts += 1;
  // Keeps SQLite's planner statistics current as tables grow (PostgreSQL autovacuum does this).
  if (deps.dialect === 'sqlite') await sql`pragma optimize`.execute(deps.db);
  return {
    events: Number(events.numDeletedRows),
    jobs: Number(jobs.numDeletedRows),
    staging,
    drafts,
  };
}
