// Delivery statuses only move forward. Providers send callbacks out of order (a late "sent"
// after "delivered"), and a terminal status is never overwritten.
import { z } from 'zod';
import type { InboundStatusEvent, ChannelRecord } from '../channels/adapter.js';
import type { Deps } from '../context.js';
import type { Db } from '../infra/db/connect.js';
import type { DeliveryStatus } from '../infra/db/schema.js';
import { defineJob, handle, type JobHandler } from '../infra/queue/job.js';
import { loadMessage } from './message-views.js';
import { transact, type Effects } from './transaction.js';

const RANK: Record<DeliveryStatus, number> = {
  received: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  failed: 6,
};

export function canMove(from: DeliveryStatus, to: DeliveryStatus): boolean {
  if (from === to) return false;
  if (from === 'failed' || from === 'read') return false;
  if (to === 'failed') return from !== 'delivered';
  return RANK[to] > RANK[from];
}

/** The message's status from its parts: failed if any part failed, else the least advanced part. */
export function combineStatuses(parts: DeliveryStatus[]): DeliveryStatus | null {
  if (parts.length === 0) return null;
  if (parts.includes('failed')) return 'failed';
  return parts.reduce((lowest, status) => (RANK[status] < RANK[lowest] ? status : lowest));
}

/** Recomputes a message's status from its deliveries and announces a change. */
export async function refreshMessageStatus(
  tx: Db,
  effects: Effects,
  deps: Pick<Deps, 'now'>,
  accountId: string,
  messageId: string,
): Promise<void> {
  const parts = await tx
    .selectFrom('deliveries')
    .select(['status', 'errorCode', 'errorMessage'])
    .where('accountId', '=', accountId)
    .where('messageId', '=', messageId)
    .orderBy('part')
    .execute();
  const message = await tx
    .selectFrom('messages')
    .select(['status', 'ticketId'])
    .where('accountId', '=', accountId)
    .where('id', '=', messageId)
    .executeTakeFirst();
  const combined = combineStatuses(parts.map((part) => part.status));
  if (!message || !combined || !canMove(message.status, combined)) return;
  const failedPart = parts.find((part) => part.status === 'failed');
  await tx
    .updateTable('messages')
    .set({
      status: combined,
      errorCode: failedPart?.errorCode ?? null,
      errorMessage: failedPart?.errorMessage ?? null,
      updatedAt: deps.now(),
    })
    .where('id', '=', messageId)
    .execute();
  const view = await loadMessage(tx, accountId, messageId);
  await effects.emit(accountId, 'message.updated', { message: view }, message.ticketId);
}

/** Applies a provider's status callback. Returns false for a message we do not know. */
export async function applyStatus(
  deps: Deps,
  channel: Pick<ChannelRecord, 'id'>,
  event: InboundStatusEvent,
): Promise<boolean> {
  return transact(deps, async (tx, effects) => {
    const delivery = await tx
      .selectFrom('deliveries')
      .selectAll()
      .where('channelId', '=', channel.id)
      .where('providerMessageId', '=', event.providerMessageId)
      .executeTakeFirst();
    if (!delivery) return false;
    if (!canMove(delivery.status, event.status)) return true;
    await tx
      .updateTable('deliveries')
      .set({
        status: event.status,
        errorCode: event.errorCode ?? null,
        errorMessage: event.errorMessage ?? null,
        updatedAt: deps.now(),
      })
      .where('id', '=', delivery.id)
      .execute();
    await refreshMessageStatus(tx, effects, deps, delivery.accountId, delivery.messageId);
    return true;
  });
}

/**
 * A status that arrived before its delivery was recorded: a provider may call back within
 * milliseconds of accepting a message, before the send job has written down its id. It is
 * applied again a few times over about a minute, then dropped with a log line.
 */
export const lateStatusJob = defineJob({
  name: 'delivery.late-status',
  queue: 'default',
  schema: z.object({
    channelId: z.string(),
    event: z.object({
      type: z.literal('status'),
      providerMessageId: z.string(),
      status: z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'failed']),
      errorCode: z.string().optional(),
      errorMessage: z.string().optional(),
      at: z.number().optional(),
    }),
  }),
  maxAttempts: 7,
  backoffMs: (attempt) => 500 * 2 ** (attempt - 1),
});

/** Applies a status now, or keeps it for a later try when its message is not known yet. */
export async function applyOrDeferStatus(
  deps: Deps,
  channel: Pick<ChannelRecord, 'id'>,
  event: InboundStatusEvent,
): Promise<'applied' | 'deferred'> {
  if (await applyStatus(deps, channel, event)) return 'applied';
  await transact(deps, async (_tx, effects) => {
    await effects.enqueue(lateStatusJob, { channelId: channel.id, event }, { delayMs: 250 });
  });
  return 'deferred';
}

export function lateStatusHandler(deps: Deps): JobHandler<unknown> {
  return handle(
    lateStatusJob,
    async ({ channelId, event }) => {
      const known = await applyStatus(deps, { id: channelId }, event);
      if (!known) throw new Error(`No delivery with provider id ${event.providerMessageId} yet.`);
    },
    async ({ channelId, event }) => {
      deps.log.warn(
        { channelId, providerMessageId: event.providerMessageId, status: event.status },
        'status for a message we did not send; ignored',
      );
    },
  );
}
