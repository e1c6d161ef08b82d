// What the WhatsApp Cloud API accepts for media, by message type (per the channel contract).
import { essence } from '../shared/sniff-media-type.js';
import type { WhatsAppMediaType } from './whatsapp-payloads.js';

const MB = 1024 * 1024;

export interface WhatsAppMediaRule {
  mimeTypes: readonly string[];
  maxBytes: number;
}

export const whatsappMediaRules: Readonly<Record<WhatsAppMediaType, WhatsAppMediaRule>> = {
  image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  audio: { mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * MB },
  document: {
    mimeTypes: [
      'text/plain',
      'application/pdf',
      'application/msword',
      'application/vnd.ms-excel',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
  },
  sticker: { mimeTypes: ['image/webp'], maxBytes: 500 * 1024 },
};

export const STATIC_STICKER_MAX_BYTES = 100 * 1024;
export const STICKER_SIDE = 512;
export const CAPTION_MAX_CHARS = 1024;
export const TEXT_MAX_CHARS = 4096;

/** The message type a MIME type can be sent as (webp counts as a sticker). */
export function mediaTypeForMime(mime: string): WhatsAppMediaType | undefined {
  const type = essence(mime);
  for (const [kind, rule] of Object.entries(whatsappMediaRules) as Array<
    [WhatsAppMediaType, WhatsAppMediaRule]
  >) {
    if (rule.mimeTypes.includes(type)) return kind;
  }
  return undefined;
}

export const allAcceptedMimeTypes = (): string[] =>
  Object.values(whatsappMediaRules).flatMap((rule) => rule.mimeTypes);
