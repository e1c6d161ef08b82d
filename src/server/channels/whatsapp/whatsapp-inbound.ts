// One Cloud API message → the helpdesk's channel-neutral message: text, one media item
// (downloaded later by its id), and what the agent must be told about anything we cannot
// show (unsupported types, provider errors), in `meta`.
import type { LinkCard, ProviderErrorNote } from '../../../shared/message-meta.js';
import type { InboundAttachment, InboundMessageEvent } from '../adapter.js';
import type { WaError, WaMedia, WaMessage } from './whatsapp-payload.js';
import { unixMs } from './whatsapp-payload.js';
import { receivedAt } from '../meta/meta-webhook.js';

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];

const isMediaType = (type: string): type is MediaType => (MEDIA_TYPES as readonly string[]).includes(type);

export function providerErrorNotes(errors: WaError[] | undefined): ProviderErrorNote[] {
  return (errors ?? []).map((error) => ({
    code: error.code === undefined ? 'unknown' : String(error.code),
    title: error.title ?? error.message ?? 'Error',
    ...(error.error_data?.details ? { details: error.error_data.details } : {}),
  }));
}

const DEFAULT_NAMES: Record<MediaType, string> = {
  image: 'photo',
  video: 'video',
  audio: 'audio',
  document: 'document',
  sticker: 'sticker',
};

function mediaAttachment(type: MediaType, media: WaMedia | undefined): InboundAttachment {
  const voice = type === 'audio' && media?.voice === true;
  const name =
    type === 'document' && media?.filename ? media.filename : voice ? 'voice-note' : DEFAULT_NAMES[type];
  const meta: Record<string, unknown> = {
    whatsappType: type,
    ...(voice ? { voiceNote: true } : {}),
    ...(type === 'sticker' ? { sticker: { animated: media?.animated === true } } : {}),
  };
  if (!media?.id) {
    return {
      name,
      source: {},
      meta,
      unavailableReason: `WhatsApp sent this ${type} without a media id, so it cannot be downloaded.`,
      ...(media?.mime_type ? { declaredType: media.mime_type } : {}),
    };
  }
  return {
    name,
    source: { mediaId: media.id, type },
    meta,
    ...(media.mime_type ? { declaredType: media.mime_type } : {}),
  };
}

function describeUnknown(message: WaMessage, type: string): { text: string; reason: string } {
  if (type === 'reaction') {
    const emoji = message.reaction?.emoji;
    return {
      text: '',
      reason: emoji
        ? `Reacted ${emoji} to an earlier message.`
        : 'Removed a reaction from an earlier message.',
    };
  }
  if (type === 'contacts') return { text: '', reason: 'Shared a contact card, which cannot be shown here.' };
  if (type === 'order') return { text: '', reason: 'Sent a catalogue order, which cannot be shown here.' };
  if (type === 'system') return { text: '', reason: 'A WhatsApp system notice (e.g. the number changed).' };
  return { text: '', reason: `This WhatsApp message type (${type}) cannot be shown here.` };
}

export function toInboundMessage(
  message: WaMessage,
  names: ReadonlyMap<string, string>,
  now: number,
): InboundMessageEvent {
  const type = message.type ?? 'unknown';
  const meta: Record<string, unknown> = {};
  const attachments: InboundAttachment[] = [];
  let text = '';
  if (type === 'text') {
    text = message.text?.body ?? '';
  } else if (isMediaType(type)) {
    const media = message[type];
    attachments.push(mediaAttachment(type, media));
    text = type === 'audio' || type === 'sticker' ? '' : (media?.caption ?? '');
    if (type === 'audio' && media?.voice) meta.voiceNote = true;
    if (type === 'sticker') meta.sticker = { animated: media?.animated === true };
  } else if (type === 'location' && message.location) {
    const { latitude, longitude, name, address, url } = message.location;
    text = [name, address].filter(Boolean).join('\n');
    const card: LinkCard = {
      kind: 'location',
      url:
        url ??
        `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`,
      title: name ?? address ?? `${latitude}, ${longitude}`,
      latitude,
      longitude,
    };
    meta.cards = [card];
  } else if (type === 'button' && message.button?.text) {
    text = message.button.text;
  } else if (type === 'interactive' && message.interactive) {
    const reply = message.interactive.button_reply ?? message.interactive.list_reply;
    text = reply?.title ?? '';
    if (!text) meta.unsupported = { kind: 'interactive', reason: 'An interactive reply without a title.' };
  } else if (type === 'unsupported') {
    const first = message.errors?.[0];
    meta.unsupported = {
      kind: 'unsupported',
      reason:
        first?.error_data?.details ??
        first?.title ??
        'WhatsApp could not pass this message on (unsupported type).',
    };
  } else {
    const described = describeUnknown(message, type);
    text = described.text;
    meta.unsupported = { kind: type, reason: described.reason };
  }
  const errors = providerErrorNotes(message.errors);
  if (errors.length) meta.providerErrors = errors;
  if (message.context?.id) meta.replyTo = { providerMessageId: message.context.id };
  const sent = unixMs(message.timestamp);
  const name = names.get(message.from);
  const phone = /^\d{6,15}$/.test(message.from) ? `+${message.from}` : undefined;
  return {
    type: 'message',
    providerMessageId: message.id,
    from: {
      externalId: message.from,
      ...(name ? { name } : {}),
      ...(phone ? { phone } : {}),
    },
    text,
    attachments,
    receivedAt: receivedAt(sent, now),
    ...(Object.keys(meta).length ? { meta } : {}),
  };
}
