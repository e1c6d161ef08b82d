// With TEST_DATABASE_URL, every test server gets a schema of its own. Dropping a schema while
// other test files run their migrations races with PostgreSQL's catalog lookups (the migrator
// lists the tables of every schema), so schemas of this run are named after it and dropped
// together once every file has finished.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const RUN_VARIABLE = 'SWITCHBOARD_TEST_RUN';

export default function setup(): (() => Promise<void>) | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return undefined;
  const run = randomBytes(4).toString('hex');
  process.env[RUN_VARIABLE] = run;
  return async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        `select nspname as name from pg_namespace where nspname like $1`,
        [`t\\_${run}\\_%`],
      );
      for (const { name } of rows) await client.query(`drop schema if exists "${name}" cascade`);
    } finally {
      await client.end();
    }
  };
}
