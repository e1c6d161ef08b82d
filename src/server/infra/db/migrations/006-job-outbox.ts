import { sql, type Kysely } from 'kysely';

// The jobs table doubles as the outbox of a job broker (Redis): a job row is written in the
// caller's transaction, and `relayed_at` records when a relay handed it to the broker. The
// database queue ignores the column.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('relayed_at', 'bigint').execute();
  await db.schema
    .createIndex('jobs_outbox')
    .on('jobs')
    .column('created_at')
    .where(sql.ref('relayed_at'), 'is', null)
    .execute();
}
