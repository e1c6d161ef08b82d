// Public links to media for providers and visitors: an HMAC over the attachment, the variant
// and the expiry time. They stop working when they expire, or when the media is deleted.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { asciiFilename, shortFilename } from './sanitize-filename.js';

export interface SignedMediaRef {
  attachmentId: string;
  variant: string;
  expiresAt: number;
}

const sign = (key: string, ref: SignedMediaRef): string =>
  createHmac('sha256', key)
    .update(`${ref.attachmentId}\n${ref.variant}\n${ref.expiresAt}`)
    .digest('base64url');

export function signedMediaPath(key: string, ref: SignedMediaRef, name: string): string {
  // Short, so the whole path stays within the router's parameter length.
  const safeName = shortFilename(asciiFilename(name).replace(/[^\w.-]+/g, '-'), 64);
  return `/media/${ref.attachmentId}/${ref.variant}/${ref.expiresAt}/${sign(key, ref)}/${safeName}`;
}

export function verifySignedMedia(
  key: string,
  ref: SignedMediaRef,
  signature: string,
  now: number,
): 'ok' | 'expired' | 'invalid' {
  const expected = Buffer.from(sign(key, ref));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'invalid';
  return ref.expiresAt * 1000 < now ? 'expired' : 'ok';
}
