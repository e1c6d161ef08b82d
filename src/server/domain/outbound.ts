// An agent's reply or internal note: the message, its attachments bound in order, and (for
// replies) a send job, all in one transaction.
import { z } from 'zod';
import type { Message } from '../../shared/api-schemas.js';
import type { Deps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { newId } from '../infra/ids.js';
import { defineJob } from '../infra/queue/job.js';
import { loadMessage } from './message-views.js';
import { touchTicket } from './ticket-activity.js';
import { getTicket } from './tickets.js';
import { transact } from './transaction.js';

export const MAX_ATTACHMENTS_PER_MESSAGE = 20;

export const sendMessageJob = defineJob({
  name: 'message.send',
  queue: 'send',
  schema: z.object({ messageId: z.string() }),
  dedupeKey: (payload) => payload.messageId,
  maxAttempts: 6,
  backoffMs: (attempt) => Math.min(30 * 60_000, 5_000 * 3 ** (attempt - 1)),
});

export interface NewReply {
  text?: string | undefined;
  attachmentIds?: string[] | undefined;
  note?: boolean | undefined;
  meta?: Record<string, unknown> | undefined;
  /** An automatic message: sent, but the ticket's inbox line keeps showing the customer's words. */
  quiet?: boolean | undefined;
}

export async function createReply(
  deps: Deps,
  author: { accountId: string; agentId: string | null },
  ticketId: string,
  input: NewReply,
): Promise<Message> {
  const text = (input.text ?? '').replace(/\r\n/g, '\n').trim();
  const attachmentIds = input.attachmentIds ?? [];
  if (!text && attachmentIds.length === 0) {
    throw new AppError('validation_failed', 'A message needs text or at least one attachment.', {
      field: 'text',
    });
  }
  if (new Set(attachmentIds).size !== attachmentIds.length) {
    throw new AppError('validation_failed', 'attachmentIds lists the same attachment twice.', {
      field: 'attachmentIds',
    });
  }
  if (attachmentIds.length > MAX_ATTACHMENTS_PER_MESSAGE) {
    throw new AppError(
      'validation_failed',
      `A message carries at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments.`,
      {
        field: 'attachmentIds',
      },
    );
  }
  const { accountId } = author;
  const note = input.note === true;
  return transact(deps, async (tx, effects) => {
    const ticket = await tx
      .selectFrom('tickets')
      .select(['id', 'channelId'])
      .where('accountId', '=', accountId)
      .where('id', '=', ticketId)
      .executeTakeFirst();
    if (!ticket) throw notFound('The ticket');
    const attachments = attachmentIds.length
      ? await tx
          .selectFrom('attachments')
          .select(['id', 'name', 'messageId', 'state', 'uploadedBy'])
          .where('accountId', '=', accountId)
          .where('id', 'in', attachmentIds)
          .execute()
      : [];
    for (const id of attachmentIds) {
      const attachment = attachments.find((row) => row.id === id);
      if (!attachment || attachment.uploadedBy === null || attachment.uploadedBy.startsWith('visitor:')) {
        throw new AppError(
          'validation_failed',
          `Attachment ${id} was not found among this account's uploads.`,
          {
            field: 'attachmentIds',
          },
        );
      }
      if (attachment.messageId !== null) {
        throw new AppError(
          'conflict',
          `"${attachment.name}" was already sent with another message; upload it again.`,
          {
            field: 'attachmentIds',
          },
        );
      }
      if (attachment.state === 'failed' || attachment.state === 'deleted') {
        throw new AppError(
          'validation_failed',
          `"${attachment.name}" could not be processed and cannot be sent.`,
          {
            field: 'attachmentIds',
          },
        );
      }
    }
    const at = deps.now();
    const messageId = newId(at);
    await tx
      .insertInto('messages')
      .values({
        id: messageId,
        accountId,
        ticketId,
        channelId: ticket.channelId,
        direction: 'outbound',
        authorAgentId: author.agentId,
        text,
        note: note ? 1 : 0,
        providerMessageId: null,
        status: note ? 'sent' : 'queued',
        errorCode: null,
        errorMessage: null,
        meta: JSON.stringify(input.meta ?? {}),
        createdAt: at,
        updatedAt: at,
      })
      .execute();
    for (const [position, id] of attachmentIds.entries()) {
      await tx
        .updateTable('attachments')
        .set({ messageId, position, updatedAt: at })
        .where('accountId', '=', accountId)
        .where('id', '=', id)
        .where('messageId', 'is', null)
        .execute();
    }
    if (!note) {
      const names = attachmentIds.map((id) => attachments.find((row) => row.id === id)?.name ?? '');
      if (!input.quiet) {
        await touchTicket(tx, accountId, ticketId, { text, attachmentNames: names, at, inbound: false });
      }
      await effects.enqueue(sendMessageJob, { messageId });
    }
    const message = await loadMessage(tx, accountId, messageId);
    await effects.emit(accountId, 'message.created', { message }, ticketId);
    if (!note)
      await effects.emit(
        accountId,
        'ticket.updated',
        { ticket: await getTicket(tx, accountId, ticketId) },
        ticketId,
      );
    return message;
  });
}

/** Sends a failed reply again; parts the provider already accepted are not sent twice. */
export async function retryReply(deps: Deps, accountId: string, messageId: string): Promise<Message> {
  return transact(deps, async (tx, effects) => {
    const row = await tx
      .selectFrom('messages')
      .select(['id', 'status', 'ticketId', 'note'])
      .where('accountId', '=', accountId)
      .where('id', '=', messageId)
      .executeTakeFirst();
    if (!row) throw notFound('The message');
    if (row.status !== 'failed' || row.note === 1) {
      throw new AppError('conflict', 'Only a reply that failed can be sent again.');
    }
    await tx
      .deleteFrom('deliveries')
      .where('messageId', '=', messageId)
      .where('status', '=', 'failed')
      .execute();
    await tx
      .updateTable('messages')
      .set({ status: 'queued', errorCode: null, errorMessage: null, updatedAt: deps.now() })
      .where('id', '=', messageId)
      .execute();
    await effects.enqueue(sendMessageJob, { messageId });
    const message = await loadMessage(tx, accountId, messageId);
    await effects.emit(accountId, 'message.updated', { message }, row.ticketId);
    return message;
  });
}
