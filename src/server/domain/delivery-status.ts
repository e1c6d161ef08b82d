// Delivery statuses only move forward. Providers send callbacks out of order (a late "sent"
// after "delivered"), and a terminal status is never overwritten.
import type { InboundStatusEvent, ChannelRecord } from '../channels/adapter.js';
import type { Deps } from '../context.js';
import type { Db } from '../infra/db/connect.js';
import type { DeliveryStatus } from '../infra/db/schema.js';
import { canMove, deliveryRank } from '../../shared/delivery-status.js';
import { loadMessage } from './message-views.js';
import { transact, type Effects } from './transaction.js';

/** The message's status from its parts: failed if any part failed, else the least advanced part. */
export function combineStatuses(parts: DeliveryStatus[]): DeliveryStatus | null {
  if (parts.length === 0) return null;
  if (parts.includes('failed')) return 'failed';
  return parts.reduce((lowest, status) => (deliveryRank[status] < deliveryRank[lowest] ? status : lowest));
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
