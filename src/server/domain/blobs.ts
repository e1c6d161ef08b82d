// Reference counts for content-addressed blobs. The last release deletes the row; the bytes
// go in a job that checks again that nothing took the key back in the meantime.
import { z } from 'zod';
import type { Deps } from '../context.js';
import type { Db } from '../infra/db/connect.js';
import { defineJob } from '../infra/queue/job.js';
import type { Effects } from './transaction.js';

export const deleteBlobJob = defineJob({
  name: 'blobs.delete',
  queue: 'default',
  schema: z.object({ key: z.string().regex(/^[0-9a-f]{64}$/) }),
  dedupeKey: (payload) => payload.key,
});

export async function retainBlob(tx: Db, key: string, size: number, now: number): Promise<void> {
  await tx
    .insertInto('blobs')
    .values({ key, size, refCount: 1, createdAt: now })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ refCount: eb('blobs.refCount', '+', 1) })))
    .execute();
}

export async function releaseBlob(tx: Db, effects: Effects, key: string): Promise<void> {
  const row = await tx
    .updateTable('blobs')
    .set((eb) => ({ refCount: eb('refCount', '-', 1) }))
    .where('key', '=', key)
    .returning('refCount')
    .executeTakeFirst();
  if (row && row.refCount <= 0) {
    await tx.deleteFrom('blobs').where('key', '=', key).where('refCount', '<=', 0).execute();
    // What was read in those bytes (personal data, per account) goes with them.
    await tx.deleteFrom('piiScans').where('blobKey', '=', key).execute();
    await effects.enqueue(deleteBlobJob, { key });
  }
}

export async function deleteUnreferencedBlob(
  deps: Pick<Deps, 'db' | 'blobs'>,
  key: string,
): Promise<boolean> {
  const referenced = await deps.db
    .selectFrom('blobs')
    .select('key')
    .where('key', '=', key)
    .executeTakeFirst();
  if (referenced) return false;
  await deps.blobs.delete(key);
  return true;
}

/**
 * After a failed transaction: drop bytes that were committed for it unless some row refers
 * to them (the same bytes may belong to another attachment).
 */
export async function discardIfUnreferenced(
  deps: Pick<Deps, 'db' | 'blobs' | 'log'>,
  key: string,
): Promise<void> {
  try {
    await deleteUnreferencedBlob(deps, key);
  } catch (error) {
    deps.log.warn({ err: error, key }, 'could not remove bytes left by a failed write');
  }
}
