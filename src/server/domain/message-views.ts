// Loads messages with their attachments and authors, in the shape the API returns.
import type { Message } from '../../shared/api-schemas.js';
import { AppError, notFound } from '../errors.js';
import type { Db } from '../infra/db/connect.js';
import type { Row } from '../infra/db/schema.js';
import { keysetPage } from './cursor.js';
import { agentUrls, presentMessage, type AttachmentUrls, type MessageAuthor } from './views.js';

async function present(
  db: Db,
  accountId: string,
  rows: Row<'messages'>[],
  urls: AttachmentUrls,
): Promise<Message[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const attachments = await db
    .selectFrom('attachments')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('messageId', 'in', ids)
    .orderBy('position')
    .execute();
  const byMessage = new Map<string, Row<'attachments'>[]>();
  for (const attachment of attachments) {
    const list = byMessage.get(attachment.messageId as string) ?? [];
    list.push(attachment);
    byMessage.set(attachment.messageId as string, list);
  }
  const agentIds = [
    ...new Set(rows.map((row) => row.authorAgentId).filter((id): id is string => id !== null)),
  ];
  const agents = agentIds.length
    ? await db
        .selectFrom('agents')
        .select(['id', 'name'])
        .where('accountId', '=', accountId)
        .where('id', 'in', agentIds)
        .execute()
    : [];
  const agentNames = new Map(agents.map((agent) => [agent.id, agent.name]));
  const ticketIds = [
    ...new Set(rows.filter((row) => row.direction === 'inbound').map((row) => row.ticketId)),
  ];
  const contacts = ticketIds.length
    ? await db
        .selectFrom('tickets')
        .innerJoin('contacts', 'contacts.id', 'tickets.contactId')
        .select(['tickets.id as ticketId', 'contacts.id as contactId', 'contacts.name as contactName'])
        .where('tickets.accountId', '=', accountId)
        .where('tickets.id', 'in', ticketIds)
        .execute()
    : [];
  const contactByTicket = new Map(contacts.map((c) => [c.ticketId, c]));
  return rows.map((row) => {
    let author: MessageAuthor | null = null;
    if (row.authorAgentId) {
      author = { kind: 'agent', id: row.authorAgentId, name: agentNames.get(row.authorAgentId) ?? '' };
    } else if (row.direction === 'inbound') {
      const contact = contactByTicket.get(row.ticketId);
      if (contact) author = { kind: 'contact', id: contact.contactId, name: contact.contactName };
    }
    return presentMessage(row, byMessage.get(row.id) ?? [], author, urls);
  });
}

export async function loadMessage(
  db: Db,
  accountId: string,
  messageId: string,
  urls: AttachmentUrls = agentUrls,
): Promise<Message> {
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!row) throw notFound('The message');
  const [message] = await present(db, accountId, [row], urls);
  return message as Message;
}

export interface ThreadPage {
  messages: Message[];
  nextCursor: string | null;
}

/** A ticket's messages, newest first, `limit` at a time; `before` is the previous page's cursor. */
export async function listThread(
  db: Db,
  accountId: string,
  ticketId: string,
  options: {
    before?: string | undefined;
    limit?: number | undefined;
    includeNotes?: boolean;
    urls?: AttachmentUrls;
  },
): Promise<ThreadPage> {
  const limit = options.limit ?? 50;
  if (limit < 1 || limit > 200) {
    throw new AppError('validation_failed', 'limit must be between 1 and 200.', { field: 'limit' });
  }
  let query = db
    .selectFrom('messages')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('ticketId', '=', ticketId);
  if (options.includeNotes === false) query = query.where('note', '=', 0);
  const { rows, nextCursor } = await keysetPage(
    query,
    { at: 'createdAt', id: 'id', of: (row) => ({ at: row.createdAt, id: row.id }) },
    { cursor: options.before, limit },
  );
  return {
    messages: await present(db, accountId, rows, options.urls ?? agentUrls),
    nextCursor,
  };
}
