import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Webchat visitors: an anonymous browser holding a random token, of which only a hash is
// kept. The visitor id is the external id of the contact it becomes on its first message.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const time = 'bigint' as const;
  await db.schema
    .createTable('webchat_visitors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('locale', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('last_seen_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webchat_visitors_channel')
    .on('webchat_visitors')
    .columns(['channel_id', 'created_at'])
    .execute();
}
