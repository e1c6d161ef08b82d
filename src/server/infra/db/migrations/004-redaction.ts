import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Redaction and media privacy. `pii_scans` keeps the result of looking for personal data in
// an image, per account and stored blob (a blob never changes, so neither does its scan), so
// every instance and every restart answers a repeated scan from here. `audit_log` records
// what admins did to media already in a ticket (deleted, redacted), and by whom.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const time = 'bigint' as const;
  await db.schema
    .createTable('pii_scans')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('findings', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('words', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('pii_scans_pkey', ['account_id', 'blob_key'])
    .execute();
  await db.schema.createIndex('pii_scans_blob').on('pii_scans').column('blob_key').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_account')
    .on('audit_log')
    .columns(['account_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('audit_log_subject')
    .on('audit_log')
    .columns(['account_id', 'subject_type', 'subject_id'])
    .execute();
}
