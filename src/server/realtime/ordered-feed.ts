// Puts each account's live events in id order, none missing, before they reach the sockets of
// this process. Commits become visible in id order per account (the event lock), but they are
// published by whichever instance committed them, so a message for id 11 can arrive before
// the one for id 10, and a message lost with a broker connection never arrives. Each process
// therefore keeps one cursor per account it serves: a message for id N is taken as "the log
// has grown up to N", and the events after the cursor up to N are read from the log (usually
// just N itself) and handed on in order. A client resuming "after the last id it saw" then
// cannot skip one.
import type { Logger } from 'pino';
import type { EventType } from '../../shared/events.js';
import type { StoredEvent } from '../domain/transaction.js';
import type { Db } from '../infra/db/connect.js';
import type { Listener, PubSub, SubscribeOptions } from '../infra/pubsub/pubsub.js';
import { lastEventId } from './last-event-id.js';

const ACCOUNT_TOPIC = /^account:(.+)$/;
const PAGE = 500;

interface Feed {
  listeners: Set<Listener>;
  cursor: number;
  chain: Promise<void>;
  /** Settles when the feed is subscribed and its cursor set. */
  ready: Promise<void>;
  unsubscribe: (() => Promise<void>) | null;
}

export function orderedEventFeed(inner: PubSub, db: Db, log: Logger): PubSub {
  const feeds = new Map<string, Feed>();

  const readAfter = async (accountId: string, after: number, upTo: number | null): Promise<StoredEvent[]> => {
    let query = db
      .selectFrom('events')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE);
    if (upTo !== null) query = query.where('id', '<=', upTo);
    const rows = await query.execute();
    return rows.map((row) => ({
      id: Number(row.id),
      accountId: row.accountId,
      type: row.type as EventType,
      ticketId: row.ticketId,
      at: row.createdAt,
      data: JSON.parse(row.payload) as unknown,
    }));
  };

  /** Hands on every event after the cursor, up to `upTo` (or all there are). */
  const advance = async (accountId: string, feed: Feed, upTo: number | null): Promise<void> => {
    for (;;) {
      if (upTo !== null && feed.cursor >= upTo) return;
      const events = await readAfter(accountId, feed.cursor, upTo);
      for (const event of events) {
        feed.cursor = event.id;
        const message = JSON.stringify(event);
        for (const listener of [...feed.listeners]) listener(message);
      }
      if (events.length < PAGE) return;
    }
  };

  const later = (accountId: string, feed: Feed, upTo: number | null) => {
    feed.chain = feed.chain
      .then(() => advance(accountId, feed, upTo))
      .catch((error: unknown) => log.warn({ err: error, accountId }, 'could not read the event log'));
  };

  const gapHandlers = new Map<Feed, Set<() => void>>();

  return {
    kind: inner.kind,
    publish: (topic, message) => inner.publish(topic, message),
    ping: () => inner.ping(),
    async close() {
      feeds.clear();
      await inner.close();
    },
    async subscribe(topic, listener, options: SubscribeOptions = {}) {
      const accountId = ACCOUNT_TOPIC.exec(topic)?.[1];
      if (!accountId) return inner.subscribe(topic, listener, options);
      let feed = feeds.get(accountId);
      if (!feed) {
        const created: Feed = {
          listeners: new Set(),
          cursor: 0,
          chain: Promise.resolve(),
          ready: Promise.resolve(),
          unsubscribe: null,
        };
        const gaps = new Set<() => void>();
        gapHandlers.set(created, gaps);
        created.ready = (async () => {
          created.unsubscribe = await inner.subscribe(
            topic,
            (message) => {
              const { id } = JSON.parse(message) as { id: number };
              later(accountId, created, id);
            },
            {
              onGap: () => {
                later(accountId, created, null);
                for (const handler of gaps) handler();
              },
            },
          );
          // Live from here on: what is already in the log is each socket's own replay.
          created.cursor = await lastEventId(db, accountId);
        })();
        created.chain = created.ready.catch(() => undefined);
        feeds.set(accountId, created);
        feed = created;
      }
      const current = feed;
      current.listeners.add(listener);
      const onGap = options.onGap;
      if (onGap) gapHandlers.get(current)?.add(onGap);
      try {
        await current.ready;
      } catch (error) {
        feeds.delete(accountId);
        throw error;
      }
      return async () => {
        current.listeners.delete(listener);
        if (onGap) gapHandlers.get(current)?.delete(onGap);
        if (current.listeners.size > 0 || feeds.get(accountId) !== current) return;
        feeds.delete(accountId);
        gapHandlers.delete(current);
        await current.unsubscribe?.();
      };
    },
  };
}
