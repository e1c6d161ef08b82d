// A visitor writes: the message enters like any provider's inbound message (contact, ticket,
// event for the agents), with the visitor's uploads bound to it in the same transaction. The
// widget's own id for the message makes a retried request a no-op.
import { defaultChannelRules } from '../../../shared/channel-rules.js';
import type { VisitorMessage } from '../../../shared/webchat-api.js';
import type { Deps } from '../../context.js';
import { applyStatus } from '../../domain/delivery-status.js';
import { ingestMessage } from '../../domain/inbound.js';
import { AppError } from '../../errors.js';
import type { ChannelRecord } from '../adapter.js';
import { webchatDeliveryId } from './webchat-adapter.js';
import { loadVisitorMessage, ownUploads, visitorTicketIds } from './visitor-conversation.js';
import { anonymousName, visitorRef, type VisitorRow } from './visitors.js';

export const MAX_VISITOR_TEXT = 5000;

export interface NewVisitorMessage {
  /** The widget's id for this message (idempotency key): the same id never makes two messages. */
  clientId: string;
  text?: string | undefined;
  attachmentIds?: string[] | undefined;
}

export async function postVisitorMessage(
  deps: Deps,
  channel: ChannelRecord,
  visitor: VisitorRow,
  input: NewVisitorMessage,
): Promise<{ message: VisitorMessage; duplicate: boolean }> {
  const text = (input.text ?? '').replace(/\r\n/g, '\n').trim();
  const attachmentIds = input.attachmentIds ?? [];
  const rules = defaultChannelRules.webchat;
  if (!text && attachmentIds.length === 0) {
    throw new AppError('validation_failed', 'A message needs text or at least one file.', { field: 'text' });
  }
  if (text.length > MAX_VISITOR_TEXT) {
    throw new AppError('validation_failed', `A message holds at most ${MAX_VISITOR_TEXT} characters.`, {
      field: 'text',
    });
  }
  if (new Set(attachmentIds).size !== attachmentIds.length) {
    throw new AppError('validation_failed', 'attachmentIds lists the same file twice.', {
      field: 'attachmentIds',
    });
  }
  if (attachmentIds.length > rules.perMessage) {
    throw new AppError('validation_failed', `A message carries at most ${rules.perMessage} files.`, {
      field: 'attachmentIds',
    });
  }
  const uploads = await ownUploads(deps.db, visitor, attachmentIds);
  const ref = visitorRef(visitor.id);
  const result = await ingestMessage(
    deps,
    channel,
    {
      type: 'message',
      providerMessageId: `${visitor.id}:${input.clientId}`,
      from: {
        externalId: visitor.id,
        name: visitor.name ?? anonymousName(visitor.id),
        ...(visitor.email ? { email: visitor.email } : {}),
      },
      text,
      ...(!text && uploads[0] ? { subject: uploads[0].name } : {}),
      attachments: [],
    },
    {
      async bindStored(tx, message) {
        for (const [index, upload] of uploads.entries()) {
          const bound = await tx
            .updateTable('attachments')
            .set({ messageId: message.id, position: message.firstPosition + index, updatedAt: message.at })
            .where('accountId', '=', visitor.accountId)
            .where('id', '=', upload.id)
            .where('uploadedBy', '=', ref)
            .where('messageId', 'is', null)
            .executeTakeFirst();
          if (Number(bound.numUpdatedRows) !== 1) {
            throw new AppError('conflict', `"${upload.name}" was already sent with another message.`, {
              field: 'attachmentIds',
            });
          }
        }
        return uploads.map((upload) => upload.name);
      },
    },
  );
  let messageId = result.messageId;
  if (!messageId) {
    const row = await deps.db
      .selectFrom('messages')
      .select('id')
      .where('channelId', '=', channel.id)
      .where('providerMessageId', '=', `${visitor.id}:${input.clientId}`)
      .executeTakeFirst();
    messageId = row?.id ?? null;
  }
  const message = messageId ? await loadVisitorMessage(deps, visitor, messageId) : null;
  if (!message) throw new AppError('conflict', 'The message could not be stored; send it again.');
  return { message, duplicate: result.duplicate };
}

/** The visitor has seen the replies up to `messageId`: they are marked read for the agents. */
export async function markRepliesRead(
  deps: Deps,
  channel: ChannelRecord,
  visitor: VisitorRow,
  messageId: string,
): Promise<number> {
  const upTo = await deps.db
    .selectFrom('messages')
    .select(['createdAt'])
    .where('accountId', '=', visitor.accountId)
    .where('channelId', '=', channel.id)
    .where('id', '=', messageId)
    .where('ticketId', 'in', visitorTicketIds(deps.db, visitor))
    .executeTakeFirst();
  if (!upTo) throw new AppError('not_found', 'The message was not found.');
  const unread = await deps.db
    .selectFrom('messages')
    .select('id')
    .where('accountId', '=', visitor.accountId)
    .where('channelId', '=', channel.id)
    .where('ticketId', 'in', visitorTicketIds(deps.db, visitor))
    .where('direction', '=', 'outbound')
    .where('note', '=', 0)
    .where('status', 'in', ['sent', 'delivered'])
    .where('createdAt', '<=', upTo.createdAt)
    .orderBy('createdAt', 'desc')
    .limit(50)
    .execute();
  for (const row of unread) {
    await applyStatus(deps, channel, {
      type: 'status',
      providerMessageId: webchatDeliveryId(row.id),
      status: 'read',
      at: deps.now(),
    });
  }
  return unread.length;
}
