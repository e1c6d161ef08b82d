// What belongs to a visitor: the tickets of the contact their visitor id became on this
// channel, and those tickets' messages that were meant for the customer. Every read of the
// visitor API goes through these queries, so one visitor never reaches another's data.
import type { MessagePage, VisitorAttachment, VisitorMessage } from '../../../shared/webchat-api.js';
import type { Deps } from '../../context.js';
import { keysetPage } from '../../domain/cursor.js';
import { lastEventId } from '../../realtime/last-event-id.js';
import { AppError, notFound } from '../../errors.js';
import type { Db } from '../../infra/db/connect.js';
import type { Row } from '../../infra/db/schema.js';
import {
  convertedCopies,
  presentVisitorAttachment,
  presentVisitorMessages,
  VISIBLE_OUTBOUND,
  visibleToVisitor,
} from './visitor-views.js';
import { visitorRef, type VisitorRow } from './visitors.js';

type VisitorScope = Pick<VisitorRow, 'id' | 'accountId' | 'channelId'>;

/** The ids of the visitor's tickets, as a subquery. */
export const visitorTicketIds = (db: Db, visitor: VisitorScope) =>
  db
    .selectFrom('tickets')
    .innerJoin('contactIdentities', 'contactIdentities.contactId', 'tickets.contactId')
    .select('tickets.id')
    .where('tickets.accountId', '=', visitor.accountId)
    .where('tickets.channelId', '=', visitor.channelId)
    .where('contactIdentities.channelId', '=', visitor.channelId)
    .where('contactIdentities.externalId', '=', visitor.id);

export async function ownsTicket(db: Db, visitor: VisitorScope, ticketId: string): Promise<boolean> {
  const row = await visitorTicketIds(db, visitor).where('tickets.id', '=', ticketId).executeTakeFirst();
  return row !== undefined;
}

/** A message of the visitor's conversation the visitor may see, or undefined. */
export async function visibleMessageRow(
  db: Db,
  visitor: VisitorScope,
  messageId: string,
): Promise<Row<'messages'> | undefined> {
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('accountId', '=', visitor.accountId)
    .where('channelId', '=', visitor.channelId)
    .where('id', '=', messageId)
    .where('ticketId', 'in', visitorTicketIds(db, visitor))
    .executeTakeFirst();
  return row && visibleToVisitor(row) ? row : undefined;
}

export async function loadVisitorMessage(
  deps: Deps,
  visitor: VisitorScope,
  messageId: string,
): Promise<VisitorMessage | null> {
  const row = await visibleMessageRow(deps.db, visitor, messageId);
  if (!row) return null;
  const [message] = await presentVisitorMessages(deps, visitor.accountId, [row]);
  return message ?? null;
}

/** The visitor's messages across their tickets on this channel, `limit` at a time, oldest first. */
export async function listVisitorMessages(
  deps: Deps,
  visitor: VisitorScope,
  options: { before?: string | undefined; limit?: number | undefined },
): Promise<MessagePage> {
  const limit = options.limit ?? 50;
  // Taken first: an event committed while the page is read is replayed, never lost.
  const position = await lastEventId(deps.db, visitor.accountId);
  const query = deps.db
    .selectFrom('messages')
    .selectAll()
    .where('accountId', '=', visitor.accountId)
    .where('channelId', '=', visitor.channelId)
    .where('ticketId', 'in', visitorTicketIds(deps.db, visitor))
    .where('note', '=', 0)
    .where((eb) => eb.or([eb('direction', '=', 'inbound'), eb('status', 'in', VISIBLE_OUTBOUND)]));
  const { rows, nextCursor } = await keysetPage(
    query,
    { at: 'createdAt', id: 'id', of: (row) => ({ at: row.createdAt, id: row.id }) },
    { cursor: options.before, limit },
  );
  const messages = await presentVisitorMessages(deps, visitor.accountId, rows.reverse());
  return {
    messages,
    nextCursor,
    lastEventId: position,
  };
}

/**
 * An attachment the visitor may see: one they uploaded themselves, or one on a visible
 * message of their conversation. Anything else is "not found", whoever it belongs to.
 */
export async function visibleAttachmentRow(
  db: Db,
  visitor: VisitorScope,
  attachmentId: string,
): Promise<Row<'attachments'> | undefined> {
  const row = await db
    .selectFrom('attachments')
    .selectAll()
    .where('accountId', '=', visitor.accountId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.messageId === null) return row.uploadedBy === visitorRef(visitor.id) ? row : undefined;
  return (await visibleMessageRow(db, visitor, row.messageId)) ? row : undefined;
}

export async function getVisitorAttachment(
  deps: Deps,
  visitor: VisitorScope,
  attachmentId: string,
): Promise<VisitorAttachment> {
  const row = await visibleAttachmentRow(deps.db, visitor, attachmentId);
  if (!row) throw notFound('The attachment');
  const converted = await convertedCopies(deps.db, visitor.accountId, [row.id]);
  return presentVisitorAttachment(deps, row, converted.get(row.id));
}

/** Checks the visitor's own uploads before they are named in a message. */
export async function ownUploads(
  db: Db,
  visitor: VisitorScope,
  attachmentIds: string[],
): Promise<Row<'attachments'>[]> {
  if (attachmentIds.length === 0) return [];
  const rows = await db
    .selectFrom('attachments')
    .selectAll()
    .where('accountId', '=', visitor.accountId)
    .where('id', 'in', attachmentIds)
    .where('uploadedBy', '=', visitorRef(visitor.id))
    .execute();
  return attachmentIds.map((id) => {
    const row = rows.find((candidate) => candidate.id === id);
    if (!row) {
      throw new AppError('validation_failed', `Attachment ${id} is not one of your uploads.`, {
        field: 'attachmentIds',
      });
    }
    if (row.state === 'failed' || row.state === 'deleted') {
      throw new AppError('validation_failed', `"${row.name}" could not be processed; attach it again.`, {
        field: 'attachmentIds',
      });
    }
    return row;
  });
}
