// Live events reach a process's sockets in id order and without holes, whatever order the
// broker delivers their messages in and even when one never arrives.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../src/shared/events.js';
import { createAccount } from '../../src/server/domain/agents.js';
import { accountTopic, transact, type StoredEvent } from '../../src/server/domain/transaction.js';
import { createMemoryPubSub } from '../../src/server/infra/pubsub/pubsub.js';
import { orderedEventFeed } from '../../src/server/realtime/ordered-feed.js';
import { createHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const payload = { ticket: { id: 'feed' } } as unknown as EventPayloads['ticket.updated'];

describe('the ordered event feed', () => {
  it('hands on events in id order, filling holes from the log', async () => {
    const accountId = await createAccount(h.deps.db, 'Feed', Date.now());
    const broker = createMemoryPubSub();
    const feed = orderedEventFeed(broker, h.deps.db, pino({ level: 'silent' }));
    const heard: number[] = [];
    const stop = await feed.subscribe(accountTopic(accountId), (message) =>
      heard.push((JSON.parse(message) as StoredEvent).id),
    );
    const ids: number[] = [];
    for (let i = 0; i < 4; i++)
      await transact(h.deps, async (_tx, effects) => {
        await effects.emit(accountId, 'ticket.updated', payload);
      });
    const rows = await h.deps.db
      .selectFrom('events')
      .select('id')
      .where('accountId', '=', accountId)
      .orderBy('id')
      .execute();
    ids.push(...rows.map((row) => Number(row.id)));
    const message = (id: number) => JSON.stringify({ id, accountId });
    // The third arrives first, the first after it, the second never, the fourth last.
    await broker.publish(accountTopic(accountId), message(ids[2] as number));
    await broker.publish(accountTopic(accountId), message(ids[0] as number));
    await broker.publish(accountTopic(accountId), message(ids[3] as number));
    for (let i = 0; i < 100 && heard.length < 4; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toEqual(ids);
    await stop();
  });
});
