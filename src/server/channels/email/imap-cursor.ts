// The IMAP import position of a channel: the mailbox's UIDVALIDITY and the last UID stored.
// It moves one message at a time, after that message is stored, so a crash or a dropped
// connection repeats at most the message in flight (which the Message-ID then dedupes).
import type { Db } from '../../infra/db/connect.js';

export interface ImapCursor {
  mailbox: string;
  uidValidity: number;
  lastUid: number;
}

export async function loadCursor(db: Db, channelId: string): Promise<ImapCursor | null> {
  const row = await db
    .selectFrom('emailCursors')
    .select(['mailbox', 'uidValidity', 'lastUid'])
    .where('channelId', '=', channelId)
    .executeTakeFirst();
  return row
    ? { mailbox: row.mailbox, uidValidity: Number(row.uidValidity), lastUid: Number(row.lastUid) }
    : null;
}

export async function saveCursor(db: Db, channelId: string, cursor: ImapCursor, now: number): Promise<void> {
  await db
    .insertInto('emailCursors')
    .values({ channelId, ...cursor, updatedAt: now })
    .onConflict((oc) =>
      oc.column('channelId').doUpdateSet({
        mailbox: cursor.mailbox,
        uidValidity: cursor.uidValidity,
        lastUid: cursor.lastUid,
        updatedAt: now,
      }),
    )
    .execute();
}
