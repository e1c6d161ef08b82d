// Turns "the customer sends X" into a Cloud API webhook envelope, registering any media so
// the application can download it through the two-step flow.
import type { WhatsAppMediaStore } from './whatsapp-media.js';
import {
  buildWhatsAppEnvelope,
  newWamid,
  waContact,
  waMediaMessage,
  waTextMessage,
  waUnsupportedMessage,
} from './whatsapp-payloads.js';
import type {
  WhatsAppAccount,
  WhatsAppEnvelope,
  WhatsAppError,
  WhatsAppInboundMessage,
  WhatsAppMediaObject,
} from './whatsapp-payloads.js';

export type WhatsAppInboundSpec =
  | { type: 'text'; body: string }
  | {
      type: 'image' | 'video' | 'document' | 'sticker';
      bytes: Uint8Array;
      mimeType: string;
      caption?: string;
      filename?: string;
      animated?: boolean;
    }
  | { type: 'audio'; bytes: Uint8Array; mimeType: string; voice?: boolean }
  | { type: 'unsupported'; errors?: WhatsAppError[] };

export interface WhatsAppInboundInput {
  /** The customer's wa_id (digits). */
  from: string;
  name?: string;
  message: WhatsAppInboundSpec;
  /** Reuse an id to simulate a redelivery. */
  id?: string;
  context?: { from: string; id: string };
  /** How `sha256` is written in the webhook (Meta has used both). Default base64. */
  sha256Encoding?: 'base64' | 'hex';
}

export function buildWhatsAppInbound(
  input: WhatsAppInboundInput,
  deps: { account: WhatsAppAccount; store: WhatsAppMediaStore; clock: () => number },
): { envelope: WhatsAppEnvelope; wamid: string; mediaId?: string } {
  const wamid = input.id ?? newWamid();
  const base = {
    from: input.from,
    id: wamid,
    at: deps.clock(),
    ...(input.context ? { context: input.context } : {}),
  };
  const spec = input.message;
  let message: WhatsAppInboundMessage;
  let mediaId: string | undefined;
  if (spec.type === 'text') {
    message = waTextMessage({ ...base, body: spec.body });
  } else if (spec.type === 'unsupported') {
    message = waUnsupportedMessage({ ...base, ...(spec.errors ? { errors: spec.errors } : {}) });
  } else {
    const stored = deps.store.add(spec.bytes, spec.mimeType, 'inbound');
    mediaId = stored.id;
    const media: WhatsAppMediaObject = {
      id: stored.id,
      mime_type: spec.mimeType,
      sha256: input.sha256Encoding === 'hex' ? stored.sha256Hex : stored.sha256Base64,
    };
    if (spec.type === 'audio') media.voice = spec.voice ?? false;
    else {
      if (spec.caption !== undefined && spec.type !== 'sticker') media.caption = spec.caption;
      if (spec.type === 'document') media.filename = spec.filename ?? 'document';
      if (spec.type === 'sticker') media.animated = spec.animated ?? false;
    }
    message = waMediaMessage({ ...base, type: spec.type, media });
  }
  const envelope = buildWhatsAppEnvelope(deps.account, {
    contacts: [waContact(input.from, input.name ?? 'Customer')],
    messages: [message],
  });
  return { envelope, wamid, ...(mediaId === undefined ? {} : { mediaId }) };
}
