import type { Kysely } from 'kysely';

// E-mail ingress state: for each channel that reads a mailbox over IMAP, the mailbox's
// UIDVALIDITY and the last UID imported, advanced one message at a time, so a restart or a
// dropped connection neither skips nor repeats a message.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('email_cursors')
    .addColumn('channel_id', 'text', (c) => c.primaryKey().references('channels.id'))
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('uid_validity', 'bigint', (c) => c.notNull())
    .addColumn('last_uid', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
