// Streams an account's events to one WebSocket: first what the client missed (from the event
// log, after the last id it saw), then live events from the pub/sub, without gaps or repeats.
// A client that loads a list reflecting an older position asks for a replay from there on the
// same socket.
import type { WebSocket } from 'ws';
import type { EventType } from '../../shared/events.js';
import type { Deps } from '../context.js';
import { accountTopic, type StoredEvent } from '../domain/transaction.js';
import { lastEventId } from './last-event-id.js';

/** A client further behind than this reloads instead of replaying. */
export const MAX_REPLAY = 1000;
const REMEMBERED_IDS = 2000;

export interface StreamOptions {
  accountId: string;
  since: number | null;
  /** Decides whether this socket may see an event, and in what shape; null hides it. */
  view?: (event: StoredEvent) => Promise<unknown | null> | unknown | null;
}

export interface EventStream {
  /** Sends again every event after `since` (a replay the client asked for). */
  replay(since: number): void;
}

export async function streamEvents(
  deps: Deps,
  socket: WebSocket,
  options: StreamOptions,
): Promise<EventStream> {
  const sent = new Set<number>();
  const order: number[] = [];
  const buffer: StoredEvent[] = [];
  let replaying = true;
  let chain = Promise.resolve();

  const send = async (event: StoredEvent): Promise<void> => {
    if (socket.readyState !== socket.OPEN) return;
    const data = options.view ? await options.view(event) : event.data;
    if (data === null || data === undefined) return;
    socket.send(JSON.stringify({ id: event.id, type: event.type, at: event.at, data }));
  };
  let highest = options.since ?? 0;
  const deliver = async (event: StoredEvent): Promise<void> => {
    if (sent.has(event.id)) return;
    sent.add(event.id);
    highest = Math.max(highest, event.id);
    order.push(event.id);
    if (order.length > REMEMBERED_IDS) sent.delete(order.shift() as number);
    await send(event);
  };
  // Events are delivered one at a time, in the order they arrive.
  const later = (work: () => Promise<void>) => {
    chain = chain
      .then(work)
      .catch((error: unknown) => deps.log.warn({ err: error }, 'could not deliver an event'));
  };

  // After a lost broker connection, what was published meanwhile is read from the log.
  let gapWhileReplaying = false;
  const catchUp = () =>
    later(async () => {
      const missed = await logAfter(highest);
      if (missed.length > MAX_REPLAY) socket.send(JSON.stringify({ type: 'resync' }));
      else for (const event of missed) await deliver(event);
    });
  const unsubscribe = await deps.pubsub.subscribe(
    accountTopic(options.accountId),
    (message) => {
      const event = JSON.parse(message) as StoredEvent;
      if (replaying) buffer.push(event);
      else later(() => deliver(event));
    },
    {
      onGap: () => {
        if (replaying) gapWhileReplaying = true;
        else catchUp();
      },
    },
  );
  socket.on('close', () => void unsubscribe());

  const logAfter = async (since: number) => {
    const rows = await deps.db
      .selectFrom('events')
      .selectAll()
      .where('accountId', '=', options.accountId)
      .where('id', '>', since)
      .orderBy('id')
      .limit(MAX_REPLAY + 1)
      .execute();
    return rows.map((row): StoredEvent => ({
      id: Number(row.id),
      accountId: row.accountId,
      type: row.type as EventType,
      ticketId: row.ticketId,
      at: row.createdAt,
      data: JSON.parse(row.payload) as unknown,
    }));
  };

  if (options.since === null) {
    const last = await lastEventId(deps.db, options.accountId);
    highest = Math.max(highest, last);
    socket.send(JSON.stringify({ type: 'hello', lastEventId: last }));
  } else {
    const missed = await logAfter(options.since);
    if (missed.length > MAX_REPLAY) {
      socket.send(JSON.stringify({ type: 'resync' }));
    } else {
      socket.send(JSON.stringify({ type: 'hello', lastEventId: options.since }));
      for (const event of missed) later(() => deliver(event));
    }
  }
  replaying = false;
  for (const event of buffer.splice(0)) later(() => deliver(event));
  if (gapWhileReplaying) catchUp();

  return {
    replay(since) {
      later(async () => {
        const events = await logAfter(since);
        if (events.length > MAX_REPLAY) {
          socket.send(JSON.stringify({ type: 'resync' }));
          return;
        }
        for (const event of events) await send(event);
      });
    },
  };
}
