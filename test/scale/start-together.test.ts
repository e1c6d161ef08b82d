// Several instances starting at once on one fresh PostgreSQL schema: every start succeeds,
// each migration is applied once, and the first start creates one account, not one each.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ensureAccount } from '../../src/server/bootstrap.js';
import { freshSchema, scaleEngines, scaleRuntime, scaleSkipReason, withAdmin } from './scale-support.js';

const engines = scaleEngines();

describe.skipIf(!engines)(
  `instances starting together (${engines ? 'PostgreSQL + Redis' : scaleSkipReason})`,
  () => {
    it('migrates once and creates the first account once', async () => {
      const { databaseUrl } = engines as NonNullable<typeof engines>;
      const { schema, drop } = await freshSchema(databaseUrl);
      const prefix = `test-${randomBytes(6).toString('hex')}:`;
      const starts = await Promise.allSettled(
        [1, 2, 3].map(() => scaleRuntime(engines as NonNullable<typeof engines>, schema, prefix)),
      );
      const runtimes = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
      try {
        expect(starts.map((start) => (start.status === 'rejected' ? String(start.reason) : 'ok'))).toEqual([
          'ok',
          'ok',
          'ok',
        ]);
        const applied = await withAdmin(databaseUrl, (client) =>
          client.query<{ name: string }>(`select name from ${schema}.kysely_migration order by name`),
        );
        const names = applied.rows.map((row) => row.name);
        expect(names.length).toBeGreaterThan(0);
        expect(new Set(names).size).toBe(names.length);

        const first = await Promise.all(runtimes.map((runtime) => ensureAccount(runtime.deps)));
        expect(first.filter((start) => start.created)).toHaveLength(1);
        expect(new Set(first.map((start) => start.accountId)).size).toBe(1);
        const accounts = await withAdmin(databaseUrl, (client) =>
          client.query<{ n: string }>(`select count(*) as n from ${schema}.accounts`),
        );
        expect(Number(accounts.rows[0]?.n)).toBe(1);
      } finally {
        await Promise.all(runtimes.map((runtime) => runtime.close()));
        await drop();
      }
    });
  },
);
