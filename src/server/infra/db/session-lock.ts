// Serialises work that must run once across every instance sharing a PostgreSQL database
// (migrations, the first start's account): a session advisory lock held on one connection
// of the pool while the work runs on the others. SQLite has one process by design; there it
// simply runs the work.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect.js';

export async function withSessionLock<T>(
  db: Kysely<unknown>,
  dialect: Dialect,
  key: string,
  work: () => Promise<T>,
): Promise<T> {
  if (dialect !== 'postgres') return work();
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(connection);
    }
  });
}
