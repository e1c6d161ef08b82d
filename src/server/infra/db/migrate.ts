// Runs the migrations in order. On PostgreSQL, instances starting together take turns under
// an advisory lock (Kysely's own lock table is created by the first of them, which races when
// several create it at once), so each migration is applied exactly once.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './dialect.js';
import { withSessionLock } from './session-lock.js';
import * as initial from './migrations/001-initial.js';
import * as webchat from './migrations/002-webchat.js';
import * as email from './migrations/003-email.js';
import * as redaction from './migrations/004-redaction.js';
import * as instanceSecrets from './migrations/005-instance-secrets.js';
import * as jobOutbox from './migrations/006-job-outbox.js';

type MigrationModule = { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> };

const migrations: Record<string, MigrationModule> = {
  '001-initial': initial,
  '002-webchat': webchat,
  '003-email': email,
  '004-redaction': redaction,
  '005-instance-secrets': instanceSecrets,
  '006-job-outbox': jobOutbox,
};

class CodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(migrations).map(([name, module]) => [name, { up: (db) => module.up(db, this.dialect) }]),
    );
  }
}

/**
 * `schema` names the PostgreSQL schema the migration tables live in when it is not the
 * default one (Kysely otherwise finds another schema's tables and skips creating its own).
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: Dialect,
  schema?: string,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new CodeMigrationProvider(dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await withSessionLock(db, dialect, `switchboard:migrate:${schema ?? ''}`, () =>
    migrator.migrateToLatest(),
  );
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
