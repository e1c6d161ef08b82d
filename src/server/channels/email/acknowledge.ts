// The automatic acknowledgement of a new e-mail request ("we got your message, it is ticket
// #42"), when the channel has one. It is queued in the transaction that stores the customer's
// mail, so it goes out exactly once per stored request, and it follows RFC 3834: never an
// answer to automated mail (bounces, out-of-office replies, lists), marked
// `Auto-Submitted: auto-replied`, and at most one per address per day, so two robots cannot
// keep each other busy.
import { z } from 'zod';
import type { Deps } from '../../context.js';
import type { IngestOptions } from '../../domain/inbound.js';
import { parseJsonObject } from '../../domain/json.js';
import { createReply } from '../../domain/outbound.js';
import { defineJob, handle, type JobHandler } from '../../infra/queue/job.js';
import type { ChannelRecord } from '../adapter.js';
import { mayAutoReply, type EmailMeta } from './build-email-event.js';
import { emailConfigSchema, type EmailConfig } from './email-config.js';

/** One acknowledgement per customer address within this time. */
export const ACKNOWLEDGEMENT_INTERVAL_MS = 24 * 60 * 60_000;

export const acknowledgeJob = defineJob({
  name: 'email.acknowledge',
  queue: 'send',
  schema: z.object({ messageId: z.string() }),
  dedupeKey: (payload) => payload.messageId,
  maxAttempts: 5,
});

/** What the ingest runs when the mail opened a ticket: queue its acknowledgement, if any is due. */
export function acknowledgeNewTicket(
  channel: ChannelRecord<EmailConfig>,
  meta: EmailMeta,
): IngestOptions['onNewTicket'] {
  if (!channel.config.acknowledgement || !mayAutoReply({ email: meta })) return undefined;
  return async (effects, opened) => {
    await effects.enqueue(acknowledgeJob, { messageId: opened.messageId });
  };
}

/** The channel's text with `{number}` and `{name}` filled in. */
export function acknowledgementText(
  template: string,
  ticket: { number: number; contactName: string },
): string {
  return template.replace(/\{(number|name)\}/g, (_whole, key: string) =>
    key === 'number' ? String(ticket.number) : ticket.contactName,
  );
}

export function acknowledgeHandler(deps: Deps): JobHandler<unknown> {
  return handle(acknowledgeJob, async ({ messageId }, context) => {
    const request = await deps.db
      .selectFrom('messages')
      .innerJoin('tickets', 'tickets.id', 'messages.ticketId')
      .innerJoin('contacts', 'contacts.id', 'tickets.contactId')
      .innerJoin('channels', 'channels.id', 'messages.channelId')
      .select([
        'messages.accountId',
        'messages.ticketId',
        'tickets.number',
        'tickets.contactId',
        'contacts.name as contactName',
        'channels.config',
        'channels.deletedAt',
      ])
      .where('messages.id', '=', messageId)
      .whereRef('tickets.accountId', '=', 'messages.accountId')
      .whereRef('contacts.accountId', '=', 'messages.accountId')
      .whereRef('channels.accountId', '=', 'messages.accountId')
      .executeTakeFirst();
    if (!request || request.deletedAt !== null) return;
    // The channel's text now: an admin who turned it off meanwhile is obeyed.
    const config = emailConfigSchema.shape.acknowledgement.safeParse(
      parseJsonObject(request.config).acknowledgement,
    );
    const template = config.success ? config.data : undefined;
    if (!template) return;
    // Also what makes a retry after a crash harmless: the first try's reply is found here.
    const recent = await deps.db
      .selectFrom('messages')
      .innerJoin('tickets', 'tickets.id', 'messages.ticketId')
      .select('messages.id')
      .where('messages.accountId', '=', request.accountId)
      .where('tickets.accountId', '=', request.accountId)
      .where('tickets.contactId', '=', request.contactId)
      .where('messages.direction', '=', 'outbound')
      .where('messages.authorAgentId', 'is', null)
      .where('messages.createdAt', '>', deps.now() - ACKNOWLEDGEMENT_INTERVAL_MS)
      .where('messages.meta', 'like', '%"acknowledgement":true%')
      .limit(1)
      .executeTakeFirst();
    if (recent) {
      context.log.info(
        { messageId, earlier: recent.id },
        'acknowledgement skipped: one was sent within a day',
      );
      return;
    }
    await createReply(deps, { accountId: request.accountId, agentId: null }, request.ticketId, {
      text: acknowledgementText(template, { number: request.number, contactName: request.contactName }),
      meta: { acknowledgement: true },
      quiet: true,
    });
  });
}
