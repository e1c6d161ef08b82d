// The newest event of an account when a read starts. Lists send it back as a header, so a
// client that opens its socket after loading them resumes from there and misses nothing.
import type { Db } from '../infra/db/connect.js';

export const LAST_EVENT_HEADER = 'x-last-event-id';

export async function lastEventId(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('accountId', '=', accountId)
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}
