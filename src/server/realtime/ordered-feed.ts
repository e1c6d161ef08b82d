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
  /** The last id handed on. */
  cursor: number;
  /** The highest id announced so far. */
  target: number;
  /** Read everything after the cursor (after a lost broker connection). */
  all: boolean;
  /** The read loop, while one runs: announcements that arrive meanwhile only raise the target. */
  pump: Promise<void> | null;
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

  // One read covers every announcement that arrived since the last one, so a busy account
  // costs a query per batch of events, not per event.
  const pump = async (accountId: string, feed: Feed): Promise<void> => {
    await feed.ready.catch(() => undefined);
    for (;;) {
      const all = feed.all;
      feed.all = false;
      if (!all && feed.cursor >= feed.target) return;
      const events = await readAfter(accountId, feed.cursor, all ? null : feed.target);
      for (const event of events) {
        feed.cursor = event.id;
        const message = JSON.stringify(event);
        for (const listener of [...feed.listeners]) listener(message);
      }
      if (events.length === PAGE && all) feed.all = true;
    }
  };

  const wake = (accountId: string, feed: Feed, upTo: number | null): void => {
    if (upTo === null) feed.all = true;
    else feed.target = Math.max(feed.target, upTo);
    if (feed.pump) return;
    let failed = false;
    feed.pump = pump(accountId, feed)
      .catch((error: unknown) => {
        // The next announcement tries again.
        failed = true;
        log.warn({ err: error, accountId }, 'could not read the event log');
      })
      .finally(() => {
        feed.pump = null;
        // An announcement may have come between the loop's last check and here.
        if (!failed && (feed.all || feed.cursor < feed.target)) wake(accountId, feed, feed.target);
      });
  };

  const gapHandlers = new Map<Feed, Set<() => void>>();

  return {
    kind: inner.kind,
    publish: (topic, message) => inner.publish(topic, message),
    ping: () => inner.ping(),
    /** Stops the feeds; the broker itself belongs to whoever opened it. */
    async close() {
      const open = [...feeds.values()];
      feeds.clear();
      await Promise.all(open.map((feed) => feed.unsubscribe?.().catch(() => undefined)));
    },
    async subscribe(topic, listener, options: SubscribeOptions = {}) {
      const accountId = ACCOUNT_TOPIC.exec(topic)?.[1];
      if (!accountId) return inner.subscribe(topic, listener, options);
      let feed = feeds.get(accountId);
      if (!feed) {
        const created: Feed = {
          listeners: new Set(),
          cursor: 0,
          target: 0,
          all: false,
          pump: null,
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
              wake(accountId, created, id);
            },
            {
              onGap: () => {
                wake(accountId, created, null);
                for (const handler of gaps) handler();
              },
            },
          );
          // Live from here on: what is already in the log is each socket's own replay.
          created.cursor = await lastEventId(db, accountId);
        })();
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
