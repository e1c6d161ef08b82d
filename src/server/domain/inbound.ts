// What a provider tells us, applied to the helpdesk: a message (with its media queued for
// download), a delivery status, a deletion, or the channel's health. Every provider may
// deliver the same event twice; the unique provider id makes the second a no-op.
import type { InboundDeletionEvent, InboundMessageEvent, ChannelRecord } from '../channels/adapter.js';
import type { Deps } from '../context.js';
import { newId } from '../infra/ids.js';
import { DEFERRED_EVENT_DELAYS_MS, deferredEventJob } from './deferred-event-job.js';
import { fetchMediaJob } from '../media/media-jobs.js';
import type { LinkCard } from '../../shared/message-meta.js';
import { sanitizeFilename } from '../media/sanitize-filename.js';
import { findOrCreateContact } from './contacts.js';
import { loadMessage } from './message-views.js';
import { continueOrOpenTicket, findOrOpenTicket, previewOf, touchTicket } from './ticket-activity.js';
import { getTicket } from './tickets.js';
import { lockKey, transact, type Effects } from './transaction.js';
import { parseJsonObject } from './json.js';
import type { Db } from '../infra/db/connect.js';

export interface IngestResult {
  messageId: string | null;
  ticketId: string | null;
  duplicate: boolean;
  /** An echo not matched to one of our sends yet: it is looked at again shortly. */
  deferred?: boolean;
}

export interface IngestOptions {
  /** Store an unmatched echo as sent outside the helpdesk instead of waiting again. */
  settleEcho?: boolean;
  /** How many times this event was looked at before. */
  tries?: number;
  /**
   * Runs inside the transaction when the customer's message opened a new ticket (an
   * acknowledgement is queued here, so it is sent exactly when the message is stored).
   */
  onNewTicket?(effects: Effects, opened: { ticketId: string; messageId: string }): Promise<void>;
}

/**
 * What the inbox line shows for a message: its text, else what it shared (a post's title or
 * link, a place's name), so an Instagram share or a WhatsApp location does not read as empty.
 */
function summaryOf(event: InboundMessageEvent): string {
  if (event.text.trim()) return event.text;
  const cards = event.meta?.cards;
  const card = Array.isArray(cards) ? (cards[0] as Partial<LinkCard> | undefined) : undefined;
  if (!card || typeof card !== 'object' || typeof card.url !== 'string') return '';
  if (typeof card.title === 'string' && card.title.trim()) return card.title;
  if (typeof card.latitude === 'number' && typeof card.longitude === 'number') {
    return `📍 ${card.latitude.toFixed(5)}, ${card.longitude.toFixed(5)}`;
  }
  return card.url;
}

function subjectOf(event: InboundMessageEvent): string {
  if (event.subject?.trim()) return previewOf(event.subject).slice(0, 120);
  const summary = summaryOf(event);
  if (summary.trim()) return previewOf(summary).slice(0, 80);
  const first = event.attachments[0];
  return first?.name ? sanitizeFilename(first.name) : event.attachments.length ? 'Media' : 'New conversation';
}

export interface IngestOptions {
  /**
   * Binds attachments that are already stored (a webchat visitor's uploads) to the new
   * message, inside its transaction; returns their names in order. Throwing rolls it all back.
   */
  bindStored?(
    tx: Db,
    message: { id: string; ticketId: string; at: number; firstPosition: number },
  ): Promise<string[]>;
}

export async function ingestMessage(
  deps: Deps,
  channel: ChannelRecord,
  event: InboundMessageEvent,
  options: IngestOptions = {},
): Promise<IngestResult> {
  return transact(deps, async (tx, effects) => {
    await lockKey(tx, deps, `identity:${channel.id}:${event.from.externalId}`);
    const known = await tx
      .selectFrom('messages')
      .select(['id', 'ticketId'])
      .where('channelId', '=', channel.id)
      .where('providerMessageId', '=', event.providerMessageId)
      .executeTakeFirst();
    if (known) return { messageId: known.id, ticketId: known.ticketId, duplicate: true };
    if (event.echo) {
      const ours = await tx
        .selectFrom('deliveries')
        .select(['messageId'])
        .where('channelId', '=', channel.id)
        .where('providerMessageId', '=', event.providerMessageId)
        .executeTakeFirst();
      if (ours) return { messageId: ours.messageId, ticketId: null, duplicate: true };
      // The echo may beat the send job's record of the provider id: look again shortly.
      const tries = options.tries ?? 0;
      const delayMs = DEFERRED_EVENT_DELAYS_MS[tries];
      if (!options.settleEcho && delayMs !== undefined) {
        await effects.enqueue(
          deferredEventJob,
          { channelId: channel.id, tries: tries + 1, event: { ...event, echo: true } },
          { delayMs },
        );
        return { messageId: null, ticketId: null, duplicate: false, deferred: true };
      }
    }
    const at = event.receivedAt ?? deps.now();
    const { contactId } = await findOrCreateContact(tx, deps, channel.accountId, channel.id, event.from);
    const placement = {
      accountId: channel.accountId,
      channelId: channel.id,
      contactId,
      subject: subjectOf(event),
      at,
    };
    const ticket = event.thread
      ? await continueOrOpenTicket(tx, placement, event.thread)
      : await findOrOpenTicket(tx, placement);
    const messageId = newId(at);
    const inserted = await tx
      .insertInto('messages')
      .values({
        id: messageId,
        accountId: channel.accountId,
        ticketId: ticket.ticketId,
        channelId: channel.id,
        direction: event.echo ? 'outbound' : 'inbound',
        authorAgentId: null,
        text: event.text,
        note: 0,
        providerMessageId: event.providerMessageId,
        status: event.echo ? 'sent' : 'received',
        errorCode: null,
        errorMessage: null,
        meta: JSON.stringify({ ...(event.meta ?? {}), ...(event.echo ? { sentOutsideHelpdesk: true } : {}) }),
        createdAt: at,
        updatedAt: at,
      })
      .onConflict((oc) => oc.columns(['channelId', 'providerMessageId']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return { messageId: null, ticketId: ticket.ticketId, duplicate: true };

    const names: string[] = [];
    for (const [position, attachment] of event.attachments.entries()) {
      const id = newId(at);
      const name = sanitizeFilename(attachment.name ?? `media-${position + 1}`);
      names.push(name);
      const keep = attachment.store !== false;
      const state = attachment.unavailableReason ? 'unavailable' : keep ? 'processing' : 'ready';
      await tx
        .insertInto('attachments')
        .values({
          id,
          accountId: channel.accountId,
          messageId,
          uploadedBy: null,
          blobKey: null,
          name,
          contentType:
            attachment.declaredType?.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream',
          declaredType: attachment.declaredType ?? null,
          size: attachment.declaredSize ?? 0,
          width: null,
          height: null,
          durationMs: null,
          state,
          stateReason: attachment.unavailableReason ?? null,
          source: JSON.stringify(attachment.source),
          meta: JSON.stringify({ ...(attachment.meta ?? {}), ...(keep ? {} : { notStored: true }) }),
          position,
          createdAt: at,
          updatedAt: at,
        })
        .execute();
      if (state === 'processing') await effects.enqueue(fetchMediaJob, { attachmentId: id });
    }
    if (options.bindStored) {
      const bound = await options.bindStored(tx, {
        id: messageId,
        ticketId: ticket.ticketId,
        at,
        firstPosition: event.attachments.length,
      });
      names.push(...bound);
    }
    await touchTicket(tx, channel.accountId, ticket.ticketId, {
      text: summaryOf(event),
      attachmentNames: names,
      at,
      inbound: !event.echo,
      reopen: ticket.reopened && !event.echo,
    });
    if (ticket.created && !event.echo && options.onNewTicket) {
      await options.onNewTicket(effects, { ticketId: ticket.ticketId, messageId });
    }
    const message = await loadMessage(tx, channel.accountId, messageId);
    await effects.emit(channel.accountId, 'message.created', { message }, ticket.ticketId);
    const view = await getTicket(tx, channel.accountId, ticket.ticketId);
    await effects.emit(
      channel.accountId,
      ticket.created ? 'ticket.created' : 'ticket.updated',
      { ticket: view },
      ticket.ticketId,
    );
    return { messageId, ticketId: ticket.ticketId, duplicate: false };
  });
}

export async function markDeleted(
  deps: Deps,
  channel: ChannelRecord,
  event: InboundDeletionEvent,
): Promise<boolean> {
  return transact(deps, async (tx, effects) => {
    const row = await tx
      .selectFrom('messages')
      .select(['id', 'ticketId', 'meta'])
      .where('channelId', '=', channel.id)
      .where('providerMessageId', '=', event.providerMessageId)
      .executeTakeFirst();
    if (!row) return false;
    await tx
      .updateTable('messages')
      .set({
        meta: JSON.stringify({ ...parseJsonObject(row.meta), deletedByCustomer: true }),
        updatedAt: deps.now(),
      })
      .where('id', '=', row.id)
      .execute();
    const message = await loadMessage(tx, channel.accountId, row.id);
    await effects.emit(channel.accountId, 'message.updated', { message }, row.ticketId);
    return true;
  });
}
