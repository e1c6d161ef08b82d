import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Keys every instance must share (the one that signs media links), kept in the database so
// that web instances and workers on different machines agree without copying files around.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('instance_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
