// Meta's checks on media it receives for WhatsApp, by upload or by link: an accepted MIME
// type, bytes that are what the type says, the size limit for the type, and sticker rules.
import sharp from 'sharp';
import { bytesMatchDeclaredType, essence } from '../shared/sniff-media-type.js';
import {
  STATIC_STICKER_MAX_BYTES,
  STICKER_SIDE,
  allAcceptedMimeTypes,
  mediaTypeForMime,
  whatsappMediaRules,
} from './whatsapp-media-rules.js';
import type { WhatsAppMediaType } from './whatsapp-payloads.js';

export type WhatsAppMediaCheck =
  | { ok: true; type: WhatsAppMediaType; mimeType: string; sniffed: string | undefined }
  | { ok: false; reason: 'unsupported-type' | 'mismatch' | 'too-large' | 'sticker'; details: string };

const MB = 1024 * 1024;
const describeSize = (bytes: number): string => (bytes >= MB ? `${bytes / MB} MB` : `${bytes / 1024} KB`);

export async function checkWhatsAppMedia(bytes: Buffer, declared: string): Promise<WhatsAppMediaCheck> {
  const mimeType = essence(declared);
  const type = mediaTypeForMime(mimeType);
  if (!type) {
    return {
      ok: false,
      reason: 'unsupported-type',
      details: `Param file must be a file with one of the following types: ${allAcceptedMimeTypes().join(', ')}. Received file of type '${mimeType}'.`,
    };
  }
  const match = await bytesMatchDeclaredType(bytes, mimeType);
  if (!match.ok) {
    return {
      ok: false,
      reason: 'mismatch',
      details: `The file's content (${match.sniffed ?? 'unrecognised'}) does not match the declared type ${mimeType}.`,
    };
  }
  if (mimeType === 'audio/ogg' && !(match.sniffed ?? '').includes('opus')) {
    return {
      ok: false,
      reason: 'unsupported-type',
      details: 'audio/ogg is accepted only with the Opus codec.',
    };
  }
  const rule = whatsappMediaRules[type];
  if (bytes.length > rule.maxBytes) {
    return {
      ok: false,
      reason: 'too-large',
      details: `File size ${bytes.length} exceeds the ${describeSize(rule.maxBytes)} limit for ${mimeType}.`,
    };
  }
  if (type === 'sticker') {
    const problem = await stickerProblem(bytes);
    if (problem) return { ok: false, reason: 'sticker', details: problem };
  }
  return { ok: true, type, mimeType, sniffed: match.sniffed };
}

async function stickerProblem(bytes: Buffer): Promise<string | undefined> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { animated: true }).metadata();
  } catch {
    return 'The sticker could not be read as WebP.';
  }
  const animated = (meta.pages ?? 1) > 1;
  const height = meta.pageHeight ?? meta.height;
  if (meta.width !== STICKER_SIDE || height !== STICKER_SIDE) {
    return `Stickers must be ${STICKER_SIDE}x${STICKER_SIDE} pixels; this one is ${meta.width ?? '?'}x${height ?? '?'}.`;
  }
  if (!animated && bytes.length > STATIC_STICKER_MAX_BYTES) {
    return `Static stickers must not exceed ${describeSize(STATIC_STICKER_MAX_BYTES)}.`;
  }
  return undefined;
}
