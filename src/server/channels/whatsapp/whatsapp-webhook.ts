// WhatsApp Cloud API webhooks: the verification GET, then signed POSTs whose messages,
// statuses and errors become the core's events. A malformed item is logged and skipped;
// it never hides the other items of the same delivery.
import type { Logger } from 'pino';
import type { AdapterDeps, ChannelRecord, InboundEvent, WebhookOutcome, WebhookRequest } from '../adapter.js';
import { explainGraphProblem } from '../meta/graph-failure.js';
import { accepted, answerVerification, readSignedJson } from '../meta/meta-webhook.js';
import { whatsappConfigOf } from './whatsapp-config.js';
import { providerErrorNotes, toInboundMessage } from './whatsapp-inbound.js';
import {
  unixMs,
  waChangeSchema,
  waContactSchema,
  waEntrySchema,
  waEnvelopeSchema,
  waErrorSchema,
  waMessageSchema,
  waStatusSchema,
  waValueSchema,
  type WaStatus,
} from './whatsapp-payload.js';

const STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
type WaDeliveryStatus = (typeof STATUSES)[number];
const isStatus = (value: string): value is WaDeliveryStatus =>
  (STATUSES as readonly string[]).includes(value);

function statusEvent(status: WaStatus, log: Logger): InboundEvent | null {
  if (!isStatus(status.status)) {
    log.debug({ status: status.status }, 'WhatsApp status not tracked; ignored');
    return null;
  }
  const first = status.errors?.[0];
  const explained = first
    ? explainGraphProblem('whatsapp', {
        code: first.code ?? 0,
        detail: first.error_data?.details ?? first.message ?? first.title,
      })
    : undefined;
  const at = unixMs(status.timestamp);
  return {
    type: 'status',
    providerMessageId: status.id,
    status: status.status,
    ...(explained ? { errorCode: explained.code, errorMessage: explained.reason } : {}),
    ...(at === undefined ? {} : { at }),
  };
}

function valueEvents(
  value: unknown,
  phoneNumberId: string,
  deps: { log: Logger; now(): number },
): InboundEvent[] {
  const { log } = deps;
  const parsed = waValueSchema.safeParse(value);
  if (!parsed.success) {
    log.warn('WhatsApp change without a value; ignored');
    return [];
  }
  const forNumber = parsed.data.metadata?.phone_number_id;
  if (forNumber && forNumber !== phoneNumberId) {
    log.warn({ forNumber }, 'WhatsApp event for another phone number; ignored');
    return [];
  }
  const events: InboundEvent[] = [];
  const names = new Map<string, string>();
  for (const item of parsed.data.contacts ?? []) {
    const contact = waContactSchema.safeParse(item);
    if (contact.success && contact.data.profile?.name)
      names.set(contact.data.wa_id, contact.data.profile.name);
  }
  for (const item of parsed.data.messages ?? []) {
    const message = waMessageSchema.safeParse(item);
    if (!message.success) {
      log.warn(
        { issue: message.error.issues[0]?.path.join('.') },
        'WhatsApp message without an id or sender; skipped',
      );
      continue;
    }
    events.push(toInboundMessage(message.data, names, deps.now()));
  }
  for (const item of parsed.data.statuses ?? []) {
    const status = waStatusSchema.safeParse(item);
    const event = status.success ? statusEvent(status.data, log) : null;
    if (event) events.push(event);
    else if (!status.success) log.warn('WhatsApp status without an id; skipped');
  }
  const errors = providerErrorNotes(
    (parsed.data.errors ?? []).flatMap((item) => {
      const error = waErrorSchema.safeParse(item);
      return error.success ? [error.data] : [];
    }),
  );
  if (errors.length) {
    log.warn({ errors }, 'WhatsApp reported errors for this number');
    events.push({
      type: 'health',
      health: 'needs_attention',
      reason: `WhatsApp reported: ${errors
        .map((error) => `${error.title} (${error.code})${error.details ? `: ${error.details}` : ''}`)
        .join('; ')}`,
    });
  }
  return events;
}

export function parseWhatsAppEvents(
  body: unknown,
  phoneNumberId: string,
  deps: { log: Logger; now(): number },
): InboundEvent[] {
  const parsed = waEnvelopeSchema.safeParse(body);
  const envelope = parsed.success ? parsed.data : { object: undefined, entry: undefined };
  if (envelope.object !== 'whatsapp_business_account') {
    deps.log.warn({ object: envelope.object }, 'webhook for another Meta product; ignored');
    return [];
  }
  const events: InboundEvent[] = [];
  for (const item of envelope.entry ?? []) {
    const entry = waEntrySchema.safeParse(item);
    for (const raw of entry.success ? (entry.data.changes ?? []) : []) {
      const change = waChangeSchema.safeParse(raw);
      if (!change.success || change.data.field !== 'messages') {
        deps.log.info({ field: change.data?.field }, 'WhatsApp webhook change not handled; ignored');
        continue;
      }
      events.push(...valueEvents(change.data.value, phoneNumberId, deps));
    }
  }
  return events;
}

export async function handleWhatsAppWebhook(
  request: WebhookRequest,
  channel: ChannelRecord,
  deps: AdapterDeps,
): Promise<WebhookOutcome> {
  const config = whatsappConfigOf(channel);
  if (request.method === 'GET') return answerVerification(request.query, config.verifyToken);
  const body = readSignedJson(request, config.appSecret);
  return { response: accepted, events: parseWhatsAppEvents(body, config.phoneNumberId, deps) };
}
