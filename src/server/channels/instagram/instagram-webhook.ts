// Instagram Messaging webhooks: the verification GET, then signed POSTs. Events come as
// `entry[].messaging[]` (Messenger Platform) or `entry[].changes[]` with field "messages"
// (Instagram Login); both products may deliver the same message, which the message id dedupes.
import type { Logger } from 'pino';
import type { AdapterDeps, ChannelRecord, InboundEvent, WebhookOutcome, WebhookRequest } from '../adapter.js';
import { accepted, answerVerification, readSignedJson } from '../meta/meta-webhook.js';
import { instagramConfigOf } from './instagram-config.js';
import { toInstagramEvents } from './instagram-inbound.js';
import { igChangeSchema, igEntrySchema, igEnvelopeSchema, igMessagingSchema } from './instagram-payload.js';

const PRODUCTS = new Set(['instagram', 'page']);

export function parseInstagramEvents(
  body: unknown,
  accountId: string,
  deps: { log: Logger; now(): number },
): InboundEvent[] {
  const { log } = deps;
  const parsed = igEnvelopeSchema.safeParse(body);
  const envelope = parsed.success ? parsed.data : { object: undefined, entry: undefined };
  if (!PRODUCTS.has(envelope.object ?? '')) {
    log.warn({ object: envelope.object }, 'webhook for another Meta product; ignored');
    return [];
  }
  const events: InboundEvent[] = [];
  for (const item of envelope.entry ?? []) {
    const parsedEntry = igEntrySchema.safeParse(item);
    if (!parsedEntry.success) {
      log.warn('Instagram entry that is not an object; skipped');
      continue;
    }
    const entry = parsedEntry.data;
    const changes = (entry.changes ?? []).flatMap((change) => {
      const parsedChange = igChangeSchema.safeParse(change);
      return parsedChange.success && parsedChange.data.field === 'messages' ? [parsedChange.data.value] : [];
    });
    const items = [...(entry.messaging ?? []), ...changes];
    for (const item of items) {
      const messaging = igMessagingSchema.safeParse(item);
      if (!messaging.success) {
        log.warn(
          { issue: messaging.error.issues[0]?.path.join('.') },
          'Instagram event without a sender or recipient; skipped',
        );
        continue;
      }
      const { sender, recipient } = messaging.data;
      if (entry.id && entry.id !== accountId && sender.id !== accountId && recipient.id !== accountId) {
        log.warn({ entry: entry.id }, 'Instagram event for another account; ignored');
        continue;
      }
      const produced = toInstagramEvents(messaging.data, accountId, deps.now());
      if (!produced.length) log.info('Instagram event without a message, a deletion or a read; ignored');
      events.push(...produced);
    }
  }
  return events;
}

export async function handleInstagramWebhook(
  request: WebhookRequest,
  channel: ChannelRecord,
  deps: AdapterDeps,
): Promise<WebhookOutcome> {
  const config = instagramConfigOf(channel);
  if (request.method === 'GET') return answerVerification(request.query, config.verifyToken);
  const body = readSignedJson(request, config.appSecret);
  return { response: accepted, events: parseInstagramEvents(body, config.accountId, deps) };
}
