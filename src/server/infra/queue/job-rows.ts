// The job row every queue adapter writes inside the caller's transaction: the database queue
// runs it from the table, the Redis queue relays it to the broker after the commit.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { newId } from '../ids.js';
import type { EnqueueOptions, JobDefinition } from './job.js';

/** Inserts a queued job; returns false when a pending job with the same dedupe key exists. */
export async function insertJobRow<P>(
  db: Db,
  definition: JobDefinition<P>,
  payload: P,
  options: EnqueueOptions | undefined,
  at: number,
): Promise<boolean> {
  const parsed = definition.schema.parse(payload);
  const result = await db
    .insertInto('jobs')
    .values({
      id: newId(at),
      name: definition.name,
      queue: definition.queue,
      payload: JSON.stringify(parsed),
      state: 'queued',
      attempts: 0,
      maxAttempts: definition.maxAttempts,
      runAt: at + (options?.delayMs ?? 0),
      dedupeKey: definition.dedupeKey ? `${definition.name}:${definition.dedupeKey(parsed)}` : null,
      createdAt: at,
      updatedAt: at,
    })
    .onConflict((oc) => oc.column('dedupeKey').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Jobs by state, from the table both queues keep their jobs' state in. */
export async function countJobRows(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['state', sql<number>`count(*)`.as('n')])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
}
