// Events written by two instances at once for one account: a reader that keeps asking for
// "the events after the last id I saw" (what a resuming socket does) never skips one, and an
// agent socket's stream on one instance receives those committed on the other, each once.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../src/shared/events.js';
import { createAccount } from '../../src/server/domain/agents.js';
import { accountTopic, transact } from '../../src/server/domain/transaction.js';
import { freshSchema, scaleEngines, scaleRuntime, scaleSkipReason } from './scale-support.js';

const engines = scaleEngines();
const WRITERS = 6;
const PER_WRITER = 25;

describe.skipIf(!engines)(
  `events across instances (${engines ? 'PostgreSQL + Redis' : scaleSkipReason})`,
  () => {
    it('become visible in id order per account, and reach listeners on the other instance once', async () => {
      const ready = engines as NonNullable<typeof engines>;
      const { schema, drop } = await freshSchema(ready.databaseUrl);
      const prefix = `test-${randomBytes(6).toString('hex')}:`;
      const a = await scaleRuntime(ready, schema, prefix);
      const b = await scaleRuntime(ready, schema, prefix);
      try {
        const accountId = await createAccount(a.deps.db, 'Order', Date.now());
        const heard: number[] = [];
        const stop = await b.deps.pubsub.subscribe(accountTopic(accountId), (message) => {
          heard.push((JSON.parse(message) as { id: number }).id);
        });

        let writing = true;
        const read: number[] = [];
        const reader = (async () => {
          let since = 0;
          for (;;) {
            const done = !writing;
            const rows = await b.deps.db
              .selectFrom('events')
              .select('id')
              .where('accountId', '=', accountId)
              .where('id', '>', since)
              .orderBy('id')
              .execute();
            for (const row of rows) read.push(Number(row.id));
            since = rows.length ? Number(rows[rows.length - 1]?.id) : since;
            if (done) return;
          }
        })();

        const payload = { ticket: { id: 'x' } } as unknown as EventPayloads['ticket.updated'];
        await Promise.all(
          Array.from({ length: WRITERS }, (_, writer) =>
            (async () => {
              const runtime = writer % 2 === 0 ? a : b;
              for (let i = 0; i < PER_WRITER; i++)
                await transact(runtime.deps, async (_tx, effects) => {
                  await effects.emit(accountId, 'ticket.updated', payload);
                });
            })(),
          ),
        );
        writing = false;
        await reader;

        const all = (
          await a.deps.db
            .selectFrom('events')
            .select('id')
            .where('accountId', '=', accountId)
            .orderBy('id')
            .execute()
        ).map((row) => Number(row.id));
        expect(all).toHaveLength(WRITERS * PER_WRITER);
        expect(read).toEqual(all);
        for (let i = 0; i < 100 && heard.length < all.length; i++)
          await new Promise((resolve) => setTimeout(resolve, 50));
        expect([...heard].sort((x, y) => x - y)).toEqual(all);
        await stop();
      } finally {
        await a.close();
        await b.close();
        await drop();
      }
    });
  },
);
