// The send job: hands a queued reply to its channel's adapter, records each provider message
// as it is accepted (so a retry never sends a part twice), and turns provider failures into
// a status and a plain-language reason the agent can act on.
import type { Deps } from '../context.js';
import { setChannelHealth, toChannelRecord } from '../domain/channels.js';
import { refreshMessageStatus } from '../domain/delivery-status.js';
import { loadMessage } from '../domain/message-views.js';
import { parseJsonObject } from '../domain/json.js';
import { sendMessageJob } from '../domain/outbound.js';
import { transact } from '../domain/transaction.js';
import { newId } from '../infra/ids.js';
import { handle, PermanentJobError, type JobHandler } from '../infra/queue/job.js';
import type { DeliveryStatus } from '../infra/db/schema.js';
import { linkVersionOf } from '../media/signed-url.js';
import { adapterDeps } from './adapter-deps.js';
import { ProviderError, type OutboundMessage } from './adapter.js';

async function markFailed(
  deps: Deps,
  accountId: string,
  messageId: string,
  code: string,
  reason: string,
): Promise<void> {
  await transact(deps, async (tx, effects) => {
    const row = await tx
      .updateTable('messages')
      .set({ status: 'failed', errorCode: code, errorMessage: reason, updatedAt: deps.now() })
      .where('accountId', '=', accountId)
      .where('id', '=', messageId)
      // Parts sent before the failure may already have moved the message to sent or beyond;
      // the reply is still incomplete, so it fails (a retry sends only the missing parts).
      .where('status', 'in', ['queued', 'sending', 'sent', 'delivered', 'read'])
      .returning('ticketId')
      .executeTakeFirst();
    if (!row) return;
    const message = await loadMessage(tx, accountId, messageId);
    await effects.emit(accountId, 'message.updated', { message }, row.ticketId);
  });
}

export async function recordDelivery(
  deps: Deps,
  target: { accountId: string; messageId: string; channelId: string },
  part: number,
  providerMessageId: string,
  status: DeliveryStatus,
): Promise<void> {
  await transact(deps, async (tx, effects) => {
    const now = deps.now();
    await tx
      .insertInto('deliveries')
      .values({
        id: newId(now),
        accountId: target.accountId,
        messageId: target.messageId,
        channelId: target.channelId,
        part,
        providerMessageId,
        status,
        errorCode: null,
        errorMessage: null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflict((oc) => oc.columns(['messageId', 'part']).doNothing())
      .execute();
    await refreshMessageStatus(tx, effects, deps, target.accountId, target.messageId);
  });
}

async function loadOutbound(deps: Deps, messageId: string) {
  const message = await deps.db
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticketId')
    .innerJoin('contacts', 'contacts.id', 'tickets.contactId')
    .selectAll('messages')
    .select([
      'tickets.number as ticketNumber',
      'tickets.subject as ticketSubject',
      'tickets.contactId',
      'tickets.lastInboundAt',
      'contacts.name as contactName',
      'contacts.email as contactEmail',
      'contacts.phone as contactPhone',
    ])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
  if (!message) return null;
  const [channel, identity, attachments, deliveries, earlier] = await Promise.all([
    deps.db
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', message.channelId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst(),
    deps.db
      .selectFrom('contactIdentities')
      .select('externalId')
      .where('contactId', '=', message.contactId)
      .where('channelId', '=', message.channelId)
      .executeTakeFirst(),
    deps.db
      .selectFrom('attachments')
      .selectAll()
      .where('messageId', '=', messageId)
      .orderBy('position')
      .execute(),
    deps.db
      .selectFrom('deliveries')
      .select(['part', 'providerMessageId', 'status'])
      .where('messageId', '=', messageId)
      .execute(),
    earlierProviderIds(deps, message.ticketId, message.channelId, message.createdAt, messageId),
  ]);
  return { message, channel, identity, attachments, deliveries, earlier };
}

/** Provider ids of a ticket's messages before this one on its channel, oldest first. */
async function earlierProviderIds(
  deps: Deps,
  ticketId: string,
  channelId: string,
  before: number,
  messageId: string,
): Promise<NonNullable<OutboundMessage['earlier']>> {
  const rows = await deps.db
    .selectFrom('messages')
    .leftJoin('deliveries', (join) =>
      join.onRef('deliveries.messageId', '=', 'messages.id').on('deliveries.part', '=', 0),
    )
    .select([
      'messages.direction',
      'messages.providerMessageId',
      'deliveries.providerMessageId as deliveryId',
      'messages.createdAt',
    ])
    .where('messages.ticketId', '=', ticketId)
    .where('messages.channelId', '=', channelId)
    .where('messages.note', '=', 0)
    .where('messages.id', '!=', messageId)
    .where('messages.createdAt', '<=', before)
    .orderBy('messages.createdAt', 'desc')
    .orderBy('messages.id', 'desc')
    .limit(50)
    .execute();
  return rows
    .reverse()
    .map((row) => ({ providerMessageId: row.providerMessageId ?? row.deliveryId, direction: row.direction }))
    .filter(
      (row): row is NonNullable<OutboundMessage['earlier']>[number] =>
        typeof row.providerMessageId === 'string',
    );
}

export function sendMessageHandler(deps: Deps): JobHandler<unknown> {
  return handle(
    sendMessageJob,
    async ({ messageId }, context) => {
      const loaded = await loadOutbound(deps, messageId);
      if (!loaded || !['queued', 'sending'].includes(loaded.message.status) || loaded.message.note === 1)
        return;
      const { message, channel, identity, attachments, deliveries, earlier } = loaded;
      const adapter = channel ? deps.channels.get(channel.kind) : undefined;
      if (!channel || !adapter) {
        await markFailed(
          deps,
          message.accountId,
          messageId,
          'channel_unavailable',
          'The channel of this ticket was removed or is not available.',
        );
        return;
      }
      if (!identity) {
        await markFailed(
          deps,
          message.accountId,
          messageId,
          'no_recipient',
          'The customer has no address on this channel.',
        );
        return;
      }
      const missing = attachments.find((attachment) => !attachment.blobKey || attachment.state === 'deleted');
      if (missing) {
        await markFailed(
          deps,
          message.accountId,
          messageId,
          'attachment_missing',
          `"${missing.name}" is no longer available.`,
        );
        return;
      }
      if (message.status === 'queued') {
        await transact(deps, async (tx, effects) => {
          await tx
            .updateTable('messages')
            .set({ status: 'sending', updatedAt: deps.now() })
            .where('id', '=', messageId)
            .execute();
          const view = await loadMessage(tx, message.accountId, messageId);
          await effects.emit(message.accountId, 'message.updated', { message: view }, message.ticketId);
        });
      }
      const outbound: OutboundMessage = {
        id: message.id,
        ticketId: message.ticketId,
        ticketNumber: message.ticketNumber,
        ticketSubject: message.ticketSubject,
        earlier,
        text: message.text,
        attachments: attachments.map((row) => ({
          id: row.id,
          name: row.name,
          contentType: row.contentType,
          size: row.size,
          blobKey: row.blobKey as string,
          width: row.width,
          height: row.height,
        })),
        recipient: {
          externalId: identity.externalId,
          name: message.contactName,
          email: message.contactEmail,
          phone: message.contactPhone,
        },
        lastInboundAt: message.lastInboundAt,
        meta: parseJsonObject(message.meta),
      };
      const target = { accountId: message.accountId, messageId, channelId: channel.id };
      const sent = new Map(
        deliveries.filter((d) => d.status !== 'failed').map((d) => [d.part, d.providerMessageId]),
      );
      const names = new Map(attachments.map((row) => [row.id, row.name]));
      const linkVersions = new Map(
        attachments.map((row) => [row.id, linkVersionOf(parseJsonObject(row.meta))]),
      );
      try {
        const outcome = await adapter.send(
          outbound,
          toChannelRecord(channel),
          adapterDeps(deps, channel.kind, names, linkVersions),
          {
            sent,
            record: (part, providerMessageId, status = 'sent') =>
              recordDelivery(deps, target, part, providerMessageId, status),
          },
        );
        for (const [part, providerMessageId] of outcome.providerMessageIds.entries()) {
          if (!sent.has(part)) await recordDelivery(deps, target, part, providerMessageId, outcome.status);
        }
        if (channel.health !== 'ok') await setChannelHealth(deps, channel.id, 'ok', null);
        context.log.info(
          { messageId, parts: outcome.providerMessageIds.length },
          'message handed to the provider',
        );
      } catch (error) {
        if (error instanceof ProviderError) {
          if (error.health)
            await setChannelHealth(deps, channel.id, error.health.health, error.health.reason);
          if (!error.retryable || context.isLastAttempt) {
            await markFailed(deps, message.accountId, messageId, error.providerCode, error.message);
            return;
          }
        }
        throw error;
      }
    },
    async ({ messageId }, error) => {
      const row = await deps.db
        .selectFrom('messages')
        .select('accountId')
        .where('id', '=', messageId)
        .executeTakeFirst();
      if (!row) return;
      const reason =
        error instanceof PermanentJobError || error instanceof ProviderError
          ? error.message
          : 'The provider could not be reached after several tries.';
      await markFailed(deps, row.accountId, messageId, 'send_failed', reason);
    },
  );
}
