// Tickets: the inbox query, one ticket, and changes of status and assignee.
import { sql } from 'kysely';
import type { Ticket, TicketStatus } from '../../shared/api-schemas.js';
import type { Deps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import type { Db } from '../infra/db/connect.js';
import { keysetPage, likePattern } from './cursor.js';
import { transact } from './transaction.js';
import { presentTicket } from './views.js';

export interface TicketFilters {
  status?: TicketStatus | undefined;
  channelId?: string | undefined;
  assigneeId?: string | 'none' | undefined;
  contactId?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

function ticketQuery(db: Db, accountId: string) {
  return db
    .selectFrom('tickets')
    .innerJoin('channels', 'channels.id', 'tickets.channelId')
    .innerJoin('contacts', 'contacts.id', 'tickets.contactId')
    .selectAll('tickets')
    .select(['channels.kind as channelKind', 'channels.name as channelName', 'contacts.name as contactName'])
    .where('tickets.accountId', '=', accountId);
}

export async function listTickets(
  db: Db,
  accountId: string,
  filters: TicketFilters,
): Promise<{ tickets: Ticket[]; nextCursor: string | null }> {
  const limit = filters.limit ?? 30;
  let query = ticketQuery(db, accountId);
  if (filters.status) query = query.where('tickets.status', '=', filters.status);
  if (filters.channelId) query = query.where('tickets.channelId', '=', filters.channelId);
  if (filters.contactId) query = query.where('tickets.contactId', '=', filters.contactId);
  if (filters.assigneeId === 'none') query = query.where('tickets.assigneeId', 'is', null);
  else if (filters.assigneeId) query = query.where('tickets.assigneeId', '=', filters.assigneeId);
  const q = filters.q?.trim();
  if (q) {
    const pattern = likePattern(q);
    // Up to 9 digits can be a ticket number (an integer column); longer runs are phone numbers.
    const number = /^#?\d{1,9}$/.test(q) ? Number(q.replace('#', '')) : null;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(tickets.subject)`, 'like', pattern),
        eb(sql`lower(tickets.preview)`, 'like', pattern),
        eb(sql`lower(contacts.name)`, 'like', pattern),
        eb(sql`lower(coalesce(contacts.email, ''))`, 'like', pattern),
        eb(sql`coalesce(contacts.phone, '')`, 'like', pattern),
        ...(number !== null ? [eb('tickets.number', '=', number)] : []),
      ]),
    );
  }
  const { rows, nextCursor } = await keysetPage(
    query,
    { at: 'tickets.lastMessageAt', id: 'tickets.id', of: (row) => ({ at: row.lastMessageAt, id: row.id }) },
    { cursor: filters.cursor, limit },
  );
  return { tickets: rows.map(presentTicket), nextCursor };
}

export async function getTicket(db: Db, accountId: string, ticketId: string): Promise<Ticket> {
  const row = await ticketQuery(db, accountId).where('tickets.id', '=', ticketId).executeTakeFirst();
  if (!row) throw notFound('The ticket');
  return presentTicket(row);
}

export interface TicketChange {
  status?: TicketStatus | undefined;
  assigneeId?: string | null | undefined;
}

export async function updateTicket(
  deps: Deps,
  accountId: string,
  ticketId: string,
  change: TicketChange,
): Promise<Ticket> {
  return transact(deps, async (tx, effects) => {
    const existing = await tx
      .selectFrom('tickets')
      .select('id')
      .where('accountId', '=', accountId)
      .where('id', '=', ticketId)
      .executeTakeFirst();
    if (!existing) throw notFound('The ticket');
    if (change.assigneeId) {
      const agent = await tx
        .selectFrom('agents')
        .select('id')
        .where('accountId', '=', accountId)
        .where('id', '=', change.assigneeId)
        .where('disabledAt', 'is', null)
        .executeTakeFirst();
      if (!agent) {
        throw new AppError('validation_failed', 'assigneeId names no active agent of this account.', {
          field: 'assigneeId',
        });
      }
    }
    await tx
      .updateTable('tickets')
      .set({
        ...(change.status !== undefined ? { status: change.status } : {}),
        ...(change.assigneeId !== undefined ? { assigneeId: change.assigneeId } : {}),
        updatedAt: deps.now(),
      })
      .where('accountId', '=', accountId)
      .where('id', '=', ticketId)
      .execute();
    const ticket = await getTicket(tx, accountId, ticketId);
    await effects.emit(accountId, 'ticket.updated', { ticket }, ticketId);
    return ticket;
  });
}
