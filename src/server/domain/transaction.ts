// One transaction per use case. Rows, jobs and events are written inside it; events reach
// sockets and jobs reach workers only after the commit, so no one hears of data that was
// rolled back.
import { sql } from 'kysely';
import type { EventPayloads, EventType } from '../../shared/events.js';
import type { Deps } from '../context.js';
import type { Db } from '../infra/db/connect.js';
import type { EnqueueOptions, JobDefinition } from '../infra/queue/job.js';

export interface StoredEvent {
  id: number;
  accountId: string;
  type: EventType;
  ticketId: string | null;
  at: number;
  data: unknown;
}

export interface Effects {
  emit<T extends EventType>(
    accountId: string,
    type: T,
    data: EventPayloads[T],
    ticketId?: string | null,
  ): Promise<void>;
  enqueue<P>(definition: JobDefinition<P>, payload: P, options?: EnqueueOptions): Promise<void>;
  afterCommit(work: () => Promise<void> | void): void;
}

export const accountTopic = (accountId: string): string => `account:${accountId}`;

type PendingEvent = Omit<StoredEvent, 'id'>;

export async function transact<T>(deps: Deps, work: (tx: Db, effects: Effects) => Promise<T>): Promise<T> {
  const events: StoredEvent[] = [];
  const pending: PendingEvent[] = [];
  const after: Array<() => Promise<void> | void> = [];
  let jobs = 0;
  const result = await deps.db.transaction().execute(async (tx) => {
    const effects: Effects = {
      async emit(accountId, type, data, ticketId = null) {
        pending.push({ accountId, type, ticketId, at: deps.now(), data });
      },
      async enqueue(definition, payload, options) {
        await deps.queue.enqueue(tx, definition, payload, options);
        jobs += 1;
      },
      afterCommit(fn) {
        after.push(fn);
      },
    };
    const value = await work(tx, effects);
    events.push(...(await appendEvents(tx, deps, pending)));
    return value;
  });
  await publishEvents(deps, events);
  if (jobs > 0) deps.queue.notify();
  for (const fn of after) {
    try {
      await fn();
    } catch (error) {
      deps.log.error({ err: error }, 'after-commit work failed');
    }
  }
  return result;
}

/**
 * Writes the transaction's events last, so the per-account lock they need is held only from
 * here to the commit. On PostgreSQL, ids come from a sequence in insertion order but become
 * visible in commit order; holding a per-account lock until commit makes the two the same,
 * so a client resuming "after id N" never skips a late commit. Accounts are locked in one
 * order, so two transactions that touch the same two accounts cannot deadlock.
 */
async function appendEvents(tx: Db, deps: Deps, pending: PendingEvent[]): Promise<StoredEvent[]> {
  if (pending.length === 0) return [];
  if (deps.dialect === 'postgres')
    for (const accountId of [...new Set(pending.map((event) => event.accountId))].sort())
      await sql`select pg_advisory_xact_lock(hashtext(${accountId}))`.execute(tx);
  const stored: StoredEvent[] = [];
  for (const event of pending) {
    const row = await tx
      .insertInto('events')
      .values({
        accountId: event.accountId,
        type: event.type,
        ticketId: event.ticketId,
        payload: JSON.stringify(event.data),
        createdAt: event.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    stored.push({ id: Number(row.id), ...event });
  }
  return stored;
}

export async function publishEvents(deps: Deps, events: StoredEvent[]): Promise<void> {
  for (const event of events) {
    await deps.pubsub
      .publish(accountTopic(event.accountId), JSON.stringify(event))
      .catch((error: unknown) => {
        deps.log.warn(
          { err: error, eventId: event.id },
          'could not publish an event; clients will catch up on reconnect',
        );
      });
  }
}

/**
 * Serialises work on one key until the transaction ends (PostgreSQL advisory lock). SQLite
 * runs one writer at a time already, so there it does nothing.
 */
export async function lockKey(tx: Db, deps: Pick<Deps, 'dialect'>, key: string): Promise<void> {
  if (deps.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(tx);
}
