// Which ticket an incoming e-mail continues: the messages it references (In-Reply-To, then
// References, newest first), then a reply token in the address it was sent to
// (`support+<token>@…`), then a ticket number in the subject (`[#123]`, honoured only when the
// sender is that ticket's customer, since numbers are easy to guess), else a new ticket.
// Every lookup is confined to the receiving channel, so a message claiming to answer another
// account's ticket starts a ticket of its own.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../infra/db/connect.js';
import type { ChannelRecord } from '../adapter.js';
import type { EmailConfig } from './email-config.js';

export type ThreadedBy = 'references' | 'reply-token' | 'subject-token' | 'new';

export interface ThreadDecision {
  thread: { ticketId: string } | 'new';
  by: ThreadedBy;
}

const TOKEN_CHARS = 20;

function tokenMac(key: string, channelId: string, ticketId: string): string {
  return createHmac('sha256', key).update(`${channelId}\n${ticketId}`).digest('hex').slice(0, TOKEN_CHARS);
}

/** The unguessable part of a ticket's reply address: `<number>-<mac>`. */
export function replyToken(key: string, channelId: string, ticket: { id: string; number: number }): string {
  return `${ticket.number}-${tokenMac(key, channelId, ticket.id)}`;
}

/** `support@acme.test` + token → `support+<token>@acme.test`. */
export function replyAddress(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${token}${address.slice(at)}`;
}

/** The token of one of our plus-addresses, or null for any other address. */
export function tokenIn(ourAddress: string, candidate: string): { number: number; mac: string } | null {
  const at = ourAddress.lastIndexOf('@');
  const local = ourAddress.slice(0, at).toLowerCase();
  const domain = ourAddress.slice(at + 1).toLowerCase();
  const match = /^(.+)\+(\d{1,9})-([0-9a-f]{20})@(.+)$/i.exec(candidate.trim());
  if (!match || match[1]?.toLowerCase() !== local || match[4]?.toLowerCase() !== domain) return null;
  return { number: Number(match[2]), mac: (match[3] as string).toLowerCase() };
}

/** `Re: Broken lamp [#123]` → 123. */
export function subjectTicketNumber(subject: string): number | null {
  const match = /\[#(\d{1,9})\]/.exec(subject);
  return match ? Number(match[1]) : null;
}

export interface ThreadClues {
  sender: string;
  inReplyTo: string[];
  references: string[];
  /** Every address the message was sent or delivered to. */
  recipients: string[];
  subject: string;
}

async function byReferences(db: Db, channelId: string, clues: ThreadClues): Promise<string | null> {
  const wanted = [...clues.inReplyTo, ...[...clues.references].reverse()].slice(0, 60);
  if (wanted.length === 0) return null;
  const [inbound, outbound] = await Promise.all([
    db
      .selectFrom('messages')
      .select(['ticketId', 'providerMessageId'])
      .where('channelId', '=', channelId)
      .where('providerMessageId', 'in', wanted)
      .execute(),
    db
      .selectFrom('deliveries')
      .innerJoin('messages', 'messages.id', 'deliveries.messageId')
      .select(['messages.ticketId', 'deliveries.providerMessageId'])
      .where('deliveries.channelId', '=', channelId)
      .where('messages.channelId', '=', channelId)
      .where('deliveries.providerMessageId', 'in', wanted)
      .execute(),
  ]);
  const found = new Map<string, string>();
  for (const row of [...inbound, ...outbound])
    if (row.providerMessageId) found.set(row.providerMessageId, row.ticketId);
  for (const id of wanted) {
    const ticketId = found.get(id);
    if (ticketId) return ticketId;
  }
  return null;
}

async function byToken(
  db: Db,
  channel: ChannelRecord<EmailConfig>,
  clues: ThreadClues,
): Promise<string | null> {
  for (const recipient of clues.recipients) {
    const token = tokenIn(channel.config.address, recipient);
    if (!token) continue;
    const ticket = await db
      .selectFrom('tickets')
      .select(['id', 'number'])
      .where('accountId', '=', channel.accountId)
      .where('channelId', '=', channel.id)
      .where('number', '=', token.number)
      .executeTakeFirst();
    if (!ticket) continue;
    const expected = Buffer.from(tokenMac(channel.config.replyTokenKey, channel.id, ticket.id));
    if (timingSafeEqual(expected, Buffer.from(token.mac))) return ticket.id;
  }
  return null;
}

async function bySubject(
  db: Db,
  channel: ChannelRecord<EmailConfig>,
  clues: ThreadClues,
): Promise<string | null> {
  const number = subjectTicketNumber(clues.subject);
  if (number === null) return null;
  const ticket = await db
    .selectFrom('tickets')
    .innerJoin('contactIdentities', 'contactIdentities.contactId', 'tickets.contactId')
    .select('tickets.id')
    .where('tickets.accountId', '=', channel.accountId)
    .where('tickets.channelId', '=', channel.id)
    .where('tickets.number', '=', number)
    .where('contactIdentities.channelId', '=', channel.id)
    .where('contactIdentities.externalId', '=', clues.sender)
    .executeTakeFirst();
  return ticket?.id ?? null;
}

export async function decideThread(
  db: Db,
  channel: ChannelRecord<EmailConfig>,
  clues: ThreadClues,
): Promise<ThreadDecision> {
  const referenced = await byReferences(db, channel.id, clues);
  if (referenced) return { thread: { ticketId: referenced }, by: 'references' };
  const tokened = await byToken(db, channel, clues);
  if (tokened) return { thread: { ticketId: tokened }, by: 'reply-token' };
  const numbered = await bySubject(db, channel, clues);
  if (numbered) return { thread: { ticketId: numbered }, by: 'subject-token' };
  return { thread: 'new', by: 'new' };
}
