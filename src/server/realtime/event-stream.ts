// Streams an account's events to one WebSocket: first what the client missed (from the event
// log, after the last id it saw), then live events from the pub/sub, without gaps or repeats.
import type { WebSocket } from 'ws';
import type { EventType } from '../../shared/events.js';
import type { Deps } from '../context.js';
import { accountTopic, type StoredEvent } from '../domain/transaction.js';

/** A client further behind than this reloads instead of replaying. */
export const MAX_REPLAY = 1000;
const REMEMBERED_IDS = 2000;

export interface StreamOptions {
  accountId: string;
  since: number | null;
  /** Decides whether this socket may see an event, and in what shape; null hides it. */
  view?: (event: StoredEvent) => Promise<unknown | null> | unknown | null;
}

export async function streamEvents(deps: Deps, socket: WebSocket, options: StreamOptions): Promise<void> {
  const sent = new Set<number>();
  const order: number[] = [];
  const buffer: StoredEvent[] = [];
  let replaying = true;
  let chain = Promise.resolve();

  const deliver = async (event: StoredEvent): Promise<void> => {
    if (sent.has(event.id) || socket.readyState !== socket.OPEN) return;
    sent.add(event.id);
    order.push(event.id);
    if (order.length > REMEMBERED_IDS) sent.delete(order.shift() as number);
    const data = options.view ? await options.view(event) : event.data;
    if (data === null || data === undefined) return;
    socket.send(JSON.stringify({ id: event.id, type: event.type, at: event.at, data }));
  };
  // Events are delivered one at a time, in the order they arrive.
  const enqueue = (event: StoredEvent) => {
    chain = chain
      .then(() => deliver(event))
      .catch((error: unknown) => deps.log.warn({ err: error }, 'could not deliver an event'));
  };

  const unsubscribe = await deps.pubsub.subscribe(accountTopic(options.accountId), (message) => {
    const event = JSON.parse(message) as StoredEvent;
    if (replaying) buffer.push(event);
    else enqueue(event);
  });
  socket.on('close', () => void unsubscribe());

  if (options.since === null) {
    const latest = await deps.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('accountId', '=', options.accountId)
      .executeTakeFirst();
    socket.send(JSON.stringify({ type: 'hello', lastEventId: Number(latest?.id ?? 0) }));
  } else {
    const rows = await deps.db
      .selectFrom('events')
      .selectAll()
      .where('accountId', '=', options.accountId)
      .where('id', '>', options.since)
      .orderBy('id')
      .limit(MAX_REPLAY + 1)
      .execute();
    if (rows.length > MAX_REPLAY) {
      socket.send(JSON.stringify({ type: 'resync' }));
    } else {
      socket.send(JSON.stringify({ type: 'hello', lastEventId: options.since }));
      for (const row of rows) {
        enqueue({
          id: Number(row.id),
          accountId: row.accountId,
          type: row.type as EventType,
          ticketId: row.ticketId,
          at: row.createdAt,
          data: JSON.parse(row.payload) as unknown,
        });
      }
    }
  }
  replaying = false;
  for (const event of buffer.splice(0)) enqueue(event);
}
