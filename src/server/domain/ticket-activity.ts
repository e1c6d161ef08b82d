// Keeps a ticket's inbox line (preview, media marker, last activity) in step with its thread.
import type { Db } from '../infra/db/connect.js';
import type { TicketStatus } from '../infra/db/schema.js';
import { newId } from '../infra/ids.js';

const PREVIEW_CHARS = 160;

export function previewOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

export async function touchTicket(
  tx: Db,
  accountId: string,
  ticketId: string,
  activity: { text: string; attachmentNames: string[]; at: number; inbound: boolean; reopen?: boolean },
): Promise<void> {
  await tx
    .updateTable('tickets')
    .set({
      preview: previewOf(activity.text),
      previewAttachmentName: activity.attachmentNames[0] ?? null,
      previewAttachmentCount: activity.attachmentNames.length,
      lastMessageAt: activity.at,
      updatedAt: activity.at,
      ...(activity.inbound ? { lastInboundAt: activity.at } : {}),
      ...(activity.reopen ? { status: 'open' as TicketStatus } : {}),
    })
    .where('accountId', '=', accountId)
    .where('id', '=', ticketId)
    .execute();
}

/** The contact's current ticket on this channel (open, pending or solved, which a reply reopens), or a new one. */
export async function findOrOpenTicket(
  tx: Db,
  input: { accountId: string; channelId: string; contactId: string; subject: string; at: number },
): Promise<{ ticketId: string; created: boolean; reopened: boolean }> {
  const current = await tx
    .selectFrom('tickets')
    .select(['id', 'status'])
    .where('accountId', '=', input.accountId)
    .where('contactId', '=', input.contactId)
    .where('channelId', '=', input.channelId)
    .where('status', 'in', ['open', 'pending', 'solved'])
    .orderBy('lastMessageAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (current) return { ticketId: current.id, created: false, reopened: current.status !== 'open' };
  const ticketId = await openTicket(tx, input);
  return { ticketId, created: true, reopened: false };
}

/**
 * Places a message its channel threaded by itself: in `ticketId` when that ticket belongs to
 * the channel and is not closed (a solved one is reopened), else in a new ticket.
 */
export async function continueOrOpenTicket(
  tx: Db,
  input: { accountId: string; channelId: string; contactId: string; subject: string; at: number },
  thread: { ticketId: string } | 'new',
): Promise<{ ticketId: string; created: boolean; reopened: boolean }> {
  if (thread !== 'new') {
    const current = await tx
      .selectFrom('tickets')
      .select(['id', 'status'])
      .where('accountId', '=', input.accountId)
      .where('channelId', '=', input.channelId)
      .where('id', '=', thread.ticketId)
      .where('status', 'in', ['open', 'pending', 'solved'])
      .executeTakeFirst();
    if (current) return { ticketId: current.id, created: false, reopened: current.status !== 'open' };
  }
  const ticketId = await openTicket(tx, input);
  return { ticketId, created: true, reopened: false };
}

export async function openTicket(
  tx: Db,
  input: { accountId: string; channelId: string; contactId: string; subject: string; at: number },
): Promise<string> {
  const seq = await tx
    .updateTable('accounts')
    .set((eb) => ({ ticketSeq: eb('ticketSeq', '+', 1) }))
    .where('id', '=', input.accountId)
    .returning('ticketSeq')
    .executeTakeFirstOrThrow();
  const id = newId(input.at);
  await tx
    .insertInto('tickets')
    .values({
      id,
      accountId: input.accountId,
      number: seq.ticketSeq,
      channelId: input.channelId,
      contactId: input.contactId,
      status: 'open',
      assigneeId: null,
      subject: input.subject,
      preview: '',
      previewAttachmentName: null,
      previewAttachmentCount: 0,
      lastMessageAt: input.at,
      lastInboundAt: null,
      createdAt: input.at,
      updatedAt: input.at,
    })
    .execute();
  return id;
}
